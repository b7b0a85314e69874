// SPDX-License-Identifier: GPL-3.0-or-later
// What the connection charts share: the QCustomPlot, zoom (wheel, rubber band with Shift or the right
// button), pan (drag), reset (R / Home), a time axis that other charts can follow, a crosshair at the mouse's
// time that linked charts show too, re-decimation when the visible range or the width changes, hover tooltips
// and click-to-select of a segment.
#pragma once

#include "chartseries.h"
#include "charttheme.h"
#include "pixelmapping.h"
#include "qcp.h"
#include "tracedocument.h"

#include <QVector>
#include <QWidget>

#include <memory>
#include <vector>

namespace ol {

class ChartBase : public QWidget
{
    Q_OBJECT
public:
    explicit ChartBase(QWidget *parent = nullptr);

    /// Shows a connection's series (shared with the other chart); null clears the chart.
    void setSeries(std::shared_ptr<ChartSeries> series);
    std::shared_ptr<ChartSeries> series() const { return m_series; }
    QCustomPlot *plot() const { return m_plot; }

    /// Shows the whole connection.
    void resetZoom();
    /// Shows a time range (seconds since the connection start); used to link charts.
    void setTimeRange(double lower, double upper);
    QCPRange timeRange() const;
    /// The current visible time range across the plot's pixel width.
    PixelMapping pixelMapping() const;
    /// Decimates for the current view and queues a replot; returns the number of points handed to the plot.
    int redecimate();
    /// Marks a segment (or nothing).
    void setSelectedSegment(SegmentRef segment);
    SegmentRef selectedSegment() const { return m_selected; }
    /// Tooltip text (HTML) for the point nearest a position in plot pixels, empty if none is close.
    QString tooltipAt(const QPointF &pos) const;
    /// Saves the chart as it is shown: PNG (at twice the size in pixels), PDF or SVG by the file's extension, through
    /// the one chart renderer (chartexport.h). False on failure.
    bool exportTo(const QString &path, int width = 0, int height = 0);
    /// The segment nearest a position in plot pixels, within a few pixels.
    SegmentRef segmentAt(const QPointF &pos) const;
    /// Where a segment is drawn (plot coordinates); false when this chart does not show it.
    bool segmentPoint(SegmentRef segment, double &key, double &value) const
    {
        return m_series && m_series->isValid() && markerPosition(segment, key, value);
    }
    /// Shows the crosshair, a vertical line, at a time (seconds since the connection start); NaN hides it.
    void setCrosshair(double time);
    /// Where the crosshair is, NaN when hidden.
    double crosshair() const;
    /// Frame number of the i-th plotted point of a graph (hover/click layers only), 0 if it has none.
    quint32 frameOfPoint(const QCPAbstractPlottable *graph, int i) const;

signals:
    void timeRangeChanged(double lower, double upper);
    /// The mouse moved over the plot to this time, or left it (NaN): linked charts show the same crosshair.
    void crosshairMoved(double time);
    void segmentClicked(const ol::SegmentRef &segment);
    /// Graphs and items were recreated (new series, options or palette): overlays draw themselves again.
    void plotRebuilt();

protected:
    /// Creates the graphs, items and legend entries for the current series.
    virtual void rebuild() = 0;
    /// Hands decimated data for the mapping to the graphs; returns points handed over.
    virtual int updateData(const PixelMapping &mapping) = 0;
    /// The whole data extent: x in seconds, y in the chart's unit.
    virtual void dataRange(QCPRange &x, QCPRange &y) const = 0;
    /// Where the selection marker goes for a segment.
    virtual bool markerPosition(SegmentRef segment, double &key, double &value) const = 0;
    /// Drops every pointer a chart keeps to its graphs: clearPlot() has just deleted them, and a null series
    /// never calls rebuild() to set new ones.
    virtual void forgetGraphs() = 0;

    /// A graph whose points can be hovered and clicked: parallel to its data, the source segment indices.
    struct HitLayer {
        QCPGraph *graph = nullptr;
        int direction = 0;
        QVector<quint32> indices;
        QVector<double> highs; // bar tops (bars hit anywhere between value and high)
    };
    /// A line (HTML) the tooltip of the i-th plotted point of a hit layer starts with, above the segment's own
    /// tooltip: what the point measures ("RTT 12.3 ms"). Empty by default.
    virtual QString pointTooltip(const HitLayer &layer, int point) const
    {
        Q_UNUSED(layer);
        Q_UNUSED(point);
        return QString();
    }
    /// Removes graphs, items and hit layers (before rebuild()), and has the chart forget its graph pointers.
    void clearPlot();
    HitLayer &addHitLayer(QCPGraph *graph, int direction);
    std::vector<HitLayer> &hitLayers() { return m_hitLayers; }
    const ChartTheme &theme() const { return m_theme; }
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

    std::shared_ptr<ChartSeries> m_series;

private:
    /// The hit layer and point nearest a position in plot pixels, within a few pixels; false if none.
    bool hitAt(const QPointF &pos, int &layer, int &point) const;
    void onRangeChanged(const QCPRange &range);
    void scheduleRedecimate();
    void updateMarker();
    void applyTheme();
    /// As many legend columns as the plot's width holds (at most four).
    void fitLegend();

    QCustomPlot *m_plot;
    QCPGraph *m_marker = nullptr;
    QCPItemStraightLine *m_crosshair = nullptr; // on the buffered overlay layer: moving it redraws nothing else
    ChartTheme m_theme;
    std::vector<HitLayer> m_hitLayers;
    SegmentRef m_selected;
    PixelMapping m_lastMapping;
    bool m_redecimatePending = false;
    bool m_settingRange = false;
    QPoint m_pressPos;
};

} // namespace ol
