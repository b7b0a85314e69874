// SPDX-License-Identifier: GPL-3.0-or-later
// The side-by-side view of one connection pair: A's frame sizes on top, B's below on a shared, offset-corrected
// time axis, connector lines from each super-segment to the segments that carried its bytes at the other point,
// lost segments crossed out on the sender side, and a thin delta lane of the one-way delay per segment group.
#pragma once

#include "charttheme.h"
#include "comparemodel.h"
#include "pairchart.h"
#include "pointseries.h"
#include "qcp.h"

#include <QWidget>

#include <vector>

namespace ol {

class PainterLayer;

class CompareChart : public PairChart
{
    Q_OBJECT
public:
    explicit CompareChart(QWidget *parent = nullptr);

    QCustomPlot *plot() const { return m_plot; }
    QCPAxisRect *rectA() const { return m_rectA; }
    QCPAxisRect *rectB() const { return m_rectB; }
    QCPAxisRect *deltaRect() const { return m_rectDelta; }

    void resetZoom() override;
    /// Zooms to the first few split groups (1:N or N:1) of the pair: the view that explains offload.
    void zoomToFirstSplits(int count = 3);
    void setTimeRange(double lower, double upper) override;
    QCPRange timeRange() const override;
    /// Seconds subtracted from B's times (the offset in use).
    double bShift() const { return m_offset; }

    /// Split groups (1:N, N:1) with a connector in the visible range, and the lines drawn for them.
    int connectorGroupsInView() const;
    int connectorLinesInView() const;
    /// Sender-side segments marked lost (both directions).
    int lostMarkCount() const { return m_lostMarks; }
    /// Time of the first plotted point of A and of B (after the offset correction), NaN if none.
    double firstPointTimeA() const;
    double firstPointTimeB() const;
    /// Points in the delta lane.
    int deltaPointCount() const;
    bool exportTo(const QString &path, int width = 0, int height = 0);

    static constexpr int MaxConnectorLines = 3000;

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild() override;
    /// Moves B's points (and the delay lane) by the new offset: the plot data does not change.
    void offsetChanged() override;
    void updateTitle();
    void applyTheme();
    void drawOverlay(QCPPainter *painter);
    void onRangeChanged(const QCPRange &range);
    /// Visits the split groups whose earlier side lies in the visible range, until the line cap.
    template <typename F> int forVisibleConnectors(F &&visit) const;

    QCustomPlot *m_plot;
    QCPAxisRect *m_rectA, *m_rectB, *m_rectDelta;
    QCPTextElement *m_title;
    PainterLayer *m_overlay;
    ChartTheme m_theme;
    double m_offset = 0;
    int m_lostMarks = 0;
    bool m_syncing = false;
    /// The graphs show a per-pixel min/max reduction of the visible range of the pair's series (as the main
    /// charts do), so a pair of 1M-frame captures stays interactive; the series belong to the model's immutable
    /// result, which the chart holds while it shows them.
    struct Decimated {
        QCPGraph *graph = nullptr;
        QCPAxisRect *rect = nullptr;
        const PointSeries *series = nullptr;
        int side = 0; // whose clock the keys are on (1 = B: moved back by the offset)
        int delayDirection = -1; // the delay lane's direction, -1 for the frame lanes
    };
    std::shared_ptr<const CompareResult> m_data;
    const CompareSeries *m_series = nullptr;
    std::vector<Decimated> m_decimated;
    void addDecimated(QCPGraph *graph, QCPAxisRect *rect, const PointSeries &series, int side, int delayDirection = -1);
    double keyShift(const Decimated &d) const;
    double valueShift(const Decimated &d) const;
    void redecimate();
};

} // namespace ol
