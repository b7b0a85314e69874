// SPDX-License-Identifier: GPL-3.0-or-later
// payload-differs-between-points: a second pass over both capture files that hashes the payload of each
// paired direction in fixed blocks of sequence space and compares the blocks seen at both points. Payload
// bytes are never kept, only 64-bit hashes; frames with a wrong checksum are left out (the receiver drops
// them, and bad-checksum-received already reports them).
#include "alignment.h"
#include "capturereader.h"
#include "decoder.h"
#include "problemsdetail.h"

#include <map>
#include <unordered_map>

namespace ol::problemsdetail {
namespace {

namespace R = problemrules;

constexpr std::int64_t Block = 256; // bytes of sequence space per hash
constexpr std::int64_t MaxComparedBytes = std::int64_t(256) << 20; // per direction: bounds memory (1 M blocks)
constexpr int HeadersOnlyProbe = 200; // data frames to look at before deciding a file has no payload

struct Copy {
    std::uint64_t hash;
    std::uint32_t frame;
    TimeNs time;
};

struct Target {
    const Connection *ca = nullptr;
    int k = 0; // direction in A's connection
    std::int64_t relShift = 0;
    std::uint32_t base[2] = {0, 0}; // baseSeq in A and in B
    std::int64_t ref[2] = {0, 0}; // unwrap reference per file
    std::unordered_map<std::int64_t, std::vector<Copy>> blocks; // A's copies by block index
    int diffs = 0;
    Problem problem;
    std::int64_t firstDiffSeq = -1;
    std::uint32_t firstDiffFrameB = 0;
};

std::uint64_t fnv1a(const std::uint8_t *p, std::int64_t n)
{
    std::uint64_t h = 1469598103934665603ull;
    for (std::int64_t i = 0; i < n; ++i)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

using Key = std::pair<Endpoint, Endpoint>;

// Reads one file; calls sink(target, relSeq, payload, n, frame, time) for every checked, fully captured
// data frame of a target direction. Returns false when the file has no payload to compare.
template <typename Sink>
bool readPayloads(const std::string &path, int side, const std::map<Key, Target *> &targets, Sink &&sink)
{
    CaptureReader reader;
    std::string error;
    if (!reader.open(path, error))
        return false;
    RawPacket raw;
    DecodedPacket d;
    std::uint64_t frame = 0;
    int dataFrames = 0, withPayload = 0;
    while (reader.next(raw)) {
        ++frame;
        decodeFrame(reader.linkType(), raw.data, raw.caplen, raw.origlen, d, true);
        if (d.status != DecodeStatus::Tcp || !d.payloadLength)
            continue;
        const bool full = raw.caplen == raw.origlen && !d.lengthMismatch && d.payloadLength <= raw.caplen;
        if (++dataFrames <= HeadersOnlyProbe && full)
            ++withPayload;
        if (dataFrames == HeadersOnlyProbe && !withPayload)
            return false; // headers only: nothing to compare
        if (!full || d.tcpChecksum != ChecksumState::Good)
            continue;
        const auto it = targets.find({Endpoint{d.src, d.srcPort}, Endpoint{d.dst, d.dstPort}});
        if (it == targets.end())
            continue;
        Target &t = *it->second;
        std::int64_t &ref = t.ref[side];
        const std::int64_t abs = ref + static_cast<std::int32_t>(d.seq - static_cast<std::uint32_t>(ref));
        if (abs > ref)
            ref = abs;
        const std::int64_t rel = abs - std::int64_t(t.base[side]);
        sink(t, rel, raw.data + (raw.caplen - d.payloadLength), std::int64_t(d.payloadLength),
             static_cast<std::uint32_t>(frame), raw.time);
    }
    return withPayload > 0;
}

} // namespace

void detectPayloadDiffers(const Trace &a, const Trace &b, const AlignmentResult &r,
                          std::vector<std::vector<Problem>> &out)
{
    out.resize(r.pairs.size());
    // Two targets per pair (its directions), all read in one pass over each file.
    std::vector<Target> targets(2 * r.pairs.size());
    std::map<Key, Target *> inA, inB;
    for (std::size_t pi = 0; pi < r.pairs.size(); ++pi) {
        const ConnectionPair &pair = r.pairs[pi];
        const Connection *ca = nullptr, *cb = nullptr;
        for (const auto &c : a.connections)
            if (c->id == pair.a)
                ca = c.get();
        for (const auto &c : b.connections)
            if (c->id == pair.b)
                cb = c.get();
        if (!ca || !cb)
            continue;
        for (int k = 0; k < 2; ++k) {
            const PairDirection &pd = pair.dir[k];
            const FlowDirection &fa = ca->directions[k], &fb = cb->directions[pd.bDirection];
            if (!fa.baseSet || !fb.baseSet || !fa.stats.dataSegments)
                continue;
            Target &t = targets[2 * pi + std::size_t(k)];
            t.ca = ca;
            t.k = k;
            t.relShift = pd.relShift;
            t.base[0] = fa.baseSeq;
            t.base[1] = fb.baseSeq;
            t.ref[0] = fa.baseSeq;
            t.ref[1] = fb.baseSeq;
            t.problem = makeProblem(*ca, k, "payload-differs-between-points", ProblemSeverity::Error);
            inA[{fa.from, fa.to}] = &t;
            inB[{fb.from, fb.to}] = &t;
        }
    }
    if (inA.empty())
        return;
    auto forBlocks = [](std::int64_t rel, const std::uint8_t *p, std::int64_t n, auto &&f) {
        for (std::int64_t blk = (rel + Block - 1) / Block; (blk + 1) * Block <= rel + n; ++blk)
            if (blk >= 0 && blk * Block < MaxComparedBytes)
                f(blk, fnv1a(p + (blk * Block - rel), Block));
    };
    const bool hasA = readPayloads(
        a.path, 0, inA,
        [&](Target &t, std::int64_t rel, const std::uint8_t *p, std::int64_t n, std::uint32_t frame, TimeNs time) {
            forBlocks(rel, p, n, [&](std::int64_t blk, std::uint64_t h) {
                auto &copies = t.blocks[blk];
                if (copies.size() < 4)
                    copies.push_back({h, frame, time});
            });
        });
    if (!hasA)
        return;
    readPayloads(b.path, 1, inB,
                 [&](Target &t, std::int64_t rel, const std::uint8_t *p, std::int64_t n, std::uint32_t frame, TimeNs) {
                     if (t.diffs >= R::PayloadDiffMaxExamples)
                         return;
                     bool differs = false;
                     const Copy *aCopy = nullptr;
                     std::int64_t at = -1;
                     // Hash B's bytes on A's block grid.
                     const std::int64_t relA = rel - t.relShift;
                     for (std::int64_t blk = (relA + Block - 1) / Block; (blk + 1) * Block <= relA + n; ++blk) {
                         if (blk < 0 || blk * Block >= MaxComparedBytes)
                             continue;
                         const auto it = t.blocks.find(blk);
                         if (it == t.blocks.end())
                             continue;
                         const std::uint64_t h = fnv1a(p + (blk * Block - relA), Block);
                         bool same = false;
                         for (const Copy &c : it->second)
                             same |= c.hash == h;
                         if (!same) {
                             differs = true;
                             aCopy = &it->second.front();
                             at = blk * Block;
                             break;
                         }
                     }
                     if (!differs)
                         return;
                     ++t.diffs;
                     addExample(t.problem, aCopy->frame, aCopy->time);
                     if (t.firstDiffSeq < 0) {
                         t.firstDiffSeq = at;
                         t.firstDiffFrameB = frame;
                     }
                 });
    for (std::size_t ti = 0; ti < targets.size(); ++ti) {
        Target &t = targets[ti];
        if (!t.ca || !t.diffs)
            continue;
        Problem &p = t.problem;
        p.text = std::to_string(t.diffs) + (t.diffs >= R::PayloadDiffMaxExamples ? "+" : "") + " segment(s) from "
            + p.from + " carry different bytes at the two capture points although both copies have a valid TCP "
            + "checksum (first near relative byte " + num(std::uint64_t(t.firstDiffSeq)) + ": frame "
            + num(p.frames.empty() ? 0 : p.frames.front()) + " in the first file, " + num(t.firstDiffFrameB)
            + " in the second): something between the points changed the payload and fixed the checksum, so the "
            + "damage reaches the application.";
        p.fix = "Capture at each hop between the two points to find the device. Suspects: a proxy, IDS or WAN "
                "optimizer that rewrites content; a NIC that computes the checksum (offload) over bytes that were "
                "already damaged in its memory; faulty memory in a router. Compare the streams with "
                "`tshark -r FILE -qz follow,tcp,raw,N` on both files.";
        out[ti / 2].push_back(std::move(p));
    }
}

} // namespace ol::problemsdetail
