// SPDX-License-Identifier: GPL-3.0-or-later
// The pair table of two traces and the clock-offset override (see comparemodel.h).
#include "comparemodel.h"

#include "compareseries.h"
#include "jobrunner.h"

#include <algorithm>
#include <cmath>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

std::size_t segmentCount(const Trace &t)
{
    std::size_t n = 0;
    for (const auto &c : t.connections)
        n += c->directions[0].segments.size() + c->directions[1].segments.size();
    return n;
}

QString endpoints(const Connection *c)
{
    if (!c)
        return u"?"_s;
    return u"#%1 %2 → %3"_s.arg(c->id).arg(QString::fromStdString(c->client.toString()),
                                           QString::fromStdString(c->server.toString()));
}

std::uint64_t splits(const ConnectionPair &p)
{
    std::uint64_t n = 0;
    for (const PairDirection &d : p.dir)
        n += d.mapping.oneToMany + d.mapping.manyToOne + d.mapping.manyToMany;
    return n;
}

/// The alignment's loss rule, per sender-side segment: the receiver side never shows the bytes while it was
/// capturing, or shows them only when the sender's retransmission could already have arrived.
void findLost(PairMapping &m, int d, const PairDirection &pd)
{
    // Which segments were lost is the core's finding (pd.lostSegments); here they are only placed in their
    // mapping group, with the retransmission that finally carried their bytes for the ladder's late arrow.
    const int s = pd.senderSide;
    if (s < 0 || pd.lostSegments.empty())
        return;
    const FlowDirection &fs = s == 0 ? m.a->directions[d] : m.b->directions[m.bDirection[d]];
    std::vector<std::int64_t> retrans; // sender-side retransmissions, by sequence
    for (std::size_t i = 0; i < fs.segments.size(); ++i)
        if (fs.segments[i].payload && fs.segments[i].has(Segment::Retransmission))
            retrans.push_back(std::int64_t(i));
    std::sort(retrans.begin(), retrans.end(), [&](std::int64_t l, std::int64_t r) {
        return fs.segments[std::size_t(l)].relSeq < fs.segments[std::size_t(r)].relSeq;
    });
    const std::vector<std::uint32_t> &lost = pd.lostSegments;
    const auto &groups = m.groups[d];
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const SegmentMapping &g = groups[gi];
        const std::int64_t sFirst = s == 0 ? g.aFirst : g.bFirst, sLast = s == 0 ? g.aLast : g.bLast;
        if (sFirst < 0)
            continue;
        for (auto it = std::lower_bound(lost.begin(), lost.end(), std::uint32_t(sFirst));
             it != lost.end() && std::int64_t(*it) <= sLast; ++it) {
            const Segment &seg = fs.segments[*it];
            std::int64_t carrier = -1;
            for (std::int64_t r : retrans) { // the first retransmission of these bytes, if any
                const Segment &rs = fs.segments[std::size_t(r)];
                if (rs.relSeq >= seg.endSeq())
                    break;
                if (rs.endSeq() > seg.relSeq && rs.time > seg.time
                    && (carrier < 0 || rs.time < fs.segments[std::size_t(carrier)].time))
                    carrier = r;
            }
            m.lost[d].push_back({std::int64_t(gi), std::int64_t(*it), carrier});
        }
    }
}

} // namespace

const Connection *connectionById(const Trace &t, std::uint32_t id)
{
    if (id < t.connections.size() && t.connections[id]->id == id)
        return t.connections[id].get();
    for (const auto &c : t.connections)
        if (c->id == id)
            return c.get();
    return nullptr;
}

PairMapping buildPairMapping(const Trace &a, const Trace &b, const ConnectionPair &pair)
{
    PairMapping m;
    m.a = connectionById(a, pair.a);
    m.b = connectionById(b, pair.b);
    if (!m.isValid())
        return m;
    m.origin = m.a->firstTime;
    for (int d = 0; d < 2; ++d) {
        const PairDirection &pd = pair.dir[d];
        m.bDirection[d] = pd.bDirection;
        // Unknown sender side: A nearer the client sends direction 0 (client -> server) first-hand.
        m.senderSide[d] = pd.senderSide >= 0 ? pd.senderSide : (pair.aSide == 1 ? 1 - d : d);
        m.oneWayDelayS[d] = std::isfinite(pd.oneWayDelayS) ? pd.oneWayDelayS : 0.0;
        m.groups[d] = pd.groups;
        for (const SegmentMapping &g : pd.groups)
            if (PairMapping::isSplit(g))
                ++m.splitGroups;
        findLost(m, d, pd);
    }
    return m;
}

CompareModel::CompareModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_runner(new JobRunner(this))
{ }

CompareModel::~CompareModel()
{
    delete m_runner; // a running alignment is dropped and joined while the model is still whole
    m_runner = nullptr;
}

void CompareModel::clear()
{
    beginResetModel();
    m_runner->cancel();
    m_running = false;
    m_a.reset();
    m_b.reset();
    m_result.reset();
    endResetModel();
}

void CompareModel::setTraces(std::shared_ptr<const Trace> a, std::shared_ptr<const Trace> b, bool allowWorker)
{
    clear();
    if (!a || !b)
        return;
    m_a = std::move(a);
    m_b = std::move(b);
    m_running = true;
    emit alignmentStarted();
    if (!allowWorker || segmentCount(*m_a) + segmentCount(*m_b) <= m_workerThreshold) {
        applyResult(CompareResult::compute(m_a, m_b));
        return;
    }
    // The traces are immutable and shared: the job keeps them alive and hands back one whole, immutable result
    // (alignment, mappings, plot data); the runner drops it when newer traces (or clear()) came first, and joins
    // the job when the model goes.
    m_runner->run(
        [a = m_a, b = m_b](const JobControl &control) { return CompareResult::compute(a, b, control.cancelFlag()); },
        [this](std::shared_ptr<const CompareResult> result) { applyResult(std::move(result)); });
}

void CompareModel::applyResult(std::shared_ptr<const CompareResult> result)
{
    beginResetModel();
    m_result = std::move(result);
    m_running = false;
    endResetModel();
    emit alignmentFinished();
}

const AlignmentResult &CompareModel::result() const
{
    static const AlignmentResult empty;
    return m_result ? *m_result->alignment : empty;
}

std::shared_ptr<const AlignmentResult> CompareModel::sharedResult() const
{
    return m_result ? m_result->alignment : nullptr;
}

int CompareModel::pairCount() const
{
    return m_result ? int(m_result->alignment->pairs.size()) : 0;
}

const ConnectionPair *CompareModel::pair(int index) const
{
    return index >= 0 && index < pairCount() ? &m_result->alignment->pairs[std::size_t(index)] : nullptr;
}

const Connection *CompareModel::connectionA(int index) const
{
    const ConnectionPair *p = pair(index);
    return p && m_a ? connectionById(*m_a, p->a) : nullptr;
}

const Connection *CompareModel::connectionB(int index) const
{
    const ConnectionPair *p = pair(index);
    return p && m_b ? connectionById(*m_b, p->b) : nullptr;
}

const PairMapping &CompareModel::mapping(int index) const
{
    static const PairMapping empty;
    return pair(index) ? m_result->mappings[std::size_t(index)] : empty;
}

const CompareSeries *CompareModel::compareSeries(int index) const
{
    return pair(index) ? &m_result->series[std::size_t(index)] : nullptr;
}

void CompareModel::setClockOffsetOverride(std::optional<double> seconds)
{
    if (seconds == m_override)
        return;
    m_override = seconds;
    if (rowCount() > 0)
        emit dataChanged(index(0, OffsetColumn), index(rowCount() - 1, OffsetColumn));
    emit clockOffsetChanged();
}

double CompareModel::effectiveOffset(int index) const
{
    if (m_override)
        return *m_override;
    const ConnectionPair *p = pair(index);
    return p && std::isfinite(p->clockOffsetS) ? p->clockOffsetS : 0.0;
}

int CompareModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : pairCount();
}

int CompareModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CompareModel::data(const QModelIndex &index, int role) const
{
    const ConnectionPair *p = index.isValid() ? pair(index.row()) : nullptr;
    if (!p)
        return {};
    if (role == PairIndexRole)
        return index.row();
    if (role == SortRole) {
        switch (index.column()) {
        case AColumn:
            return p->a;
        case BColumn:
            return p->b;
        case NatColumn:
            return p->nat;
        case OffsetColumn:
            return effectiveOffset(index.row());
        case LostColumn:
            return quint64(p->lostBetweenPoints);
        case SplitsColumn:
            return quint64(splits(*p));
        }
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == OffsetColumn)
        return m_override ? u"Manual override; the estimate is %1 s"_s.arg(p->clockOffsetS, 0, 'f', 6)
                          : u"How far B's clock is ahead of A's, from causality in both directions"_s;
    if (role == Qt::TextAlignmentRole && index.column() >= NatColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case AColumn:
        return endpoints(connectionA(index.row()));
    case BColumn:
        return endpoints(connectionB(index.row()));
    case NatColumn:
        return p->nat ? u"yes"_s : u"no"_s;
    case OffsetColumn:
        if (m_override)
            return u"%1 s (manual)"_s.arg(*m_override, 0, 'f', 6);
        if (!std::isfinite(p->clockOffsetS))
            return u"unknown"_s;
        return u"%1 s ± %2 ms"_s.arg(p->clockOffsetS, 0, 'f', 6).arg(p->offsetUncertaintyS * 1e3, 0, 'f', 3);
    case LostColumn:
        return QString::number(p->lostBetweenPoints);
    case SplitsColumn: {
        quint64 oneToMany = 0, manyToOne = 0;
        for (const PairDirection &d : p->dir) {
            oneToMany += d.mapping.oneToMany;
            manyToOne += d.mapping.manyToOne;
        }
        return u"%1 / %2"_s.arg(oneToMany).arg(manyToOne);
    }
    }
    return {};
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AColumn:
        return u"A connection"_s;
    case BColumn:
        return u"B connection"_s;
    case NatColumn:
        return u"NAT"_s;
    case OffsetColumn:
        return u"Clock offset (B − A)"_s;
    case LostColumn:
        return u"Lost between points"_s;
    case SplitsColumn:
        return u"1:N / N:1"_s;
    }
    return {};
}

} // namespace ol
