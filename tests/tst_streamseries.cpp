// SPDX-License-Identifier: GPL-3.0-or-later
// Stream graph series against tshark, the reference users trust: bytes in flight
// (tcp.analysis.bytes_in_flight), the scaled window (tcp.window_size), the RTT per ACK
// (tcp.analysis.ack_rtt and tcp.analysis.acks_frame), and the wire-view RTT of a TSO sender's capture
// against the RTT samples tshark finds in the receiver's capture of the same transfer.
#include "loader.h"
#include "streamseries.h"
#include "testutil.h"

#include <QProcess>
#include <QTest>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

using namespace ol;
using testutil::dataFile;

namespace {

using testutil::tsharkFields;

const char *const Files[] = {
    "gen_tso_on_gro_off_server.pcap", // a TSO sender's own capture: super-segments
    "gen_tso_off_gro_off_client.pcap", // wire-sized segments at the receiver, 2,765 data frames
    "public/c01_http_download_sack_retrans.pcap", // retransmissions and SACK
    "public/c12_wscale_shift255.pcap", // a window scale of 255 in the SYN (RFC 7323: use 14)
};

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

class TestStreamSeries : public QObject
{
    Q_OBJECT

private slots:
    void crossCheck_data()
    {
        QTest::addColumn<QString>("path");
        for (const char *f : Files)
            QTest::newRow(f) << dataFile(QString::fromLatin1(f));
    }

    void crossCheck()
    {
        QFETCH(QString, path);
        OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
        const LoadResult r = loadTrace(path.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        QVERIFY(!r.trace->connections.empty());
        const Connection &c = *r.trace->connections.front();

        // Bytes in flight: one value per data frame, equal to tshark's.
        std::map<std::uint32_t, std::int64_t> inflight;
        for (int d = 0; d < 2; ++d)
            for (const InflightSample &s : inflightSamples(c, d))
                inflight[s.frame] = s.bytesInFlight;
        const auto tsInflight = tsharkFields(tshark, path, "tcp.stream==0 && tcp.analysis.bytes_in_flight",
                                             {"frame.number", "tcp.analysis.bytes_in_flight"});
        QVERIFY(!tsInflight.isEmpty());
        QCOMPARE(inflight.size(), std::size_t(tsInflight.size()));
        for (const QStringList &row : tsInflight) {
            const auto it = inflight.find(row[0].toUInt());
            QVERIFY2(it != inflight.end(), qPrintable("no in-flight sample for frame " + row[0]));
            QCOMPARE(it->second, row[1].toLongLong());
        }

        // The scaled window of every segment.
        std::map<std::uint32_t, std::int64_t> window;
        for (int d = 0; d < 2; ++d)
            for (const WindowSample &s : windowSamples(c, d))
                window[s.frame] = s.windowBytes;
        const auto tsWindow = tsharkFields(tshark, path, "tcp.stream==0", {"frame.number", "tcp.window_size"});
        QCOMPARE(window.size(), std::size_t(tsWindow.size()));
        for (const QStringList &row : tsWindow)
            QCOMPARE(window[row[0].toUInt()], row[1].toLongLong());

        // RTT: tshark's samples, less those that acknowledge a SYN or a FIN (they carry no data; we sample
        // data only), are ours, frame for frame, with the same acknowledged frame and value.
        std::set<QString> synFin;
        for (const QStringList &row :
             tsharkFields(tshark, path, "tcp.stream==0 && (tcp.flags.syn==1 || tcp.flags.fin==1)", {"frame.number"}))
            synFin.insert(row[0]);
        std::map<std::uint32_t, RttSample> rtt;
        for (int d = 0; d < 2; ++d)
            for (const RttSample &s : rttSamples(c, d, false))
                rtt[s.frame] = s;
        int expected = 0;
        for (const QStringList &row :
             tsharkFields(tshark, path, "tcp.stream==0 && tcp.analysis.ack_rtt",
                          {"frame.number", "tcp.analysis.ack_rtt", "tcp.analysis.acks_frame"})) {
            if (synFin.count(row[2]))
                continue;
            ++expected;
            const auto it = rtt.find(row[0].toUInt());
            QVERIFY2(it != rtt.end(), qPrintable("no RTT sample for the ACK in frame " + row[0]));
            QCOMPARE(it->second.dataFrame, row[2].toUInt());
            QVERIFY(std::abs(it->second.seconds - row[1].toDouble()) < 2e-6);
        }
        QCOMPARE(int(rtt.size()), expected);
    }

    // The CSV export holds the data, not a decimated picture: one frame-size row per TCP frame of the
    // connection (tshark's count for the stream), every class; 595 frames once gave 91 rows.
    void csvHoldsEveryFrame()
    {
        OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
        const QString path = dataFile(QStringLiteral("gen_tso_off_gro_off_client.pcap"));
        const LoadResult r = loadTrace(path.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        std::string csv;
        QVERIFY(writeChartCsv("frame-size", *r.trace, *r.trace->connections.front(), false, csv));
        const auto frames = tsharkFields(tshark, path, "tcp.stream==0", {"frame.number", "tcp.len"});
        const QStringList lines = QString::fromStdString(csv).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.first(),
                 QStringLiteral("time_s,frame,direction,payload,ip_length,class,retransmission,wire_segments"));
        QCOMPARE(lines.size() - 1, frames.size());
        for (int i = 0; i < frames.size(); ++i) {
            const QStringList cells = lines[i + 1].split(',');
            QCOMPARE(cells[1], frames[i][0]); // capture order
            QCOMPARE(cells[3], frames[i][1]); // payload = tcp.len
        }
        for (const std::string &chart : csvCharts())
            QVERIFY(writeChartCsv(chart, *r.trace, *r.trace->connections.front(), true, csv) && !csv.empty());
        QVERIFY(!writeChartCsv("no-such-chart", *r.trace, *r.trace->connections.front(), false, csv));
    }

    // Throughput over a sliding window W: each sample times W is the payload tshark lists (tcp.len) in the W up to
    // and including that frame, so the rate integrates over time to exactly the bytes sent. Checked per sample;
    // bytes in flight never go below zero.
    void throughputIsThePayloadOfTheLastWindow_data() { crossCheck_data(); }
    void throughputIsThePayloadOfTheLastWindow()
    {
        OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
        QFETCH(QString, path);
        const LoadResult r = loadTrace(path.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        const Connection &c = *r.trace->connections.front();
        for (int d = 0; d < 2; ++d) {
            const FlowDirection &fd = c.directions[d];
            if (fd.stats.dataSegments < 10)
                continue;
            // tshark's data frames of this direction: time since the first packet (ns) and payload.
            std::vector<std::pair<std::int64_t, double>> frames;
            const QString filter =
                QStringLiteral("tcp.stream==0 && tcp.len > 0 && tcp.srcport == %1").arg(fd.from.port);
            for (const QStringList &row : tsharkFields(tshark, path, filter, {"frame.time_relative", "tcp.len"}))
                frames.push_back({std::llround(row[0].toDouble() * 1e9), row[1].toDouble()});
            const TimeNs window = adaptiveThroughputWindow(fd);
            const std::vector<ThroughputSample> t = throughputSamples(c, d, 0);
            QCOMPARE(t.size(), frames.size());
            double sent = 0;
            int exact = 0;
            std::size_t first = 0;
            double inWindow = 0;
            for (std::size_t i = 0; i < frames.size(); ++i) {
                sent += frames[i].second;
                inWindow += frames[i].second;
                while (frames[first].first <= frames[i].first - window)
                    inWindow -= frames[first++].second;
                const double ours = t[i].bytesPerSecond * double(window) / 1e9;
                exact += std::abs(ours - inWindow) < 0.5;
            }
            qInfo("direction %d: %d of %zu samples equal tshark's payload in the window; %.0f bytes sent", d, exact,
                  frames.size(), sent);
            // A frame exactly one window before another may fall either side of a microsecond-rounded time.
            QVERIFY2(exact >= int(frames.size() * 99 / 100), qPrintable(QString::number(exact)));
            const std::vector<InflightSample> f = inflightSamples(c, d);
            QVERIFY(!f.empty());
            for (const InflightSample &s : f)
                QVERIFY2(s.bytesInFlight >= 0,
                         qPrintable(QStringLiteral("frame %1: %2").arg(s.frame).arg(s.bytesInFlight)));
        }
    }

    // A TSO sender's capture shows a handful of super-segments; cut into wire segments it gets about as many
    // RTT samples as tshark finds in the receiver's capture of the same transfer (make-captures.sh).
    void wireViewSamplesLikeAWireCapture()
    {
        OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
        const QString server = dataFile(QStringLiteral("gen_tso_on_gro_off_server.pcap"));
        const QString client = dataFile(QStringLiteral("gen_tso_on_gro_off_client.pcap"));
        const LoadResult r = loadTrace(server.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        const Connection &c = *r.trace->connections.front();
        const int d = c.busiestDirection();
        const std::size_t plain = rttSamples(c, d, false).size();
        const std::vector<RttSample> wire = rttSamples(c, d, true);
        std::set<QString> synFin;
        for (const QStringList &row :
             tsharkFields(tshark, client, "tcp.flags.syn==1 || tcp.flags.fin==1", {"frame.number"}))
            synFin.insert(row[0]);
        // Every ACK the receiver sent for data is one tshark times there (against the wire segment it ends).
        int atReceiver = 0;
        for (const QStringList &row :
             tsharkFields(tshark, client, "tcp.analysis.ack_rtt && tcp.srcport != 8080", {"tcp.analysis.acks_frame"}))
            atReceiver += !synFin.count(row[0]);
        qInfo("RTT samples at the TSO sender: %zu per captured frame, %zu per wire segment; the receiver's capture "
              "holds %d ACKs that tshark times",
              plain, wire.size(), atReceiver);
        QVERIFY(wire.size() > 4 * plain);
        QVERIFY2(double(wire.size()) >= 0.95 * atReceiver && double(wire.size()) <= 1.05 * atReceiver,
                 qPrintable(QString::number(wire.size()) + " vs " + QString::number(atReceiver)));
        int virtualPieces = 0;
        for (const RttSample &s : wire)
            virtualPieces += s.wireSegment;
        QVERIFY(virtualPieces > 0);

        // The wire view's median RTT against tshark's at the sender of the same transfer made with TSO off
        // (make-captures.sh: same namespaces, path and size), whose frames are the wire segments.
        std::vector<double> ours;
        for (const RttSample &s : wire)
            ours.push_back(s.seconds);
        std::vector<double> theirs;
        const QString wireSender = dataFile(QStringLiteral("gen_tso_off_gro_off_server.pcap"));
        for (const QStringList &row :
             tsharkFields(tshark, wireSender,
                          "tcp.analysis.ack_rtt && tcp.dstport == 8080 && tcp.flags.syn == 0 && tcp.flags.fin == 0",
                          {"tcp.analysis.ack_rtt"}))
            theirs.push_back(row[0].toDouble());
        QVERIFY(theirs.size() > 100);
        const double a = median(ours), b = median(theirs);
        qInfo("median RTT: wire view of the TSO sender %.1f us (%zu samples); tshark at the TSO-off sender %.1f us "
              "(%zu samples)",
              a * 1e6, ours.size(), b * 1e6, theirs.size());
        QVERIFY2(std::abs(a - b) <= 0.2 * b, qPrintable(QString::number(a) + " vs " + QString::number(b)));
    }
};

QTEST_GUILESS_MAIN(TestStreamSeries)
#include "tst_streamseries.moc"
