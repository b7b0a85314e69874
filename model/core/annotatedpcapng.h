// SPDX-License-Identifier: GPL-3.0-or-later
// The annotated copy of a capture for Wireshark: every packet byte for byte, in its order, with its timestamp,
// interface and link type, written as pcapng with a packet comment (opt_comment) on each frame OffloadLens
// classified or the user annotated. The original is only ever read.
#pragma once

#include "trace.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ol {

/// Comments to put on frames, by 1-based frame number; a frame may get several.
using FrameComments = std::map<std::uint64_t, std::vector<std::string>>;

/// The comments of the analysis: one on every oversized segment (its class and why, as the tooltips word it,
/// e.g. "OffloadLens send-offload: 65,160 bytes = 45 × 1,448-byte segments: ...") and one on each frame a
/// diagnosed problem names. Needs an offload-analysed trace.
FrameComments analysisComments(const Trace &trace);

struct AnnotatedPcapngResult {
    bool ok = false;
    std::string error; // why it failed, without the file names
    std::uint64_t packets = 0; // packets copied
    std::uint64_t commented = 0; // frames that got at least one comment
    std::vector<std::string> warnings; // e.g. damage that ended the copy early, comments that found no frame
};

/// Copies `input` (pcap or pcapng, plain or gzip/zstd/lz4-compressed) to `output` as pcapng with the comments.
/// pcapng blocks are copied as they are (sections, interfaces, name resolution, existing comments and all other
/// blocks) and only the packet blocks that get a comment are rewritten, with the new comments after the old; a
/// pcap file becomes one section with one interface of its link type, snapshot length and time resolution. The
/// output is written beside its final name and renamed at the end, so a failure leaves no partial file. An
/// existing output is refused unless `overwrite`; the input itself is always refused as output.
AnnotatedPcapngResult writeAnnotatedPcapng(const std::string &input, const std::string &output,
                                           const FrameComments &comments, bool overwrite);

} // namespace ol
