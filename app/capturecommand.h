// SPDX-License-Identifier: GPL-3.0-or-later
// `offloadlens capture`: live capture on an interface, then the report (see capturecommand.cpp).
#pragma once

namespace ol {

/// Runs `offloadlens capture ...` (argv[1] is "capture") and returns the exit code: 0 success, 1 the
/// capture could not be started or analysed (no such interface, no permission), 2 bad usage.
int runCapture(int argc, char **argv);

} // namespace ol
