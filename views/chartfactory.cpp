// SPDX-License-Identifier: GPL-3.0-or-later
// Chart types by name (see chartfactory.h).
#include "chartfactory.h"

#include "framesizechart.h"
#include "sequencechart.h"

namespace ol {

using namespace Qt::StringLiterals;

QList<ChartType> chartTypes()
{
    static const QList<ChartType> types{
        {u"frame-size"_s, u"frame size over time against the MSS"_s, true, Annotation::Chart::FrameSize},
        {u"sequence"_s, u"time-sequence of the busier direction"_s, true, Annotation::Chart::Sequence},
        {u"compare"_s, u"two captures side by side"_s, false, Annotation::Chart::FrameSize},
        {u"ladder"_s, u"ladder of one connection seen at two points"_s, false,
         Annotation::Chart::FrameSize},
    };
    return types;
}

const ChartType *findChartType(const QString &name)
{
    static const QList<ChartType> types = chartTypes();
    for (const ChartType &t : types)
        if (t.name == name)
            return &t;
    return nullptr;
}

ChartBase *createChart(const QString &name, QWidget *parent)
{
    if (name == u"frame-size"_s)
        return new FrameSizeChart(parent);
    if (name == u"sequence"_s)
        return new SequenceChart(parent);
    return nullptr;
}

} // namespace ol
