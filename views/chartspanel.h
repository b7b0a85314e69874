// SPDX-License-Identifier: GPL-3.0-or-later
// The two charts of the current connection one above the other, with their options (wire view, y axis,
// sequence direction, linked time axes) and the wiring to the document's segment selection.
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
class FrameSizeChart;
class SequenceChart;

class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChartsPanel(TraceDocument *document, QWidget *parent = nullptr);

    FrameSizeChart *frameSizeChart() const { return m_frameSizes; }
    SequenceChart *sequenceChart() const { return m_sequence; }

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
    QCheckBox *m_link;
    ChartSeriesBuilder *m_builder;
    const Connection *m_requested = nullptr; // the connection whose series is shown or being built
    std::shared_ptr<ChartSeries> m_series;
    double m_zoomLower = 0, m_zoomUpper = -1; // pending zoomToTime() range (upper < lower: none)
};

} // namespace ol
