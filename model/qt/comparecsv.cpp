// SPDX-License-Identifier: GPL-3.0-or-later
// Compare and ladder data as CSV (see comparecsv.h).
#include "comparecsv.h"

#include "offload.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace ol {
namespace {

std::string num(double v, const char *fmt)
{
    char buf[48];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

std::string dirName(int d)
{
    return d == 0 ? "c>s" : "s>c";
}

} // namespace

std::string compareCsv(const Trace &a, const Trace &b, const PairMapping &m, double offset)
{
    std::string out = "side,time_s,aligned_time_s,frame,direction,payload,ip_length,class,retransmission,lost\n";
    if (!m.isValid())
        return out;
    for (int side = 0; side < 2; ++side) {
        const Trace &t = side == 0 ? a : b;
        // Lost segments are marked on the sender's side, by their index there.
        std::vector<std::vector<char>> lost(2);
        for (int d = 0; d < 2; ++d) {
            const Connection &c = side == 0 ? *m.a : *m.b;
            lost[std::size_t(d)].assign(c.directions[side == 0 ? d : m.bDirection[d]].segments.size(), 0);
            if (m.senderSide[d] == side)
                for (const PairMapping::Lost &l : m.lost[d])
                    if (l.sender >= 0 && std::size_t(l.sender) < lost[std::size_t(d)].size())
                        lost[std::size_t(d)][std::size_t(l.sender)] = 1;
        }
        std::vector<std::pair<int, std::size_t>> order; // (direction in A's roles, index) in frame order
        for (int d = 0; d < 2; ++d)
            for (std::size_t i = 0; i < lost[std::size_t(d)].size(); ++i)
                order.emplace_back(d, i);
        std::sort(order.begin(), order.end(), [&m, side](const auto &x, const auto &y) {
            return m.seg(side, x.first, std::int64_t(x.second)).frame
                < m.seg(side, y.first, std::int64_t(y.second)).frame;
        });
        for (const auto &[d, i] : order) {
            const Segment &s = m.seg(side, d, std::int64_t(i));
            out += std::string(side == 0 ? "a" : "b") + "," + num(double(s.time - t.firstTime) / 1e9, "%.9f") + ","
                + num(m.time(side, d, std::int64_t(i), offset), "%.9f") + "," + std::to_string(s.frame) + ","
                + dirName(d) + "," + std::to_string(s.payload) + "," + std::to_string(s.ipLength) + ","
                + segmentClassName(s.segmentClass()) + "," + (s.has(Segment::Retransmission) ? "1" : "0") + ","
                + (lost[std::size_t(d)][i] ? "1" : "0") + "\n";
        }
    }
    return out;
}

std::string ladderCsv(const PairMapping &m, double offset)
{
    std::string out =
        "direction,group,sender,a_first_frame,a_last_frame,b_first_frame,b_last_frame,a_time_s,b_time_s,delay_ms,"
        "bytes,lost\n";
    if (!m.isValid())
        return out;
    for (int d = 0; d < 2; ++d) {
        std::vector<char> lostGroup(m.groups[d].size(), 0);
        for (const PairMapping::Lost &l : m.lost[d])
            if (l.group >= 0 && std::size_t(l.group) < lostGroup.size())
                lostGroup[std::size_t(l.group)] = 1;
        const int sender = m.senderSide[d];
        for (std::size_t g = 0; g < m.groups[d].size(); ++g) {
            const SegmentMapping &x = m.groups[d][g];
            const bool hasA = x.aFirst >= 0, hasB = x.bFirst >= 0;
            const double ta = hasA ? m.time(0, d, x.aFirst, offset) : 0, tb = hasB ? m.time(1, d, x.bFirst, offset) : 0;
            // The bytes the sender's side carried in the group.
            std::uint64_t bytes = 0;
            const std::int64_t first = sender == 0 ? x.aFirst : x.bFirst, last = sender == 0 ? x.aLast : x.bLast;
            for (std::int64_t i = first; first >= 0 && i <= last; ++i)
                bytes += m.seg(sender, d, i).payload;
            auto frame = [&m, d](int side, std::int64_t i) {
                return i >= 0 ? std::to_string(m.seg(side, d, i).frame) : std::string();
            };
            out += dirName(d) + "," + std::to_string(g) + "," + (sender == 0 ? "a" : "b") + "," + frame(0, x.aFirst)
                + "," + frame(0, x.aLast) + "," + frame(1, x.bFirst) + "," + frame(1, x.bLast) + ","
                + (hasA ? num(ta, "%.9f") : "") + "," + (hasB ? num(tb, "%.9f") : "") + ","
                + (hasA && hasB ? num((sender == 0 ? tb - ta : ta - tb) * 1e3, "%.6f") : "") + ","
                + std::to_string(bytes) + "," + (lostGroup[g] ? "1" : "0") + "\n";
        }
    }
    return out;
}

} // namespace ol
