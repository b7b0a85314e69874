// SPDX-License-Identifier: GPL-3.0-or-later
// Entry point of the desktop app, called by main() for anything that is not a headless subcommand.
#pragma once

namespace ol {

/// Creates the QApplication and the main window, opens the files named on the command line and runs.
int runGui(int argc, char **argv);

} // namespace ol
