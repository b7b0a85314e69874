// SPDX-License-Identifier: GPL-3.0-or-later
// Byte-count tick labels (see byteticker.h).
#include "byteticker.h"

#include "offloadtext.h"

#include <cmath>

namespace ol {

using namespace Qt::StringLiterals;

QString ByteTicker::getTickLabel(double tick, const QLocale &, QChar, int)
{
    const double a = std::abs(tick);
    const QString sign = tick < 0 ? u"−"_s : QString();
    auto scaled = [&](double unit, const QString &suffix) {
        QString s = QString::number(a / unit, 'f', 2);
        while (s.endsWith(u'0'))
            s.chop(1);
        if (s.endsWith(u'.'))
            s.chop(1);
        return sign + s + u' ' + suffix;
    };
    if (a >= 1e9)
        return scaled(1e9, u"G"_s);
    if (a >= 1e6)
        return scaled(1e6, u"M"_s);
    return sign + text::thousands(quint64(std::llround(a)));
}

} // namespace ol
