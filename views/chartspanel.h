// SPDX-License-Identifier: GPL-3.0-or-later
// The two charts of the current connection one above the other, with their options (wire view, y axis,
// sequence direction, linked time axes) and the wiring to the document's segment selection.
#pragma once

#include "chartseries.h"
#include "tracedocument.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;

namespace ol {

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

signals:
    void wireViewChanged(bool on);
    void yModeChanged(ol::ChartSeries::YMode mode);

private:
    void showConnection();

    TraceDocument *m_document;
    FrameSizeChart *m_frameSizes;
    SequenceChart *m_sequence;
    QLabel *m_title;
    QCheckBox *m_wire;
    QComboBox *m_yAxis;
    QComboBox *m_direction;
    QCheckBox *m_link;
    std::shared_ptr<ChartSeries> m_series;
};

} // namespace ol
