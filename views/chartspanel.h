// SPDX-License-Identifier: GPL-3.0-or-later
// The two charts of the current connection one above the other, with their options (wire view, y axis,
// direction, linked time axes) and the wiring to the document's segment selection. The frame-size chart is on top;
// the lower one is chosen (time-sequence or a stream graph: RTT, throughput, bytes in flight, window) and the
// choice is remembered.
#pragma once

#include "chartseries.h"
#include "chartseriesbuilder.h"
#include "tracedocument.h"

#include <QWidget>

#include <memory>

class QBoxLayout;
class QCheckBox;
class QComboBox;
class QLabel;
class QStackedWidget;

namespace ol {

class ElidedLabel;
class ChartBase;
class FrameSizeChart;
class SequenceChart;
class StreamChart;

class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChartsPanel(TraceDocument *document, QWidget *parent = nullptr);

    FrameSizeChart *frameSizeChart() const { return m_frameSizes; }
    SequenceChart *sequenceChart() const { return m_sequence; }
    StreamChart *streamChart() const { return m_stream; }
    /// The lower chart shown: the time-sequence chart or the stream chart.
    ChartBase *lowerChart() const;
    /// "sequence", "rtt", "throughput", "inflight" or "window" (the chart factory's names).
    QString lowerChartId() const;
    /// Shows that chart below the frame sizes and remembers the choice (QSettings "charts/lower").
    void setLowerChart(const QString &id);
    /// The throughput chart's window; 0 = adaptive. Remembered too.
    TimeNs throughputWindow() const;
    void setThroughputWindow(TimeNs window);

    bool wireView() const;
    void setWireView(bool on);
    ChartSeries::YMode yMode() const;
    void setYMode(ChartSeries::YMode mode);
    void resetZoom();
    /// Shows this time range (seconds since the connection start) on both charts, now or as soon as the
    /// current connection's series is there.
    void zoomToTime(double lower, double upper);
    /// Builds the series of the selected connection (off the GUI thread when it is large).
    ChartSeriesBuilder *seriesBuilder() const { return m_builder; }
    /// What the panel shows in place of the charts when there is no connection to chart (empty otherwise).
    QString emptyText() const;
    QSize minimumSizeHint() const override;

signals:
    void wireViewChanged(bool on);
    void yModeChanged(ol::ChartSeries::YMode mode);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showConnection();
    void rebuildFrameSizes();
    void showSeries(std::shared_ptr<ChartSeries> series);
    /// The shown series has the stream series the stream chart needs (with the wire view it was built with).
    bool streamsReady() const;
    /// Hands the shown series to the stream chart with the options its streams were built with.
    void showStreams();
    void lowerChartChosen();
    static QString connectionTitle(const Connection &c);

    TraceDocument *m_document;
    FrameSizeChart *m_frameSizes;
    SequenceChart *m_sequence;
    ElidedLabel *m_title; // cut, not holding the window wide, when the docks need the room
    QWidget *m_controls = nullptr; // the options right of the title, or under it when the panel is narrow
    QBoxLayout *m_top = nullptr;
    QStackedWidget *m_chartsStack = nullptr; // the charts, or m_empty when there is no connection to chart
    QLabel *m_empty = nullptr;
    QCheckBox *m_wire;
    QComboBox *m_yAxis;
    QComboBox *m_direction;
    QComboBox *m_lower; // which chart is below the frame sizes
    QComboBox *m_window; // the throughput window
    QWidget *m_windowControls = nullptr; // shown with the throughput chart only
    QStackedWidget *m_lowerStack = nullptr;
    StreamChart *m_stream;
    QCheckBox *m_link;
    ChartSeriesBuilder *m_builder;
    /// Whether the shown series is of the same connection as c in an earlier snapshot of the same file (a file
    /// still loading): then the old points stay until the new ones are there, and a zoom stays.
    bool isSnapshotOf(const Connection *c) const;

    const Connection *m_requested = nullptr; // the connection whose series is shown or being built
    std::shared_ptr<ChartSeries> m_series;
    double m_zoomLower = 0, m_zoomUpper = -1; // pending zoomToTime() range (upper < lower: none)
};

} // namespace ol
