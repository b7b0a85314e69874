// SPDX-License-Identifier: GPL-3.0-or-later
// The pair table of two loaded traces: runs the alignment (on a worker thread for large traces), lists the
// connection pairs, and holds the manual clock-offset override the compare views use instead of the estimate.
#pragma once

#include "alignment.h"
#include "trace.h"

#include <QAbstractTableModel>

#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace ol {

class JobRunner;
struct CompareResult;
struct CompareSeries;

/// The segment mapping of one pair in both directions, with times on A's clock for the compare views. The
/// groups are the alignment's own (ConnectionPair::dir[d].groups), not a copy: a PairMapping is valid while the
/// alignment result and the traces it was built from are (CompareResult holds all three).
struct PairMapping {
    const Connection *a = nullptr, *b = nullptr;
    int bDirection[2] = {0, 1};
    int senderSide[2] = {0, 1}; // 0 = A is nearer the sender of direction d, 1 = B is
    double oneWayDelayS[2] = {0, 0};
    TimeNs origin = 0; // A's connection start: time 0 of every view
    std::span<const SegmentMapping> groups[2];
    std::uint64_t splitGroups = 0; // groups with more than one segment on a side and both sides present

    bool isValid() const { return a && b; }
    Segment segA(int d, std::int64_t i) const { return a->directions[d].segments[std::size_t(i)]; }
    Segment segB(int d, std::int64_t i) const { return b->directions[bDirection[d]].segments[std::size_t(i)]; }
    /// Seconds since origin of an A segment, and of a B segment with B's clock moved back by offset.
    double timeA(int d, std::int64_t i) const { return double(segA(d, i).time - origin) / 1e9; }
    double timeB(int d, std::int64_t i, double offset) const { return double(segB(d, i).time - origin) / 1e9 - offset; }
    static bool isSplit(const SegmentMapping &g)
    {
        return g.aFirst >= 0 && g.bFirst >= 0 && (g.aLast > g.aFirst || g.bLast > g.bFirst);
    }
    /// A sender-side segment whose bytes did not cross between the points (the receiver side never showed them,
    /// or only after the sender's retransmission), and the retransmission that carried them (-1 if none).
    struct Lost {
        std::int64_t group = 0; // index into groups[d]
        std::int64_t sender = 0; // segment index on the sender's side
        std::int64_t retransmission = -1; // segment index on the sender's side
    };
    std::vector<Lost> lost[2];
    /// The time of a segment on side 0 (A) or 1 (B), offset-corrected.
    double time(int side, int d, std::int64_t i, double offset) const
    {
        return side == 0 ? timeA(d, i) : timeB(d, i, offset);
    }
    Segment seg(int side, int d, std::int64_t i) const { return side == 0 ? segA(d, i) : segB(d, i); }
};

/// The mapping of a pair, over the groups its alignment kept (no alignment work is repeated): the lost
/// segments placed in their groups, with the retransmissions that carried their bytes.
PairMapping buildPairMapping(const Trace &a, const Trace &b, const ConnectionPair &pair);

class CompareModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns {
        AColumn, // A connection: id and endpoints
        BColumn, // B connection
        NatColumn, // addresses or ports differ
        OffsetColumn, // clock offset ± uncertainty
        LostColumn, // lost between the capture points
        SplitsColumn, // 1:N and N:1 groups, both directions
        ColumnCount
    };
    enum Roles {
        SortRole = Qt::UserRole,
        PairIndexRole, // index into result().pairs
    };

    explicit CompareModel(QObject *parent = nullptr);
    ~CompareModel() override;

    /// Aligns two traces; synchronous below a size threshold, else on a worker thread (alignmentFinished either way).
    void setTraces(std::shared_ptr<const Trace> a, std::shared_ptr<const Trace> b, bool allowWorker = true);
    void clear();
    bool isAligning() const { return m_running; }
    std::shared_ptr<const Trace> traceA() const { return m_a; }
    std::shared_ptr<const Trace> traceB() const { return m_b; }
    const AlignmentResult &result() const;
    /// The same result, shared: it never changes, so an export can use it while the model moves on.
    std::shared_ptr<const AlignmentResult> sharedResult() const;
    /// Everything the compare views draw, shared and immutable (null before the first alignment finished).
    std::shared_ptr<const CompareResult> compareResult() const { return m_result; }
    int pairCount() const;
    const ConnectionPair *pair(int index) const;
    /// The paired connections of a pair (null for a bad index).
    const Connection *connectionA(int index) const;
    const Connection *connectionB(int index) const;
    /// The segment mapping of a pair (built with the alignment, an empty one for a bad index).
    const PairMapping &mapping(int index) const;
    /// The compare chart's plot data of a pair (built with the alignment), null for a bad index.
    const CompareSeries *compareSeries(int index) const;

    /// A manual clock offset (B ahead of A, seconds) that replaces every pair's estimate; nullopt = estimate.
    void setClockOffsetOverride(std::optional<double> seconds);
    std::optional<double> clockOffsetOverride() const { return m_override; }
    /// The offset the views use for a pair: the override, else the estimate, else 0.
    double effectiveOffset(int index) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Traces with more segments (both together) than this are aligned off the GUI thread.
    void setWorkerThreshold(std::size_t segments) { m_workerThreshold = segments; }

signals:
    void alignmentStarted();
    void alignmentFinished();
    void clockOffsetChanged();

private:
    void applyResult(std::shared_ptr<const CompareResult> result);

    JobRunner *m_runner;
    std::shared_ptr<const Trace> m_a, m_b;
    std::shared_ptr<const CompareResult> m_result;
    std::optional<double> m_override;
    std::size_t m_workerThreshold = 200000;
    bool m_running = false;
};

/// The connection with this id in a trace, or null.
const Connection *connectionById(const Trace &t, std::uint32_t id);

} // namespace ol
