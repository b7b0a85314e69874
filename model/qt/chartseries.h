// SPDX-License-Identifier: GPL-3.0-or-later
// Plot data of one connection, ready for decimation: per direction and per segment class the frame sizes
// over time (optionally in the "wire view", where send-offload super-segments are cut into the MSS-sized
// pieces the NIC put on the wire), the time-sequence bars with the peer's ACK and receive-window lines, and, when a
// stream graph is wanted, the RTT, throughput, in-flight and window series (streamchartseries.h).
#pragma once

#include "pointseries.h"
#include "streamchartseries.h"
#include "trace.h"

#include <QString>

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

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
        WirePiece = 7, // wire view: virtual MSS-sized piece of a send-offload super-segment
        KindCount
    };
    enum class YMode { Payload, IpLength };

    ChartSeries() = default;
    /// Attaches to a connection; clears all series. The trace is kept alive by the series.
    void setConnection(std::shared_ptr<const Trace> trace, int connectionIndex);
    bool isValid() const { return connection() != nullptr; }

    /// Receives a series whose frame sizes are built but not yet its sequence series.
    using FramesReady = std::function<void(std::shared_ptr<ChartSeries> framesOnly)>;
    /// Everything both charts show (frame sizes with these options, and the sequence series), built from the
    /// calling thread, which may be any thread; a large connection builds the sequence as a task of Qt's thread
    /// pool meanwhile, joined before this returns. Null when `cancel` was raised during the build. `framesReady`,
    /// if set, is called from the calling thread as soon as the frame sizes of a large connection are built, so
    /// that the first chart need not wait.
    static std::shared_ptr<ChartSeries> create(std::shared_ptr<const Trace> trace, int connectionIndex, YMode mode,
                                               bool wireView, const std::atomic<bool> *cancel = nullptr,
                                               const FramesReady &framesReady = {});
    /// Segments of the connection (both directions): what building its series costs.
    static std::size_t segmentCount(const Trace &trace, int connectionIndex);

    /// Builds the frame-size series. Cheap to call again with other options. False (and nothing changed)
    /// when `cancel` was raised.
    bool buildFrameSizes(YMode mode, bool wireView, const std::atomic<bool> *cancel = nullptr);
    /// True once buildFrameSizes() ran with these options.
    bool hasFrameSizes(YMode mode, bool wireView) const
    {
        return m_framesBuilt && m_yMode == mode && m_wireView == wireView;
    }
    /// Builds the time-sequence series (bars, ACK and window lines) once. False when cancelled.
    bool buildSequence(const std::atomic<bool> *cancel = nullptr);
    bool hasSequence() const { return m_sequenceBuilt; }
    /// Builds the stream graph series (RTT per wire segment with wireView; throughputWindow <= 0: adaptive), or
    /// only the throughput lines again when the rest was built with this wire view. False when cancelled.
    bool buildStreams(bool wireView, TimeNs throughputWindow, const std::atomic<bool> *cancel = nullptr);
    /// True once buildStreams() ran with these options.
    bool hasStreams(bool wireView, TimeNs throughputWindow) const
    {
        return m_streams && m_streams->wireView() == wireView
            && m_streams->throughputWindow() == std::max<TimeNs>(throughputWindow, 0);
    }
    /// The stream graph series; only after buildStreams().
    const StreamChartSeries &streams() const { return *m_streams; }
    bool hasAnyStreams() const { return m_streams != nullptr; }

    const PointSeries &frameSizes(int direction, Kind kind) const { return m_frames->series[direction][kind]; }
    const PointSeries &sequenceBars(int direction, Kind kind) const { return m_sequence->bars[direction][kind]; }
    /// The peer's cumulative ACKs in this direction's relative sequence space.
    const PointSeries &ackLine(int direction) const { return m_sequence->acks[direction]; }
    /// ACK + advertised receive window (scaled) of the peer: how far this direction may send.
    const PointSeries &windowLine(int direction) const { return m_sequence->windows[direction]; }

    std::shared_ptr<const Trace> trace() const { return m_trace; }
    int connectionIndex() const { return m_connectionIndex; }
    const Connection *connection() const;
    std::optional<Segment> segment(int direction, std::uint32_t index) const;
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
    /// The one classification every chart draws with: the series of a segment's class (the core's
    /// SegmentClass) ...
    static Kind classKind(const Segment &s) { return Kind(int(s.segmentClass())); }
    /// ... and, for a retransmission that carries data, the Retransmission overlay on top of it.
    static bool inRetransmissionOverlay(const Segment &s) { return s.payload && s.has(Segment::Retransmission); }
    /// The direction that carries more payload: the one worth plotting first (0 on a tie).
    static int busiestDirection(const Connection &connection)
    {
        return connection.directions[1].stats.payloadBytes > connection.directions[0].stats.payloadBytes ? 1 : 0;
    }
    /// IP + TCP header bytes of a data segment of a direction, from the recorded lengths (IP length minus
    /// payload) of its first data segment that has them; where none was recorded (a sender's TSO leaves the
    /// field empty), the fixed headers of the address family plus TCP, with timestamps if the segment has them.
    static std::uint32_t headerBytes(const Connection &connection, int direction);
    /// The height of the first wire piece of a send-offload segment in the built frame sizes (wire view only);
    /// false when the segment was not cut.
    bool firstWirePiece(int direction, std::uint32_t index, double &value) const;

private:
    // The built series are immutable once made and shared between copies, so copying a ChartSeries is cheap
    // and a copy can rebuild one part (say, the frame sizes in wire view) on another thread while the
    // original stays on screen.
    struct Frames {
        std::array<std::array<PointSeries, KindCount>, 2> series;
    };
    struct Sequence {
        std::array<std::array<PointSeries, KindCount>, 2> bars;
        std::array<PointSeries, 2> acks;
        std::array<PointSeries, 2> windows;
    };
    static std::shared_ptr<const Frames> emptyFrames();
    static std::shared_ptr<const Sequence> emptySequence();

    std::shared_ptr<const Trace> m_trace;
    int m_connectionIndex = -1;
    YMode m_yMode = YMode::Payload;
    bool m_wireView = false;
    bool m_sequenceBuilt = false;
    bool m_framesBuilt = false;
    std::shared_ptr<const Frames> m_frames = emptyFrames();
    std::shared_ptr<const Sequence> m_sequence = emptySequence();
    std::shared_ptr<const StreamChartSeries> m_streams;
};

} // namespace ol
