// SPDX-License-Identifier: GPL-3.0-or-later
// The ladder (sequence) diagram of one connection pair: the client-side and the server-side capture as two
// vertical time lines, each segment a slanted arrow from the sender's line to the receiver's, offload splits
// fanning out of one point, lost segments ending mid-way in a cross. Time runs downwards.
#pragma once

#include "charttheme.h"
#include "comparemodel.h"
#include "pairchart.h"
#include "qcp.h"

#include <QWidget>

#include <vector>

namespace ol {

class PainterLayer;

class LadderChart : public PairChart
{
    Q_OBJECT
public:
    explicit LadderChart(QWidget *parent = nullptr);

    QCustomPlot *plot() const { return m_plot; }

    void resetZoom() override;
    /// The visible time range (seconds since A's connection start, offset-corrected): shared with the compare chart.
    void setTimeRange(double lower, double upper) override;
    QCPRange timeRange() const override;

    /// Arrows drawn for the visible range (at most MaxArrows), and whether the cap cut some.
    int arrowCount() const { return int(m_visible.size()); }
    bool isCapped() const { return m_capped; }
    /// Lost arrows drawn (ending mid-way).
    int lostArrowCount() const;
    /// Arrows that belong to a 1:N or N:1 split among those drawn.
    int splitArrowCount() const;
    QString title() const;
    bool exportTo(const QString &path, int width = 0, int height = 0);

    static constexpr int MaxArrows = 2000;

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Arrow {
        double t0 = 0, t1 = 0; // send time on the sender's line, arrival time on the receiver's
        int direction = 0; // A's direction
        bool fromLeft = true; // the sender is the left (client-side) line
        bool lost = false; // ends mid-way
        bool split = false; // part of a 1:N / N:1 group
    };
    void rebuild() override;
    void updateVisible();
    void applyTheme();
    void drawArrows(QCPPainter *painter);
    void onRangeChanged(const QCPRange &range);

    QCustomPlot *m_plot;
    QCPTextElement *m_title;
    PainterLayer *m_overlay;
    ChartTheme m_theme;
    double m_offset = 0;
    bool m_aLeft = true; // A is the client-side capture
    std::vector<Arrow> m_arrows; // by send time
    std::vector<int> m_visible;
    bool m_capped = false;
    int m_inView = 0;
};

} // namespace ol
