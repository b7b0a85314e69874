// SPDX-License-Identifier: GPL-3.0-or-later
// The annotated pcapng copy (see annotatedpcapng.h). The copy works on the file's own records, not on what
// libpcap hands over: libpcap cuts records to the snapshot length and the loader clamps odd lengths and
// timestamps, and a copy that claims to be "byte for byte" must not.
#include "annotatedpcapng.h"

#include "inputstream.h"
#include "offload.h"
#include "pcapngformat.h"
#include "pcapngwriter.h"
#include "problems.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ol {
namespace {

using namespace pcapng;

// pcap records: Wireshark's largest snapshot length is 262,144; records up to 16 MiB are copied all the same
// (a copy does not judge), anything larger is taken for damage.
constexpr std::uint32_t MaxRecord = 16u << 20;
/// Reads 32- and 16-bit fields in a section's (or a pcap file's) byte order and writes them back so.
struct Order : ByteOrder {
    void put32(std::vector<std::uint8_t> &b, std::uint32_t v) const
    {
        v = swap ? swap32(v) : v;
        const auto *p = reinterpret_cast<const std::uint8_t *>(&v);
        b.insert(b.end(), p, p + 4);
    }
    void put16(std::vector<std::uint8_t> &b, std::uint16_t v) const
    {
        v = swap ? swap16(v) : v;
        const auto *p = reinterpret_cast<const std::uint8_t *>(&v);
        b.insert(b.end(), p, p + 2);
    }
};

struct Copy {
    InputStream &in;
    PcapngWriter &out;
    const FrameComments &comments;
    AnnotatedPcapngResult &result;
    std::uint64_t frame = 0;

    const std::vector<std::string> *commentsFor(std::uint64_t f) const
    {
        const auto it = comments.find(f);
        return it == comments.end() || it->second.empty() ? nullptr : &it->second;
    }
    void stopped(const std::string &why)
    {
        result.warnings.push_back("The copy ends after packet " + std::to_string(frame) + ": " + why
                                  + (in.error().empty() ? "" : " (" + in.error() + ")") + ".");
    }
    bool writeFailed()
    {
        result.error = "cannot write: " + out.error();
        return false;
    }
};

/// A packet block (EPB or obsolete PB) with the comments appended to its options, in the section's byte order.
std::vector<std::uint8_t> withComments(const std::uint8_t *block, std::uint32_t length, const Order &order,
                                       const std::vector<std::string> &comments)
{
    const std::uint32_t caplen = order.u32(block + 8 + 12);
    const std::uint32_t optionsAt = 8 + 20 + pad4(caplen);
    const std::uint32_t end = length - 4; // the trailer
    std::vector<std::uint8_t> b(block, block + optionsAt);
    // The options already there, up to (not including) opt_endofopt; a malformed list is kept up to its damage.
    std::uint32_t at = optionsAt;
    while (at + 4 <= end) {
        const std::uint16_t code = order.u16(block + at);
        const std::uint16_t len = order.u16(block + at + 2);
        if (code == 0 || at + 4 + pad4(len) > end)
            break;
        b.insert(b.end(), block + at, block + at + 4 + pad4(len));
        at += 4 + pad4(len);
    }
    for (const std::string &c : comments) {
        const auto len = std::uint16_t(std::min(c.size(), MaxOptionLength));
        order.put16(b, OptComment);
        order.put16(b, len);
        b.insert(b.end(), c.begin(), c.begin() + len);
        b.resize(b.size() + (pad4(len) - len), 0);
    }
    order.put16(b, 0);
    order.put16(b, 0);
    const auto total = std::uint32_t(b.size() + 4);
    order.put32(b, total); // the trailer ...
    std::memcpy(b.data() + 4, b.data() + b.size() - 4, 4); // ... and the header say the same, in the same order
    return b;
}

bool copyPcapng(Copy &c)
{
    std::vector<std::uint8_t> block;
    Order order;
    bool sawSection = false;
    for (;;) {
        std::uint8_t head[12];
        const std::size_t got = c.in.read(head, 8);
        if (got == 0) {
            if (!c.in.error().empty())
                c.stopped("the data cannot be read on");
            return true;
        }
        if (got < 8) {
            c.stopped("the data ends inside a block header");
            return true;
        }
        std::uint32_t type;
        std::memcpy(&type, head, 4);
        if (type == SectionHeaderType) {
            if (c.in.read(head + 8, 4) != 4) {
                c.stopped("the data ends inside a section header");
                return true;
            }
            std::uint32_t magic;
            std::memcpy(&magic, head + 8, 4);
            if (magic != ByteOrderMagic && magic != SwappedByteOrderMagic) {
                c.stopped("a section header has an unknown byte-order magic");
                return true;
            }
            order.swap = magic == SwappedByteOrderMagic;
            sawSection = true;
        } else {
            type = order.u32(head);
        }
        const std::uint32_t length = order.u32(head + 4);
        const std::size_t have = type == SectionHeaderType ? 12 : 8;
        if (!sawSection || length < 12 || length > MaxBlock || (length & 3) || length < have + 4) {
            c.stopped("a block has an impossible length");
            return true;
        }
        block.resize(length);
        std::memcpy(block.data(), head, have);
        if (c.in.read(block.data() + have, length - have) != length - have) {
            c.stopped("the data ends inside a block");
            return true;
        }
        if (order.u32(block.data() + length - 4) != length) {
            c.stopped("a block's lengths in header and trailer differ");
            return true;
        }
        const bool packet = type == EnhancedPacketType || type == ObsoletePacketType || type == SimplePacketType;
        if (packet)
            ++c.frame;
        const std::vector<std::string> *add = packet ? c.commentsFor(c.frame) : nullptr;
        const bool fits = add && type != SimplePacketType && length >= 8 + 20 + 4
            && 8 + 20 + std::uint64_t(pad4(order.u32(block.data() + 8 + 12))) + 4 <= length;
        if (add && !fits)
            c.result.warnings.push_back(
                "Frame " + std::to_string(c.frame)
                + " is a simple packet block, which cannot carry a comment; it is copied as it is.");
        bool ok;
        if (fits) {
            const std::vector<std::uint8_t> rewritten = withComments(block.data(), length, order, *add);
            ok = c.out.rawBlock(rewritten.data(), rewritten.size());
            ++c.result.commented;
        } else {
            ok = c.out.rawBlock(block.data(), length);
        }
        if (!ok)
            return c.writeFailed();
        if (packet)
            ++c.result.packets;
    }
}

bool copyPcap(Copy &c, const std::uint8_t *magicBytes)
{
    std::uint8_t header[24];
    if (c.in.read(header, sizeof header) != sizeof header) {
        c.result.error = "the pcap file header is cut short";
        return false;
    }
    std::uint32_t magic;
    std::memcpy(&magic, magicBytes, 4);
    Order order;
    order.swap = magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1 || magic == 0x34CDB2A1;
    const std::uint32_t m = order.u32(header);
    const bool nano = m == 0xA1B23C4D;
    const std::size_t recordHeader = m == 0xA1B2CD34 ? 24 : 16; // Kuznetzov's modified pcap has 8 more bytes
    const std::uint32_t snaplen = order.u32(header + 16);
    const std::uint32_t network = order.u32(header + 20);
    // The link type field's top bits may say the frames end in an FCS of so many 16-bit words.
    const int fcs = (network & 0x04000000u) ? int((network >> 28) & 0xf) * 2 : -1;
    if (!c.out.section("") || !c.out.interface(int(network & 0xffff), snaplen, "", nano ? 9 : 6, fcs))
        return c.writeFailed();
    const std::uint64_t unitsPerSecond = nano ? 1000000000u : 1000000u;
    std::vector<std::uint8_t> data;
    static const std::vector<std::string> none;
    for (;;) {
        std::uint8_t rec[24];
        const std::size_t got = c.in.read(rec, recordHeader);
        if (got == 0) {
            if (!c.in.error().empty())
                c.stopped("the data cannot be read on");
            return true;
        }
        if (got < recordHeader) {
            c.stopped("the data ends inside a record header");
            return true;
        }
        const std::uint32_t caplen = order.u32(rec + 8);
        if (caplen > MaxRecord) {
            c.stopped("a record claims " + std::to_string(caplen) + " captured bytes");
            return true;
        }
        data.resize(caplen);
        if (c.in.read(data.data(), caplen) != caplen) {
            c.stopped("the data ends inside a record");
            return true;
        }
        ++c.frame;
        const std::uint64_t stamp = std::uint64_t(order.u32(rec)) * unitsPerSecond + order.u32(rec + 4);
        const std::vector<std::string> *add = c.commentsFor(c.frame);
        if (!c.out.packetBlock(0, stamp, data.data(), caplen, order.u32(rec + 12), add ? *add : none))
            return c.writeFailed();
        ++c.result.packets;
        if (add)
            ++c.result.commented;
    }
}

} // namespace

FrameComments analysisComments(const Trace &trace)
{
    FrameComments comments;
    for (const auto &connection : trace.connections) {
        for (const FlowDirection &d : connection->directions) {
            for (std::size_t i = 0; i < d.segments.size(); ++i) {
                const Segment &s = d.segments[i];
                const SegmentClass k = s.segmentClass();
                if (k != SegmentClass::SendOffload && k != SegmentClass::ReceiveOffload
                    && k != SegmentClass::OversizedUnexplained)
                    continue;
                comments[s.frame].push_back(std::string("OffloadLens ") + segmentClassName(k) + ": "
                                            + segmentExplanation(d.offload, s));
            }
        }
    }
    for (const Problem &p : diagnoseProblems(trace).problems)
        for (std::uint32_t f : p.frames)
            comments[f].push_back("OffloadLens problem " + p.kind + " (" + severityName(p.severity) + "): " + p.text);
    return comments;
}

AnnotatedPcapngResult writeAnnotatedPcapng(const std::string &input, const std::string &output,
                                           const FrameComments &comments, bool overwrite)
{
    AnnotatedPcapngResult result;
    struct stat inStat {
    }, outStat{};
    const bool outExists = ::stat(output.c_str(), &outStat) == 0;
    if (outExists && input != "-" && ::stat(input.c_str(), &inStat) == 0 && inStat.st_dev == outStat.st_dev
        && inStat.st_ino == outStat.st_ino) {
        result.error = "is the input capture; a capture is never overwritten";
        return result;
    }
    if (outExists && !overwrite) {
        result.error = "already exists";
        return result;
    }
    InputStream in;
    if (!in.open(input, result.error))
        return result;
    std::uint8_t magic[4] = {};
    if (in.peek(magic, 4) != 4) {
        result.error = in.error().empty() ? "the capture is empty" : in.error();
        return result;
    }
    std::uint32_t m;
    std::memcpy(&m, magic, 4);
    const bool pcapng = m == SectionHeaderType;
    const bool pcap = m == 0xA1B2C3D4 || m == 0xA1B23C4D || m == 0xA1B2CD34 || m == 0xD4C3B2A1 || m == 0x4D3CB2A1
        || m == 0x34CDB2A1;
    if (!pcapng && !pcap) {
        result.error = "not a pcap or pcapng file";
        return result;
    }
    // Written beside the final name, renamed over it only when complete: a failure leaves no partial file.
    std::string temp = output + ".partXXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        result.error = std::string("cannot create it: ") + std::strerror(errno);
        return result;
    }
    ::fchmod(fd, 0644);
    bool ok;
    {
        PcapngWriter writer({fd});
        Copy copy{in, writer, comments, result};
        ok = (pcapng ? copyPcapng(copy) : copyPcap(copy, magic)) && (writer.flush() || copy.writeFailed());
        if (ok) {
            std::uint64_t stray = 0;
            for (const auto &[frame, texts] : comments)
                stray += frame > copy.frame ? 1 : 0;
            if (stray)
                result.warnings.push_back(std::to_string(stray) + " comments name frames past the last packet copied.");
        }
    }
    if (::fsync(fd) != 0 && ok) {
        result.error = std::string("cannot write: ") + std::strerror(errno);
        ok = false;
    }
    if (::close(fd) != 0 && ok) {
        result.error = std::string("cannot write: ") + std::strerror(errno);
        ok = false;
    }
    if (ok && ::rename(temp.c_str(), output.c_str()) != 0) {
        result.error = std::string("cannot write: ") + std::strerror(errno);
        ok = false;
    }
    if (!ok)
        ::unlink(temp.c_str());
    result.ok = ok;
    return result;
}

} // namespace ol
