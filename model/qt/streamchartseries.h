// SPDX-License-Identifier: GPL-3.0-or-later
// The stream graphs of one connection, ready for pixel-bucket decimation: per direction the round-trip time per
// ACK, throughput, goodput and retransmitted bytes per second, bytes in flight with the peer's receive window, and
// the advertised window. Built once from the core's series (model/core/streamseries.h), immutable afterwards; each
// point keeps the index of the segment it stands for, so that charts can hover, select and explain it.
#pragma once

#include "pointseries.h"
#include "trace.h"

#include <QString>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace ol {

class StreamChartSeries
{
public:
    /// The plotted lines of one direction d.
    enum Line {
        Rtt, // ms, per ACK, measured against a captured segment (point index: the data segment in d)
        RttWire, // ms, wire view only: measured against a wire segment cut from a super-segment
        Throughput, // bytes/s of all payload sent in the window ending at a data segment of d
        Goodput, // bytes/s sent for the first time
        Retransmitted, // bytes/s sent again
        Inflight, // bytes sent and not yet acknowledged, at each data segment of d
        ReceiveWindow, // the peer's last advertised window (scaled) at each data segment of d
        Window, // the window the peer advertised, at each of the peer's segments (index: a segment in 1 - d)
        LineCount
    };
    /// The direction whose segments the point indices of a line of direction d refer to.
    static int sourceDirection(Line line, int d) { return line == Window ? 1 - d : d; }

    struct RttSummary {
        std::size_t samples = 0; // both lines
        std::size_t wireSamples = 0; // of them measured against a wire segment
        double minMs = 0, medianMs = 0, maxMs = 0;
    };
    /// The largest send-offload super-segment of a direction (a capture at the sender): where it was and its size.
    struct SuperSegment {
        std::uint32_t payload = 0; // 0: the direction has none
        std::uint32_t index = 0;
    };
    /// Builds every line of both directions. wireView: RTT samples per wire segment (rttSamples's wire);
    /// throughputWindow <= 0: the adaptive window. Null when `cancel` was raised.
    static std::shared_ptr<const StreamChartSeries> build(const Connection &connection, TimeNs origin, bool wireView,
                                                          TimeNs throughputWindow,
                                                          const std::atomic<bool> *cancel = nullptr);
    /// The same series with the throughput lines built again for another window (the RTT, in-flight and window
    /// lines, which do not depend on it, are shared with `from`).
    static std::shared_ptr<const StreamChartSeries> withThroughputWindow(const StreamChartSeries &from,
                                                                         const Connection &connection, TimeNs origin,
                                                                         TimeNs throughputWindow,
                                                                         const std::atomic<bool> *cancel = nullptr);

    const PointSeries &line(int direction, Line line) const;
    const RttSummary &rttSummary(int direction) const { return m_main->directions[direction].rtt; }
    /// The throughput window used for a direction, in seconds.
    double throughputWindowSeconds(int direction) const
    {
        return m_throughput->directions[direction].throughputWindowSeconds;
    }
    /// Whether both SYNs were seen, so that the window scale is known.
    bool windowScaleKnown(int direction) const { return m_main->directions[direction].windowScaleKnown; }
    const SuperSegment &largestSuperSegment(int direction) const
    {
        return m_main->directions[direction].largestSuperSegment;
    }
    bool wireView() const { return m_wireView; }
    /// As asked for (0 = adaptive); the window used per direction is throughputWindowSeconds().
    TimeNs throughputWindow() const { return m_throughputWindow; }

    /// The point of a line that stands for a segment (the first one, if several do): false when none does.
    bool pointOf(int direction, Line line, std::uint32_t segmentIndex, double &time, double &value) const;
    /// The frame of the ACK that gave the RTT sample measured against a data segment, 0 if none did.
    std::uint32_t rttAckFrame(int direction, std::uint32_t dataIndex) const;

    /// Legend text of a line ("round-trip time", "goodput (sent once)").
    static QString lineName(Line line);

private:
    /// Built in two parts so that a new throughput window rebuilds only the throughput lines.
    struct Direction {
        std::array<PointSeries, LineCount> lines; // those of the part; the others stay empty
        std::array<bool, LineCount> indexSorted{}; // a line's point indices grow with its times
        RttSummary rtt;
        /// Per RTT sample in capture order: the data segment index and the ACK's frame (for tooltips).
        std::vector<std::pair<std::uint32_t, std::uint32_t>> rttAcks;
        double throughputWindowSeconds = 0;
        bool windowScaleKnown = false;
        SuperSegment largestSuperSegment;
    };
    struct Part {
        std::array<Direction, 2> directions;
    };
    std::shared_ptr<const Part> m_main; // RTT, in flight, window
    std::shared_ptr<const Part> m_throughput; // throughput, goodput, retransmitted
    bool m_wireView = false;
    TimeNs m_throughputWindow = 0;

    static std::shared_ptr<const Part> buildMain(const Connection &c, TimeNs origin, bool wireView,
                                                 const std::atomic<bool> *cancel);
    static std::shared_ptr<const Part> buildThroughput(const Connection &c, TimeNs origin, TimeNs window,
                                                       const std::atomic<bool> *cancel);
};

} // namespace ol
