// SPDX-License-Identifier: GPL-3.0-or-later
// A QCustomPlot layerable that paints through a callback: connector lines and arrows across axis rects,
// drawn in pixel space over the whole viewport.
#pragma once

#include "qcp.h"

#include <functional>

namespace ol {

class PainterLayer : public QCPLayerable
{
public:
    using Painter = std::function<void(QCPPainter *)>;
    PainterLayer(QCustomPlot *plot, const QString &layer, Painter painter)
        : QCPLayerable(plot, layer)
        , m_painter(std::move(painter))
    { }

protected:
    void applyDefaultAntialiasingHint(QCPPainter *painter) const override { painter->setAntialiasing(true); }
    void draw(QCPPainter *painter) override
    {
        if (m_painter)
            m_painter(painter);
    }

private:
    Painter m_painter;
};

} // namespace ol
