// SPDX-License-Identifier: GPL-3.0-or-later
// The plain-language side of the offload analysis: evidence sentences per direction and the file summary.
// Internal to the core; offload.cpp decides, this file explains.
#pragma once

#include "capturepoint.h"
#include "trace.h"

#include <string>

namespace ol {

/// Evidence sentences for one direction's oversized segments (appended to o.evidence).
void describeDirection(const FlowDirection &fd, const OversizeFacts &f, DirectionOffload &o);

/// The plain-language paragraph for a whole file, from its verdicts.
std::string summaryFor(const Trace &trace);

} // namespace ol
