// SPDX-License-Identifier: GPL-3.0-or-later
// Time-sequence chart (Stevens/tcptrace style) of one direction: each segment a vertical bar from its first to
// its last byte, so a 64 KB super-segment visibly spans many MSS; the peer's ACK and receive-window lines;
// retransmissions in red.
#pragma once

#include "chartbase.h"

namespace ol {

class SequenceChart : public ChartBase
{
    Q_OBJECT
public:
    explicit SequenceChart(QWidget *parent = nullptr);

    /// Which direction's sequence space is shown (0 = client→server).
    void setDirection(int direction);
    int direction() const { return m_direction; }

    /// Bars currently handed to the plot for a kind (after decimation).
    int barCount(ChartSeries::Kind kind) const;
    int ackPointCount() const;

protected:
    void rebuild() override;
    int updateData(const PixelMapping &mapping) override;
    void dataRange(QCPRange &x, QCPRange &y) const override;
    bool markerPosition(SegmentRef segment, double &key, double &value) const override;
    void forgetGraphs() override;

private:
    int m_direction = 0;
    QCPGraph *m_bars[ChartSeries::KindCount] = {};
    QCPErrorBars *m_errors[ChartSeries::KindCount] = {};
    int m_layer[ChartSeries::KindCount] = {};
    QCPGraph *m_ack = nullptr;
    QCPGraph *m_window = nullptr;
};

} // namespace ol
