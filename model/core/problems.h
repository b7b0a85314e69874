// SPDX-License-Identifier: GPL-3.0-or-later
// What can go wrong on a path: problems diagnosed from a loaded trace (PMTU black holes, ICMP too-big,
// clamped MSS, oversized wire frames, received checksum errors, burst loss, offload artifacts) and from
// a pair of traces (MSS rewritten between the points, payload corrupted between them).
#pragma once

#include "trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ol {

class JsonWriter;
struct AlignmentResult;
struct ConnectionPair;

enum class ProblemSeverity : std::uint8_t { Info, Warning, Error };

/// "info", "warning", "error" (the JSON contract's words).
const char *severityName(ProblemSeverity s);

/// One diagnosed problem. Times are absolute; the report writes them relative to the trace's start.
struct Problem {
    std::string kind; // "pmtu-black-hole", "icmp-too-big", ... (DESIGN.md lists them)
    ProblemSeverity severity = ProblemSeverity::Info;
    std::int64_t connection = -1; // Connection::id (in trace A for pair problems), -1 = the file as a whole
    int direction = -1; // index into Connection::directions, -1 = none
    std::string from, to; // the direction's endpoints ("192.0.2.1:80"), empty when direction < 0
    TimeNs firstTime = 0, lastTime = 0;
    std::vector<std::uint32_t> frames; // a few example frame numbers
    std::string text; // one or two plain sentences
    std::string fix; // what to check or change
};

/// Problems of one trace, plus what was checked (for "No problems found: ...") and the settings sentence.
struct ProblemReport {
    std::vector<Problem> problems; // errors first, then warnings, then info; by time within a severity
    std::vector<std::string> checked; // short phrases: "PMTU black holes", ...
    std::string settings; // "Mismatched settings: ..." when the trace shows each host's offload, else empty
};

/// Diagnoses the problems of one loaded, offload-analysed trace.
ProblemReport diagnoseProblems(const Trace &trace);

/// Diagnoses the problems between the two capture points of one aligned pair (a in trace a, b in trace b).
/// readPayload: re-read both files for this pair and compare the payload bytes of the same sequence ranges.
std::vector<Problem> diagnosePairProblems(const Trace &a, const Trace &b, const ConnectionPair &pair,
                                          bool readPayload = true);

/// Problems of every pair, in the order of r.pairs.
std::vector<std::vector<Problem>> diagnoseAlignmentProblems(const Trace &a, const Trace &b, const AlignmentResult &r,
                                                            bool readPayload = true);

/// Writes a JSON array of problems; times relative to origin (the trace's first packet).
void writeProblemsJson(JsonWriter &w, const std::vector<Problem> &problems, TimeNs origin);

/// The text report's "Problems" section of one trace (indented, wrapped).
std::string problemsText(const ProblemReport &report, TimeNs origin);

/// Lines for the problems of one pair in the text report ("" when there are none).
std::string pairProblemsText(const std::vector<Problem> &problems, TimeNs origin);

} // namespace ol
