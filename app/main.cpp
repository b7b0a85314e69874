// SPDX-License-Identifier: GPL-3.0-or-later
// One binary: headless subcommands run without Qt's GUI; anything else opens the desktop app.
#include "cli.h"

#ifdef OFFLOADLENS_HAVE_GUI
#include "guimain.h"
#endif

#include <cstdio>

int main(int argc, char **argv)
{
    if (ol::isHeadlessInvocation(argc, argv))
        return ol::runHeadless(argc, argv);
#ifdef OFFLOADLENS_HAVE_GUI
    return ol::runGui(argc, argv);
#else
    std::fputs("offloadlens: built without the GUI; use 'offloadlens report FILE'\n", stderr);
    return 2;
#endif
}
