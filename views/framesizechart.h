// SPDX-License-Identifier: GPL-3.0-or-later
// Frame size over time for one connection: TCP payload (or IP length) per segment, a colour per direction,
// a marker shape per offload class, and each direction's MSS and effective MSS as labelled lines.
#pragma once

#include "chartbase.h"

#include <QStringList>

namespace ol {

class FrameSizeChart : public ChartBase
{
    Q_OBJECT
public:
    explicit FrameSizeChart(QWidget *parent = nullptr);

    void setWireView(bool on);
    bool wireView() const { return m_wireView; }
    void setYMode(ChartSeries::YMode mode);
    ChartSeries::YMode yMode() const { return m_yMode; }

    /// Points currently handed to the plot for a direction and kind (after decimation).
    int pointCount(int direction, ChartSeries::Kind kind) const;
    /// Heights of the MSS lines drawn (effective MSS first, then the announced MSS where it differs).
    QVector<double> mssLineValues() const;
    /// Texts of the MSS labels.
    QStringList mssLabels() const;

protected:
    void rebuild() override;
    int updateData(const PixelMapping &mapping) override;
    void dataRange(QCPRange &x, QCPRange &y) const override;
    bool markerPosition(SegmentRef segment, double &key, double &value) const override;
    void forgetGraphs() override;

private:
    void ensureSeries();
    void addMssLines();
    double lineOffset(int direction) const;

    bool m_wireView = false;
    ChartSeries::YMode m_yMode = ChartSeries::YMode::Payload;
    QCPGraph *m_graphs[2][ChartSeries::KindCount] = {};
    int m_layer[2][ChartSeries::KindCount] = {};
    QVector<double> m_mssValues;
    QStringList m_mssLabels;
};

} // namespace ol
