// SPDX-License-Identifier: GPL-3.0-or-later
// Stream graphs of one direction of a connection, as the capture point sees it: round-trip time per ACK,
// throughput and goodput, bytes in flight against the peer's window, and the advertised window. Built
// from the compact segment records (no file access); the charts and the CSV export draw from them.
#pragma once

#include "connection.h"
#include "trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ol {

/// One RTT sample: an ACK from the receiver that acknowledged exactly the end of a segment (or, in the
/// wire view, of a wire segment cut from a super-segment) sent earlier in this direction.
struct RttSample {
    TimeNs time = 0; // the ACK's capture time
    std::uint32_t frame = 0; // the ACK's frame
    std::uint32_t dataFrame = 0; // the frame that carried the acknowledged bytes
    double seconds = 0; // ACK time minus data time
    bool wireSegment = false; // measured against a wire segment cut from a super-segment
};

/// RTT samples of direction d (its data, the peer's ACKs), in capture order. Karn's rule: no sample when
/// the acknowledged bytes were retransmitted (the ACK may answer either copy). With wire, super-segments
/// are split into the MSS-sized wire segments the NIC sent, so an ACK that lands inside one measures the
/// wire segment it covers: a sender-side TSO capture gets as many samples as a wire capture.
std::vector<RttSample> rttSamples(const Connection &c, int d, bool wire);

struct ThroughputSample {
    TimeNs time = 0;
    std::uint32_t frame = 0; // the data segment that ends the window
    double bytesPerSecond = 0; // all payload sent in the window
    double goodputPerSecond = 0; // payload sent for the first time
    double retransmittedPerSecond = 0; // payload sent again
};

/// The window an adaptive throughput uses for a direction: 1/50 of its duration, from 1 ms to 1 s.
TimeNs adaptiveThroughputWindow(const FlowDirection &fd);

/// Throughput of direction d over a sliding window (window <= 0: adaptiveThroughputWindow), one sample
/// per data segment.
std::vector<ThroughputSample> throughputSamples(const Connection &c, int d, TimeNs window);

struct InflightSample {
    TimeNs time = 0;
    std::uint32_t frame = 0;
    std::int64_t bytesInFlight = 0; // highest byte sent minus highest byte acknowledged, at this point
    std::int64_t receiveWindow = -1; // the peer's last advertised window, scaled; -1 before it advertised one
};

/// Bytes in flight of direction d at each of its data segments (what tshark calls tcp.analysis.bytes_in_flight).
std::vector<InflightSample> inflightSamples(const Connection &c, int d);

struct WindowSample {
    TimeNs time = 0;
    std::uint32_t frame = 0;
    std::int64_t windowBytes = 0; // the advertised receive window, scaled
};

/// The receive window the peer of direction d advertised to its sender, one sample per peer segment.
/// windowScaleKnown (optional) says whether the scale came from both SYNs; without them the raw field
/// is the best the capture knows.
std::vector<WindowSample> windowSamples(const Connection &c, int d, bool *windowScaleKnown = nullptr);

/// The CSV of a chart's data for one connection, one row per segment or sample, all directions and all
/// classes, with a header line: chart is frame-size, sequence, rtt, throughput, inflight or window.
/// Times are seconds since the file's first packet. Returns false for an unknown chart.
bool writeChartCsv(const std::string &chart, const Trace &trace, const Connection &c, bool wire, std::string &out);

/// The charts writeChartCsv knows.
const std::vector<std::string> &csvCharts();

} // namespace ol
