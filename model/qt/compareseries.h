// SPDX-License-Identifier: GPL-3.0-or-later
// The plot data of one connection pair for the compare chart, derived once from its PairMapping (off the GUI
// thread, with the alignment): frame sizes per side, direction and kind, the lost marks and the one-way delay
// of each segment group, all on the clocks as captured. The clock offset in use is applied only when the points
// are taken for a view, so changing the offset moves points without building anything again.
#pragma once

#include "chartseries.h"
#include "comparemodel.h"
#include "pointseries.h"

#include <atomic>
#include <memory>
#include <vector>

namespace ol {

struct CompareSeries {
    /// One frame-size series: side 0 = A, 1 = B; keys are seconds since A's connection start on the side's own
    /// clock (B's not yet moved back by the offset).
    struct Lane {
        int side = 0;
        int direction = 0;
        ChartSeries::Kind kind = ChartSeries::Normal;
        PointSeries points;
    };
    std::vector<Lane> frames;
    /// Sender-side segments lost between the points, per side they are marked on (keys as in frames).
    PointSeries lost[2];
    /// The one-way delay of each group of direction d: key = the sender's time of its first bytes, value =
    /// receiver time − sender time of its last bytes in ms, both on the clocks as captured (offset included).
    PointSeries delay[2];
    /// Which side sent direction d (0 = A): where the offset enters the delay lane's keys and values.
    int delaySender[2] = {0, 0};

    /// Builds everything from a valid mapping. Segments without payload are not drawn.
    static CompareSeries build(const PairMapping &mapping);

    /// How many seconds a side's keys move for a clock offset (B's move back by it; A's stay).
    static double keyShift(int side, double offset) { return side == 1 ? -offset : 0.0; }
    /// How many ms a delay value of direction d moves for a clock offset: removing B's lead from B − A times.
    double delayShift(int direction, double offset) const
    {
        return (delaySender[direction] == 0 ? -offset : offset) * 1e3;
    }
    /// The points of a series in the visible range [lower, upper] (view keys, offset removed), reduced for a
    /// plot `width` pixels wide, with `keyShift` and `valueShift` applied to what is handed back.
    static DecimatedPoints take(const PointSeries &series, double lower, double upper, int width, double keyShift,
                                double valueShift = 0);
};

/// Everything the compare views show of two traces, computed once (off the GUI thread for large traces) and
/// never changed: the alignment, and per pair its segment mapping and plot data. Holds the traces the
/// mappings point into.
struct CompareResult {
    std::shared_ptr<const Trace> a, b;
    std::shared_ptr<const AlignmentResult> alignment;
    std::vector<PairMapping> mappings; // one per alignment->pairs entry
    std::vector<CompareSeries> series; // likewise

    /// Aligns the traces and derives the mapping and plot data of every pair. `cancel` is checked between pairs.
    static std::shared_ptr<const CompareResult> compute(std::shared_ptr<const Trace> a, std::shared_ptr<const Trace> b,
                                                        const std::atomic<bool> *cancel = nullptr);
};

} // namespace ol
