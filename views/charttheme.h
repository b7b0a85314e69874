// SPDX-License-Identifier: GPL-3.0-or-later
// Colours and marker shapes of the charts, derived from the widget palette so that light and dark both read.
#pragma once

#include "chartseries.h"
#include "qcp.h"

#include <QColor>
#include <QPalette>

namespace ol {

struct ChartTheme {
    bool dark = false;
    QColor background;
    QColor foreground;
    QColor grid;
    QColor subGrid;
    QColor direction[2]; // client→server, server→client
    QColor retransmission;
    QColor ack;
    QColor window;
    QColor selection;

    static ChartTheme fromPalette(const QPalette &palette);
    /// Colour of a kind's markers in a direction (offload kinds stand out, ordinary ones are lighter).
    QColor kindColor(int direction, ChartSeries::Kind kind) const;
    /// Marker shape and size of a kind.
    QCPScatterStyle scatter(int direction, ChartSeries::Kind kind) const;
    /// Applies background, axis and grid colours to a plot.
    void apply(QCustomPlot *plot) const;
};

} // namespace ol
