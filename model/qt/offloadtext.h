// SPDX-License-Identifier: GPL-3.0-or-later
// Plain-language texts shared by models and views: verdict badges, segment class names and the one-sentence
// "why" of a segment. Kept here so that the table, the tooltip and the evidence panel say the same thing.
#pragma once

#include "connection.h"
#include "offloadtypes.h"
#include "segmentstore.h"
#include "trace.h"

#include <QString>

namespace ol::text {

/// 65160 -> "65,160".
QString thousands(quint64 value);
/// A std::string from the core as QString (the core speaks UTF-8).
inline QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

/// Short badge for a file, e.g. "captured on the sender with TSO" ("no TCP connections" when it has none).
QString fileBadge(const Trace &trace);
/// For a snapshot of a file still loading (Trace::partial): "Loading — 43 % read, results so far" and, when its
/// budget was hit, "(each direction's first 62,500 segments)". Empty for a whole file.
QString partialText(const Trace &trace);
/// Why a file shows nothing to chart, from its counters: "No TCP connections in this file — 287 packets, 0 TCP:
/// 287 in ip protocol 50 (not decoded) — an encapsulation OffloadLens does not decode?". Empty when it has
/// connections.
QString noConnectionsText(const Trace &trace);
/// Short verdict for one connection, e.g. "server→client: receive coalescing (LRO/GRO)".
QString connectionVerdict(const Connection &connection);
/// "client→server" for d == 0, "server→client" for d == 1.
QString directionName(int d);
/// Same with addresses: "172.16.5.10:8443 → 172.16.5.1:49178".
QString directionEndpoints(const Connection &connection, int d);
/// "MSS 1460 / eff. 1448 (server→client)" or "MSS 1448 inferred (client→server)".
QString mssLabel(const DirectionOffload &offload, int d);

/// Human name of a segment class ("send offload (TSO/GSO)").
QString className(SegmentClass c);
/// One sentence why a segment has its class, with numbers.
QString segmentWhy(const Connection &connection, int d, const Segment &segment);
/// Multi-line tooltip for a segment: frame, time, seq, length, class and why.
QString segmentTooltip(const Connection &connection, int d, const Segment &segment, TimeNs origin);

} // namespace ol::text
