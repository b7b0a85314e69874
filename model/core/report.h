// SPDX-License-Identifier: GPL-3.0-or-later
// The headless report: the stable JSON document (see DESIGN.md, "The headless report contract") and a
// readable text form of the same facts.
#pragma once

#include "trace.h"

#include <cstdio>
#include <string>
#include <vector>

namespace ol {

class JsonWriter;

struct AlignmentResult;

/// The JSON report for one or more traces; with an alignment (two files) it adds "alignment".
std::string reportJson(const std::vector<const Trace *> &traces, const AlignmentResult *alignment = nullptr);

/// The same JSON document written to out as it is produced (bounded memory); false if writing failed.
bool writeReportJson(std::FILE *out, const std::vector<const Trace *> &traces,
                     const AlignmentResult *alignment = nullptr);

/// The same facts as readable text for a terminal.
/// An interface's "name", "mtu", "features" object (each true/false/null) and "features_note": part of
/// files[].interface, and of `offloadlens capture --list --json`.
void writeInterfaceFeatures(JsonWriter &w, const InterfaceInfo &i);

std::string reportText(const std::vector<const Trace *> &traces, const AlignmentResult *alignment = nullptr);

} // namespace ol
