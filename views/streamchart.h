// SPDX-License-Identifier: GPL-3.0-or-later
// The stream graphs of one direction of a connection, on the shared chart machinery (chartbase.h): round-trip
// time per ACK with min/median/max in the legend (per wire segment in the wire view), throughput and goodput with
// the retransmitted bytes apart over a window the user sets, bytes in flight against the peer's receive window
// with the largest super-segment marked, and the advertised (scaled) receive window. The series come built from
// model/qt (streamchartseries.h); this widget only draws them.
#pragma once

#include "chartbase.h"
#include "streamchartseries.h"

#include <optional>

namespace ol {

class StreamChart : public ChartBase
{
    Q_OBJECT
public:
    enum class Kind { Rtt, Throughput, Inflight, Window };
    static constexpr int KindCount = 4;

    explicit StreamChart(Kind kind = Kind::Rtt, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    void setKind(Kind kind);
    /// Which direction's graph is shown (0 = client→server).
    void setDirection(int direction);
    int direction() const { return m_direction; }
    /// RTT per wire segment (super-segments cut at the MSS); the other graphs do not change with it.
    void setWireView(bool on);
    bool wireView() const { return m_wireView; }
    /// The throughput's sliding window; 0 = adaptive (1/50 of the direction's duration, 1 ms to 1 s).
    void setThroughputWindow(TimeNs window);
    TimeNs throughputWindow() const { return m_throughputWindow; }

    /// Points currently handed to the plot for a line (after decimation).
    int pointCount(StreamChartSeries::Line line) const;
    /// Legend texts of the graphs and marks drawn.
    QStringList legendTexts() const;

    /// "rtt", "throughput", "inflight", "window": the names of the chart factory and the export command.
    static QString kindId(Kind kind);
    static std::optional<Kind> kindFromId(const QString &id);
    /// "Round-trip time", "Throughput", ...: for menus and the chart's title.
    static QString kindTitle(Kind kind);

protected:
    void rebuild() override;
    int updateData(const PixelMapping &mapping) override;
    void dataRange(QCPRange &x, QCPRange &y) const override;
    bool markerPosition(SegmentRef segment, double &key, double &value) const override;
    void forgetGraphs() override;
    QString pointTooltip(const HitLayer &layer, int point) const override;
    /// A right-click without a drag (a drag zooms) or the menu key: Reset Zoom and the Wireshark actions.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// The lines this kind draws.
    std::vector<StreamChartSeries::Line> lines() const;
    void applyAxes();
    void rebuildKeepingRange();
    QCPGraph *addLine(StreamChartSeries::Line line, const QString &name);
    void showContextMenu(const QPoint &pos, const QPoint &globalPos);

    Kind m_kind;
    int m_direction = 0;
    bool m_wireView = false;
    TimeNs m_throughputWindow = 0;
    QCPGraph *m_graphs[StreamChartSeries::LineCount] = {};
    int m_layer[StreamChartSeries::LineCount] = {};
    double m_superSegment = 0; // height of the largest super-segment's mark, 0 for none
    QPoint m_rightPressPos;
};

} // namespace ol
