// SPDX-License-Identifier: GPL-3.0-or-later
// Chart types by name (see chartfactory.h).
#include "chartfactory.h"

#include "chartexport.h"
#include "comparechart.h"
#include "comparecsv.h"
#include "framesizechart.h"
#include "ladderchart.h"
#include "sequencechart.h"
#include "streamchart.h"

#include <QFileInfo>
#include <QSaveFile>

namespace ol {

using namespace Qt::StringLiterals;

QList<ChartType> chartTypes()
{
    static const QList<ChartType> types{
        {u"frame-size"_s, u"frame size over time against the MSS"_s, true, Annotation::Chart::FrameSize},
        {u"sequence"_s, u"time-sequence of the busier direction"_s, true, Annotation::Chart::Sequence},
        {u"compare"_s, u"two captures side by side"_s, true, Annotation::Chart::FrameSize, true},
        {u"ladder"_s, u"ladder of one connection seen at two points"_s, true, Annotation::Chart::FrameSize, true},
        // The stream graphs (streamchart.h); their CSV is the core's data (model/core/streamseries). Annotations are
        // kept in the frame-size or sequence chart's units, so these charts draw none.
        {u"rtt"_s, u"round-trip time per ACK (Karn's rule) of the busier direction"_s, true,
         Annotation::Chart::FrameSize, false, false},
        {u"throughput"_s, u"throughput and goodput over a sliding window"_s, true, Annotation::Chart::FrameSize, false,
         false},
        {u"inflight"_s, u"bytes in flight against the peer's receive window"_s, true, Annotation::Chart::FrameSize,
         false, false},
        {u"window"_s, u"advertised receive window (scaled)"_s, true, Annotation::Chart::FrameSize, false, false},
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
    if (const auto kind = StreamChart::kindFromId(name))
        return new StreamChart(*kind, parent);
    return nullptr;
}

QWidget *createPairChart(const QString &name, const CompareModel *model, int pairIndex, QWidget *parent)
{
    if (name == u"compare"_s) {
        auto *chart = new CompareChart(parent);
        chart->setPair(model, pairIndex);
        return chart;
    }
    if (name == u"ladder"_s) {
        auto *chart = new LadderChart(parent);
        chart->setPair(model, pairIndex);
        return chart;
    }
    return nullptr;
}

QByteArray pairChartCsv(const QWidget *chart)
{
    const auto *pair = qobject_cast<const PairChart *>(chart);
    if (!pair || !pair->model())
        return {};
    const CompareModel &m = *pair->model();
    const int index = pair->pairIndex();
    const PairMapping &mapping = m.mapping(index);
    const double offset = m.effectiveOffset(index);
    const std::string csv = qobject_cast<const LadderChart *>(chart)
        ? ladderCsv(mapping, offset)
        : (m.traceA() && m.traceB() ? compareCsv(*m.traceA(), *m.traceB(), mapping, offset) : std::string());
    return QByteArray::fromStdString(csv);
}

bool exportPairChart(QWidget *chart, const QString &path, int width, int height, QString *error)
{
    const ExportFormat format = exportFormatFor(path);
    if (format == ExportFormat::Unknown) {
        if (error)
            *error = u"two-trace charts export as .png, .svg, .pdf or .csv"_s;
        return false;
    }
    if (format == ExportFormat::Csv) {
        // The data of the pair, not the picture: written without drawing.
        const QByteArray csv = pairChartCsv(chart);
        QSaveFile file(path);
        if (csv.isEmpty() || !file.open(QIODevice::WriteOnly) || file.write(csv) != csv.size() || !file.commit()) {
            if (error)
                *error = csv.isEmpty() ? u"no pair is shown"_s : file.errorString();
            return false;
        }
        return true;
    }
    bool ok = false;
    if (auto *c = qobject_cast<CompareChart *>(chart))
        ok = c->exportTo(path, width, height);
    else if (auto *l = qobject_cast<LadderChart *>(chart))
        ok = l->exportTo(path, width, height);
    if (!ok && error)
        *error = u"could not write the file"_s;
    return ok;
}

} // namespace ol
