// SPDX-License-Identifier: GPL-3.0-or-later
// The headless "offloadlens export" command: renders one chart of one connection to PNG, SVG, PDF or CSV
// without a display. Exit codes as the report command: 0 success, 1 unreadable input or output error, 2 bad usage.
#pragma once

namespace ol {

/// True when argv[1] is "export".
bool isExportInvocation(int argc, char **argv);
/// Runs the export command and returns the process exit code.
int runExport(int argc, char **argv);

} // namespace ol
