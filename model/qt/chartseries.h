// SPDX-License-Identifier: GPL-3.0-or-later
// Plot data of one connection, ready for decimation: per direction and per segment class the frame sizes
// over time (optionally in the "wire view", where send-offload super-segments are cut into the MSS-sized
// pieces the NIC put on the wire), and the time-sequence bars with the peer's ACK and receive-window lines.
#pragma once

#include "pointseries.h"
#include "trace.h"

#include <QString>

#include <array>
#include <memory>

namespace ol {

class ChartSeries
{
public:
    /// One series per segment class (same numbers as SegmentClass), plus overlays.
    enum Kind {
        NoPayload = 0,
        Normal = 1,
        FullSize = 2,
        SendOffload = 3,
        ReceiveOffload = 4,
        Unexplained = 5,
        Retransmission = 6, // overlay: also present in its class series
        WirePiece = 7,      // wire view: virtual MSS-sized piece of a send-offload super-segment
        KindCount
    };
    enum class YMode { Payload, IpLength };

    ChartSeries() = default;
    /// Attaches to a connection; clears all series. The trace is kept alive by the series.
    void setConnection(std::shared_ptr<const Trace> trace, int connectionIndex);
    bool isValid() const { return connection() != nullptr; }

    /// Builds the frame-size series. Cheap to call again with other options.
    void buildFrameSizes(YMode mode, bool wireView);
    /// True once buildFrameSizes() ran with these options.
    bool hasFrameSizes(YMode mode, bool wireView) const
    {
        return m_framesBuilt && m_yMode == mode && m_wireView == wireView;
    }
    /// Builds the time-sequence series (bars, ACK and window lines) once.
    void buildSequence();
    bool hasSequence() const { return m_sequenceBuilt; }

    const PointSeries &frameSizes(int direction, Kind kind) const { return m_frames[direction][kind]; }
    const PointSeries &sequenceBars(int direction, Kind kind) const { return m_bars[direction][kind]; }
    /// The peer's cumulative ACKs in this direction's relative sequence space.
    const PointSeries &ackLine(int direction) const { return m_acks[direction]; }
    /// ACK + advertised receive window (scaled) of the peer: how far this direction may send.
    const PointSeries &windowLine(int direction) const { return m_windows[direction]; }

    std::shared_ptr<const Trace> trace() const { return m_trace; }
    int connectionIndex() const { return m_connectionIndex; }
    const Connection *connection() const;
    const Segment *segment(int direction, std::uint32_t index) const;
    /// Time zero of the charts: the connection's first packet.
    TimeNs origin() const;
    /// Seconds from the first to the last packet.
    double duration() const;
    /// Seconds since origin() of a capture timestamp.
    double seconds(TimeNs t) const { return double(t - origin()) / 1e9; }
    YMode yMode() const { return m_yMode; }
    bool wireView() const { return m_wireView; }

    /// Legend text of a kind ("send offload (TSO/GSO)", "wire piece (virtual)").
    static QString kindName(Kind kind);

private:
    std::shared_ptr<const Trace> m_trace;
    int m_connectionIndex = -1;
    YMode m_yMode = YMode::Payload;
    bool m_wireView = false;
    bool m_sequenceBuilt = false;
    bool m_framesBuilt = false;
    std::array<std::array<PointSeries, KindCount>, 2> m_frames;
    std::array<std::array<PointSeries, KindCount>, 2> m_bars;
    std::array<PointSeries, 2> m_acks;
    std::array<PointSeries, 2> m_windows;
};

} // namespace ol
