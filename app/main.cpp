// SPDX-License-Identifier: GPL-3.0-or-later
// One binary: headless subcommands run without Qt's GUI; anything else opens the desktop app.
#include "cli.h"

#ifdef OFFLOADLENS_HAVE_GUI
#include "exportcommand.h"
#include "guimain.h"
#endif

#include <cstdio>

int main(int argc, char **argv)
{
    if (ol::isHeadlessInvocation(argc, argv))
        return ol::runHeadless(argc, argv);
#ifdef OFFLOADLENS_HAVE_GUI
    // Export draws charts, so it needs the widgets (offscreen) and lives in the GUI build only.
    if (ol::isExportInvocation(argc, argv))
        return ol::runExport(argc, argv);
    return ol::runGui(argc, argv);
#else
    std::fputs("offloadlens: built without the GUI; use 'offloadlens report FILE'\n", stderr);
    return 2;
#endif
}
