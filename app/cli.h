// SPDX-License-Identifier: GPL-3.0-or-later
// Headless subcommands (report, ...). Exit codes: 0 success, 1 unreadable or invalid input (or no display
// for the GUI), 2 bad usage.
#pragma once

namespace ol {

/// True when argv names a headless subcommand (or --help / --version) rather than the GUI.
bool isHeadlessInvocation(int argc, char **argv);

/// True when argv[1] is neither an option, a known subcommand nor an existing file (a typo such as
/// "offloadlens reprot"): a usage error, answered without starting the GUI.
bool isUnknownSubcommand(int argc, char **argv);

/// Runs a headless subcommand and returns the process exit code.
int runHeadless(int argc, char **argv);

} // namespace ol
