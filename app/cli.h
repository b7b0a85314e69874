// SPDX-License-Identifier: GPL-3.0-or-later
// Headless subcommands (report, ...). Exit codes: 0 success, 1 unreadable or invalid input, 2 bad usage.
#pragma once

namespace ol {

/// True when argv names a headless subcommand (or --help / --version) rather than the GUI.
bool isHeadlessInvocation(int argc, char **argv);

/// Runs a headless subcommand and returns the process exit code.
int runHeadless(int argc, char **argv);

} // namespace ol
