// SPDX-License-Identifier: GPL-3.0-or-later
// Streaming load: one pass over the file, compact records out, no payload kept.
#include "loader.h"

#include "decoder.h"
#include "offload.h"
#include "reassembler.h"

#include <algorithm>

namespace ol {
namespace {

constexpr std::uint64_t ProgressEvery = 8192; // packets between progress callbacks
// ... and bytes: 8,192 frames of 256 KiB are 2 GiB, too long to wait for a cancel on a long capture.
constexpr std::uint64_t ProgressEveryBytes = 16u << 20;

void addLinkType(Trace &trace, int linkType)
{
    const std::string name = linkTypeName(linkType);
    if (std::find(trace.linkTypes.begin(), trace.linkTypes.end(), name) == trace.linkTypes.end())
        trace.linkTypes.push_back(name);
}

} // namespace

LoadResult loadTrace(const std::string &path, const LoadOptions &options)
{
    LoadResult result;
    CaptureReader reader;
    std::string error;
    if (!reader.open(path, error)) {
        result.error = path + ": " + error;
        return result;
    }
    auto trace = std::make_shared<Trace>();
    trace->path = path;
    trace->format = reader.format();
    trace->fileSize = reader.fileSize();
    const int linkType = reader.linkType();
    addLinkType(*trace, linkType);
    if (!isSupportedLinkType(linkType))
        reader.warn(0, "unknown-link-type",
                    std::string("Link-layer type ") + linkTypeName(linkType) + " (" + std::to_string(linkType)
                        + ") is not decoded; its packets are counted but not analysed.");

    TcpReassembler reassembler(*trace, [&reader](std::uint64_t frame, const std::string &kind,
                                                 const std::string &text) { reader.warn(frame, kind, text); });
    DecodedPacket decoded;
    RawPacket raw;
    TraceCounters &counts = trace->counts;
    std::uint64_t bytesSinceProgress = 0;
    while (reader.next(raw)) {
        const std::uint64_t frame = reader.packetsRead();
        ++counts.packets;
        if (counts.packets == 1)
            trace->firstTime = raw.time;
        trace->firstTime = std::min(trace->firstTime, raw.time);
        trace->lastTime = std::max(trace->lastTime, raw.time);
        decodeFrame(linkType, raw.data, raw.caplen, raw.origlen, decoded, options.verifyTcpChecksums);
        if (decoded.recordedDirection == RecordedDirection::Unknown)
            decoded.recordedDirection = raw.direction;
        switch (decoded.status) {
        case DecodeStatus::Tcp:
            ++counts.tcpPackets;
            if (decoded.tunnelled)
                ++counts.tunnelled;
            if (decoded.lengthMismatch) {
                ++counts.lengthMismatch;
                reader.warn(frame, "length-mismatch",
                            "Packet " + std::to_string(frame) + ": the IP header says "
                                + std::to_string(decoded.ipTotalLength) + " bytes but the frame was "
                                + std::to_string(raw.origlen)
                                + " bytes long; its size is not trusted for offload analysis.");
            }
            if (decoded.options.malformed)
                reader.warn(frame, "bad-tcp-options",
                            "Packet " + std::to_string(frame) + ": malformed TCP options (a length that cannot be "
                                "right, or a repeated MSS); the options before the fault are used.");
            reassembler.add(decoded, raw.time, static_cast<std::uint32_t>(frame), raw.pcapngFlags);
            break;
        case DecodeStatus::UnknownLinkType:
            ++counts.unknownLinkType;
            break;
        case DecodeStatus::NotIp:
            ++counts.notIp;
            break;
        case DecodeStatus::NotTcp:
            ++counts.notTcp;
            break;
        case DecodeStatus::Fragment:
            ++counts.fragments;
            break;
        case DecodeStatus::Truncated:
            ++counts.truncated;
            reader.warn(frame, "truncated-headers",
                        "Packet " + std::to_string(frame) + ": " + decoded.problem + " (" + std::to_string(raw.caplen)
                            + " of " + std::to_string(raw.origlen) + " bytes captured); skipped.");
            break;
        case DecodeStatus::Malformed:
            ++counts.malformed;
            reader.warn(frame, "malformed",
                        "Packet " + std::to_string(frame) + ": " + decoded.problem + "; skipped.");
            break;
        }
        bytesSinceProgress += 16 + raw.caplen;
        if (counts.packets % ProgressEvery == 0 || bytesSinceProgress >= ProgressEveryBytes) {
            bytesSinceProgress = 0;
            if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
                result.cancelled = true;
                return result;
            }
            if (options.progress
                && !options.progress({reader.bytesRead(), reader.fileSize(), counts.packets})) {
                result.cancelled = true;
                return result;
            }
        }
    }
    reassembler.finish();
    if (counts.fragments)
        reader.warn(0, "fragments",
                    std::to_string(counts.fragments)
                        + " IP fragments were counted but not reassembled; TCP inside them is not analysed.");
    trace->warnings = reader.warnings();
    if (options.progress)
        options.progress({trace->fileSize, trace->fileSize, counts.packets});
    if (options.analyzeOffload)
        analyzeOffload(*trace);
    result.trace = std::move(trace);
    return result;
}

} // namespace ol
