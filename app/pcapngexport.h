// SPDX-License-Identifier: GPL-3.0-or-later
// "offloadlens export --out FILE.pcapng CAPTURE": the capture copied for Wireshark with OffloadLens's findings
// and the user's annotations as packet comments (model/core/annotatedpcapng does the copy).
#pragma once

namespace ol {

/// True when the export command's --out names a .pcapng file (the extension chooses this export).
bool isPcapngExport(int argc, char **argv);
/// Runs the annotated pcapng export and returns the exit code (0 ok, 1 a file could not be read or written,
/// 2 bad usage).
int runPcapngExport(int argc, char **argv);

} // namespace ol
