// SPDX-License-Identifier: GPL-3.0-or-later
// Annotations, their store and the automatic annotations of a connection (see annotation.h).
#include "annotation.h"

#include "offload.h"
#include "offloadtext.h"

#include <QJsonValue>

#include <algorithm>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

QString kindName(Annotation::Kind k)
{
    switch (k) {
    case Annotation::Kind::Arrow:
        return u"arrow"_s;
    case Annotation::Kind::TimeRange:
        return u"range"_s;
    case Annotation::Kind::Note:
        break;
    }
    return u"note"_s;
}

std::optional<Annotation::Kind> kindFromName(const QString &name)
{
    if (name == u"note"_s)
        return Annotation::Kind::Note;
    if (name == u"arrow"_s)
        return Annotation::Kind::Arrow;
    if (name == u"range"_s)
        return Annotation::Kind::TimeRange;
    return std::nullopt;
}

double seconds(TimeNs t, TimeNs origin)
{
    return double(t - origin) / 1e9;
}

} // namespace

QString Annotation::chartName(Chart chart)
{
    return chart == Chart::Sequence ? u"sequence"_s : u"frame-size"_s;
}

std::optional<Annotation::Chart> Annotation::chartFromName(const QString &name)
{
    if (name == u"frame-size"_s)
        return Chart::FrameSize;
    if (name == u"sequence"_s)
        return Chart::Sequence;
    return std::nullopt;
}

QJsonObject Annotation::toJson() const
{
    QJsonObject o{{u"id"_s, double(id)},
                  {u"kind"_s, kindName(kind)},
                  {u"chart"_s, chartName(chart)},
                  {u"connection"_s, double(connectionId)},
                  {u"x"_s, textPos.x()},
                  {u"y"_s, textPos.y()},
                  {u"text"_s, text}};
    if (pinnedToSegment()) {
        o[u"direction"_s] = direction;
        o[u"frame"_s] = double(frame);
    }
    if (kind == Kind::TimeRange) {
        o[u"t0"_s] = t0;
        o[u"t1"_s] = t1;
    }
    if (automatic)
        o[u"automatic"_s] = true;
    return o;
}

std::optional<Annotation> Annotation::fromJson(const QJsonObject &o)
{
    const auto kind = kindFromName(o.value(u"kind"_s).toString());
    const auto chart = chartFromName(o.value(u"chart"_s).toString());
    if (!kind || !chart || !o.value(u"connection"_s).isDouble() || !o.value(u"x"_s).isDouble()
        || !o.value(u"y"_s).isDouble() || !o.value(u"text"_s).isString())
        return std::nullopt;
    Annotation a;
    a.id = quint64(std::max(0.0, o.value(u"id"_s).toDouble()));
    a.kind = *kind;
    a.chart = *chart;
    a.connectionId = quint32(o.value(u"connection"_s).toDouble());
    a.textPos = QPointF(o.value(u"x"_s).toDouble(), o.value(u"y"_s).toDouble());
    a.text = o.value(u"text"_s).toString();
    if (o.contains(u"frame"_s)) {
        if (!o.value(u"frame"_s).isDouble() || !o.value(u"direction"_s).isDouble())
            return std::nullopt;
        a.direction = std::clamp(o.value(u"direction"_s).toInt(), 0, 1);
        a.frame = quint32(o.value(u"frame"_s).toDouble());
    }
    if (a.kind == Kind::TimeRange) {
        if (!o.value(u"t0"_s).isDouble() || !o.value(u"t1"_s).isDouble())
            return std::nullopt;
        a.t0 = o.value(u"t0"_s).toDouble();
        a.t1 = o.value(u"t1"_s).toDouble();
    }
    if (a.kind == Kind::Arrow && !a.pinnedToSegment())
        return std::nullopt;
    a.automatic = o.value(u"automatic"_s).toBool(false);
    return a;
}

AnnotationStore::AnnotationStore(QObject *parent)
    : QObject(parent)
{ }

const Annotation *AnnotationStore::find(quint64 id) const
{
    for (const Annotation &a : m_items)
        if (a.id == id)
            return &a;
    return nullptr;
}

quint64 AnnotationStore::add(Annotation annotation)
{
    if (annotation.id == 0 || find(annotation.id))
        annotation.id = m_nextId;
    m_nextId = std::max(m_nextId, annotation.id + 1);
    m_items.append(annotation);
    emit changed();
    return annotation.id;
}

bool AnnotationStore::update(const Annotation &annotation)
{
    for (Annotation &a : m_items)
        if (a.id == annotation.id) {
            if (a == annotation)
                return true;
            a = annotation;
            emit changed();
            return true;
        }
    return false;
}

bool AnnotationStore::remove(quint64 id)
{
    const auto n = m_items.removeIf([id](const Annotation &a) { return a.id == id; });
    if (n)
        emit changed();
    return n > 0;
}

void AnnotationStore::reset(const QList<Annotation> &annotations)
{
    m_items.clear();
    m_nextId = 1;
    for (Annotation a : annotations) {
        if (a.id == 0 || find(a.id))
            a.id = m_nextId;
        m_nextId = std::max(m_nextId, a.id + 1);
        m_items.append(a);
    }
    emit changed();
}

QList<Annotation> AnnotationStore::forChart(quint32 connectionId, Annotation::Chart chart) const
{
    QList<Annotation> out;
    for (const Annotation &a : m_items)
        if (a.connectionId == connectionId && a.chart == chart)
            out.append(a);
    return out;
}

qint64 segmentIndexOfFrame(const FlowDirection &direction, quint32 frame)
{
    // Frames grow with the index inside one direction: binary search.
    std::size_t lo = 0, hi = direction.segments.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (direction.segments[mid].frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < direction.segments.size() && direction.segments[lo].frame == frame)
        return qint64(lo);
    return -1;
}

Annotation arrowToSegment(const Connection &c, int d, std::size_t i, Annotation::Chart chart, const QString &text)
{
    Annotation a;
    a.kind = Annotation::Kind::Arrow;
    a.chart = chart;
    a.connectionId = c.id;
    a.direction = d;
    a.frame = c.directions[d].segments[i].frame;
    a.text = text;
    return a;
}

QList<Annotation> automaticAnnotations(const Connection &c, TimeNs origin, Annotation::Chart chart,
                                       int sequenceDirection)
{
    QList<Annotation> out;
    const double duration = std::max(seconds(c.lastTime, origin), 1e-3);
    // Text sits towards the middle of the chart so that it stays inside the plot.
    auto textX = [duration](double t) { return t < duration / 2 ? t + 0.12 * duration : t - 0.12 * duration; };
    const bool sequence = chart == Annotation::Chart::Sequence;
    const int firstDir = sequence ? sequenceDirection : 0;
    const int lastDir = sequence ? sequenceDirection : 1;

    double maxValue = 1; // the chart's y extent, to place text below the top
    for (int d = firstDir; d <= lastDir; ++d) {
        const FlowDirection &fd = c.directions[d];
        if (!fd.segments.empty())
            maxValue = std::max(maxValue, sequence ? double(fd.segments.back().endSeq()) : double(fd.stats.maxPayload));
    }

    auto pinned = [&](int d, std::size_t i, const QString &text, double dy) {
        const Segment &s = c.directions[d].segments[i];
        Annotation a = arrowToSegment(c, d, i, chart, text);
        a.automatic = true;
        const double t = seconds(s.time, origin);
        const double y = sequence ? double(s.endSeq()) : double(s.payload);
        // Sequence chart: the data climbs from bottom left to top right, so beside a point (right of it early
        // in the connection, left of it late) there is room.
        const double x = sequence ? (t < duration / 2 ? t + 0.3 * duration : t - 0.3 * duration) : textX(t);
        a.textPos = QPointF(x, std::clamp(y + dy * maxValue, 0.08 * maxValue, 0.92 * maxValue));
        out.append(a);
    };

    // The largest super-segment (send offload or receive coalescing).
    int bestDir = -1;
    std::size_t bestIndex = 0;
    std::uint32_t best = 0;
    for (int d = firstDir; d <= lastDir; ++d) {
        const FlowDirection &fd = c.directions[d];
        const std::uint32_t eff = fd.offload.effectiveMss;
        for (std::size_t i = 0; i < fd.segments.size(); ++i) {
            const Segment &s = fd.segments[i];
            if (eff && s.payload > eff && s.payload > best) {
                best = s.payload;
                bestDir = d;
                bestIndex = i;
            }
        }
    }
    if (bestDir >= 0) {
        const DirectionOffload &o = c.directions[bestDir].offload;
        const QString phrase = QString::fromStdString(segmentsPhrase(best, o.effectiveMss));
        const QString why = o.verdict == OffloadVerdict::ReceiveOffload ? u"merged by LRO/GRO"_s
            : o.verdict == OffloadVerdict::SendOffload                  ? u"one TSO/GSO super-segment"_s
                                                                        : u"larger than the MSS"_s;
        pinned(bestDir, bestIndex, u"Largest: %1\n(%2)"_s.arg(phrase, why), sequence ? 0.05 : -0.22);
    }

    // The first retransmission.
    int retransDir = -1;
    std::size_t retransIndex = 0;
    for (int d = firstDir; d <= lastDir; ++d) {
        const FlowDirection &fd = c.directions[d];
        for (std::size_t i = 0; i < fd.segments.size(); ++i)
            if (fd.segments[i].has(Segment::Retransmission) && fd.segments[i].payload) {
                if (retransDir < 0 || fd.segments[i].time < c.directions[retransDir].segments[retransIndex].time) {
                    retransDir = d;
                    retransIndex = i;
                }
                break;
            }
    }
    if (retransDir >= 0)
        pinned(retransDir, retransIndex,
               u"First retransmission (frame %1)"_s.arg(c.directions[retransDir].segments[retransIndex].frame),
               sequence ? -0.1 : 0.3);

    // The MSS line of the busiest direction, explained where it starts.
    if (!sequence) {
        const int d = c.directions[1].stats.payloadBytes > c.directions[0].stats.payloadBytes ? 1 : 0;
        const DirectionOffload &o = c.directions[d].offload;
        if (o.mssKnown && o.mss) {
            Annotation a;
            a.kind = Annotation::Kind::Note;
            a.chart = chart;
            a.connectionId = c.id;
            a.automatic = true;
            const std::uint32_t eff = o.effectiveMss ? o.effectiveMss : o.mss;
            a.text = eff != o.mss ? u"MSS %1 − %2 bytes of options = %3 bytes per wire segment"_s.arg(
                         text::thousands(o.mss), QString::number(o.mss - eff), text::thousands(eff))
                                  : u"MSS %1 bytes per wire segment%2"_s.arg(
                                      text::thousands(o.mss), o.mssInferred ? u" (inferred)"_s : QString());
            a.textPos = QPointF(0.01 * duration, double(eff));
            out.append(a);
        }
    }
    return out;
}

void addAnnotationComments(const Trace &trace, const QList<Annotation> &annotations, FrameComments &comments)
{
    for (const Annotation &a : annotations) {
        if (a.automatic || a.text.trimmed().isEmpty())
            continue;
        const Connection *c = trace.connectionById(a.connectionId);
        if (!c)
            continue;
        const QString text = a.text.simplified();
        if (a.pinnedToSegment()) {
            comments[a.frame].push_back("OffloadLens note: " + text.toStdString());
            continue;
        }
        if (a.kind != Annotation::Kind::TimeRange)
            continue;
        // The earliest frame of the connection inside the range, either direction.
        const TimeNs from = c->firstTime + TimeNs(a.t0 * 1e9), to = c->firstTime + TimeNs(a.t1 * 1e9);
        std::uint32_t first = 0;
        for (const FlowDirection &d : c->directions)
            for (std::size_t i = 0; i < d.segments.size(); ++i) {
                const Segment &s = d.segments[i];
                if (s.time >= from) {
                    if (s.time <= to && (!first || s.frame < first))
                        first = s.frame;
                    break;
                }
            }
        if (first)
            comments[first].push_back("OffloadLens note (" + QString::number(a.t0, 'f', 3).toStdString() + " s to "
                                      + QString::number(a.t1, 'f', 3).toStdString() + " s): " + text.toStdString());
    }
}

} // namespace ol
