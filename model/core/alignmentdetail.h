// SPDX-License-Identifier: GPL-3.0-or-later
// Internals shared by the alignment sources: per-interval coverage of both traces and mapping groups.
#pragma once

#include "alignment.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace ol::detail {

/// For each elementary sequence interval: the first and second capture time and the first carrier.
struct Coverage {
    std::vector<TimeNs> t1, t2;
    std::vector<std::uint32_t> idx;
};

/// One direction of a pair: the elementary intervals (boundaries of every segment of both traces, in
/// A's relative sequence space) and how each trace covered them (cov[0] = A, cov[1] = B).
struct DirectionWork {
    std::vector<std::int64_t> coords;
    Coverage cov[2];
};

/// A time sample: A's time of a byte range or ACK, and B's time minus A's time (ns).
struct Sample {
    TimeNs tA;
    TimeNs d;
};

/// A group of segments carrying the same first-seen bytes.
struct Group {
    std::size_t firstInterval = 0, lastInterval = 0;
    std::uint32_t nA = 0, nB = 0;
    std::int64_t aFirst = -1, aLast = -1, bFirst = -1, bLast = -1;
    std::uint32_t lastIa = 0xffffffffu, lastIb = 0xffffffffu;
};

void buildDirection(const FlowDirection &fa, const FlowDirection &fb, std::int64_t shift, DirectionWork &w);
void walkMapping(const DirectionWork &w, const std::function<void(const Group &)> &sink);

} // namespace ol::detail
