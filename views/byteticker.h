// SPDX-License-Identifier: GPL-3.0-or-later
// Axis ticker for byte counts: "12,500" below a million, "1.5 M" / "2.1 G" above, so that axes stay narrow
// and the two charts' plot areas line up.
#pragma once

#include "qcp.h"

namespace ol {

class ByteTicker : public QCPAxisTicker
{
protected:
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override;
};

} // namespace ol
