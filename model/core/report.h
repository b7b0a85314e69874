// SPDX-License-Identifier: GPL-3.0-or-later
// The headless report: the stable JSON document (see DESIGN.md, "The headless report contract") and a
// readable text form of the same facts.
#pragma once

#include "trace.h"

#include <string>
#include <vector>

namespace ol {

struct AlignmentResult;

/// The JSON report for one or more traces; with an alignment (two files) it adds "alignment".
std::string reportJson(const std::vector<const Trace *> &traces, const AlignmentResult *alignment = nullptr);

/// The same facts as readable text for a terminal.
std::string reportText(const std::vector<const Trace *> &traces, const AlignmentResult *alignment = nullptr);

} // namespace ol
