// SPDX-License-Identifier: GPL-3.0-or-later
// The data behind the compare chart and the ladder of one connection pair as CSV: every segment of both
// captures (compare), every group of segments matched between the two points (ladder). Not the decimated
// picture; the columns are documented in docs/report.md, "Chart data".
#pragma once

#include "comparemodel.h"

#include <string>

namespace ol {

/// compare: "side,time_s,aligned_time_s,frame,direction,payload,ip_length,class,retransmission,lost", one row per
/// segment of both connections of the pair (side a, then b; frame order within a side). `offset` is the clock
/// offset in use (B ahead of A, seconds).
std::string compareCsv(const Trace &a, const Trace &b, const PairMapping &mapping, double offset);

/// ladder: "direction,group,sender,a_first_frame,a_last_frame,b_first_frame,b_last_frame,a_time_s,b_time_s,
/// delay_ms,bytes,lost", one row per matched group of each direction (as the ladder's arrows).
std::string ladderCsv(const PairMapping &mapping, double offset);

} // namespace ol
