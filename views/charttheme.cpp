// SPDX-License-Identifier: GPL-3.0-or-later
// Chart colours and marker shapes (see charttheme.h).
#include "charttheme.h"

namespace ol {

ChartTheme ChartTheme::fromPalette(const QPalette &palette)
{
    ChartTheme t;
    t.background = palette.color(QPalette::Base);
    t.foreground = palette.color(QPalette::Text);
    t.dark = t.background.lightness() < 128;
    t.grid = t.dark ? QColor(70, 74, 80) : QColor(215, 218, 222);
    t.subGrid = t.dark ? QColor(52, 55, 60) : QColor(238, 240, 242);
    // Blue and orange stay apart for the common colour-vision deficiencies.
    t.direction[0] = t.dark ? QColor(100, 170, 255) : QColor(31, 105, 190);
    t.direction[1] = t.dark ? QColor(255, 160, 60) : QColor(220, 110, 0);
    t.retransmission = t.dark ? QColor(255, 80, 80) : QColor(210, 20, 30);
    t.ack = t.dark ? QColor(110, 210, 120) : QColor(30, 140, 50);
    t.window = t.dark ? QColor(200, 190, 90) : QColor(150, 130, 0);
    t.selection = t.dark ? QColor(255, 255, 255) : QColor(0, 0, 0);
    return t;
}

QColor ChartTheme::kindColor(int direction, ChartSeries::Kind kind) const
{
    const QColor base = direction[this->direction];
    switch (kind) {
    case ChartSeries::NoPayload: {
        QColor c = base;
        c.setAlpha(90);
        return c;
    }
    case ChartSeries::Normal:
    case ChartSeries::WirePiece: {
        QColor c = base;
        c.setAlpha(170);
        return c;
    }
    case ChartSeries::Retransmission:
        return retransmission;
    case ChartSeries::Unexplained:
        return dark ? QColor(230, 120, 255) : QColor(150, 30, 170);
    default:
        return base;
    }
}

QCPScatterStyle ChartTheme::scatter(int direction, ChartSeries::Kind kind) const
{
    const QColor c = kindColor(direction, kind);
    switch (kind) {
    case ChartSeries::NoPayload:
        return QCPScatterStyle(QCPScatterStyle::ssDot, c, c, 2);
    case ChartSeries::Normal:
        return QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 1), Qt::NoBrush, 4);
    case ChartSeries::FullSize:
        return QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 4);
    case ChartSeries::SendOffload:
        return QCPScatterStyle(QCPScatterStyle::ssTriangle, QPen(c.darker(130), 1), c, 9);
    case ChartSeries::ReceiveOffload:
        return QCPScatterStyle(QCPScatterStyle::ssTriangleInverted, QPen(c.darker(130), 1), c, 9);
    case ChartSeries::Unexplained:
        return QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(c, 1.5), c, 9);
    case ChartSeries::Retransmission:
        return QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 1.5), Qt::NoBrush, 12);
    case ChartSeries::WirePiece:
        return QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(c, 1), Qt::NoBrush, 5);
    case ChartSeries::KindCount:
        break;
    }
    return {};
}

void ChartTheme::apply(QCustomPlot *plot) const
{
    plot->setBackground(background);
    for (QCPAxis *axis : plot->axisRect()->axes()) {
        axis->setBasePen(QPen(foreground, 1));
        axis->setTickPen(QPen(foreground, 1));
        axis->setSubTickPen(QPen(foreground, 1));
        axis->setTickLabelColor(foreground);
        axis->setLabelColor(foreground);
        axis->grid()->setPen(QPen(grid, 1, Qt::SolidLine));
        axis->grid()->setSubGridPen(QPen(subGrid, 1, Qt::DotLine));
        axis->grid()->setZeroLinePen(QPen(grid, 1));
    }
    plot->legend->setBrush(background);
    plot->legend->setBorderPen(QPen(grid));
    plot->legend->setTextColor(foreground);
    if (QCPSelectionRect *rect = plot->selectionRect()) {
        rect->setPen(QPen(foreground, 1, Qt::DashLine));
        QColor fill = foreground;
        fill.setAlpha(30);
        rect->setBrush(fill);
    }
}

} // namespace ol
