// SPDX-License-Identifier: GPL-3.0-or-later
// Wireshark beside OffloadLens: "Open in Wireshark at this frame" (wireshark -r FILE -g N, found on PATH) and
// "Copy display filter" for a connection or its oversized segments, as menu actions the charts and tables add.
#pragma once

#include "connection.h"
#include "tracedocument.h"

#include <QString>
#include <QStringList>

class QAction;
class QMenu;

namespace ol {

class ChartBase;

namespace wireshark {

/// The wireshark executable found on PATH now; empty when it is not installed.
QString executable();
/// The arguments that open a capture at a frame: {"-r", FILE, "-g", N}.
QStringList arguments(const QString &capture, quint32 frame);
/// Starts Wireshark on its own (it outlives us); false when it is not installed or did not start.
bool open(const QString &capture, quint32 frame);

/// Adds "Open in Wireshark at Frame N"; disabled, with a tooltip saying why, when Wireshark is not installed or
/// there is no frame (0). Makes the menu show tooltips.
QAction *addOpenAction(QMenu *menu, const QString &capture, quint32 frame);
/// Adds "Copy Display Filter" (the connection's frames) and "Copy Display Filter for Oversized Segments"
/// (disabled when the connection has none) to the clipboard.
void addCopyFilterActions(QMenu *menu, const Connection &connection);
/// The Wireshark section of a chart's context menu: open at the segment under the cursor (else the selected one,
/// else the connection's first frame) and the two filters. Nothing when the chart shows no connection.
void addChartActions(QMenu *menu, const ChartBase *chart, SegmentRef underCursor);
/// The first frame of a connection (either direction), 0 when it has no segment.
quint32 firstFrame(const Connection &connection);

} // namespace wireshark
} // namespace ol
