// SPDX-License-Identifier: GPL-3.0-or-later
// The pixel <-> time mapping and the pixel-bucket min/max decimation behind the charts, without painting.
#include "chartseries.h"
#include "pixelmapping.h"
#include "pointseries.h"

#include <QRandomGenerator>
#include <QTest>

#include <map>

using namespace ol;

namespace {

/// A synthetic connection: `n` data segments 1 µs apart client→server, every `offloadEvery`-th one a 64 KB
/// send-offload super-segment, every `retransEvery`-th a retransmission.
std::shared_ptr<Trace> syntheticTrace(std::size_t n, std::size_t offloadEvery, std::size_t retransEvery)
{
    auto trace = std::make_shared<Trace>();
    auto c = std::make_unique<Connection>();
    c->firstTime = 1'000'000'000;
    c->lastTime = c->firstTime + TimeNs(n) * 1000;
    FlowDirection &fd = c->directions[0];
    fd.offload.mss = 1460;
    fd.offload.effectiveMss = 1448;
    fd.offload.mssKnown = true;
    std::int64_t seq = 0;
    for (std::size_t i = 0; i < n; ++i) {
        Segment s;
        s.time = c->firstTime + TimeNs(i) * 1000;
        s.frame = std::uint32_t(i + 1);
        const bool offload = offloadEvery && i % offloadEvery == offloadEvery / 2;
        s.payload = offload ? 1448 * 45 : (i % 7 == 0 ? 512 : 1448);
        s.relSeq = seq;
        seq += s.payload;
        s.ipLength = s.payload + 52;
        s.tcpFlags = 0x18;
        s.setSegmentClass(offload                 ? SegmentClass::SendOffload
                              : s.payload == 1448 ? SegmentClass::FullSize
                                                  : SegmentClass::Normal);
        if (retransEvery && i % retransEvery == 3)
            s.bits |= Segment::Retransmission;
        fd.segments.push_back(s);
        fd.stats.dataSegments++;
    }
    fd.offload.sendOffload = offloadEvery ? n / offloadEvery : 0;
    trace->connections.push_back(std::move(c));
    return trace;
}

} // namespace

class TestDecimation : public QObject
{
    Q_OBJECT
private slots:
    void mappingRoundTrips_data();
    void mappingRoundTrips();
    void bucketsAreClampedToThePlot();
    void zoomKeepsThePointUnderTheCursor();
    void panMovesByWholePixels();
    void invalidMappingIsHarmless();
    void fewPointsPassUnchanged();
    void manyPointsKeepEachColumnsMinAndMax();
    void pointCountStaysBoundedAtAnyZoom_data();
    void pointCountStaysBoundedAtAnyZoom();
    void unsortedTimesAreSorted();
    void jitteredAndReversedTimesSortStably_data();
    void jitteredAndReversedTimesSortStably();
    void barsMergeIntoOneEnvelopePerColumn();
    void neighboursLetLinesReachTheEdges();
    void everySparseOversizedPointSurvives();
    void wireViewCutsSuperSegmentsIntoMssPieces();
};

void TestDecimation::mappingRoundTrips_data()
{
    QTest::addColumn<double>("lower");
    QTest::addColumn<double>("upper");
    QTest::addColumn<int>("pixels");
    QTest::addColumn<double>("time");
    QTest::newRow("the middle of a one-second view") << 0.0 << 1.0 << 1000 << 0.5;
    QTest::newRow("a point in a microsecond view far from zero") << 3600.0 << 3600.000001 << 800 << 3600.0000005;
    QTest::newRow("a time left of the view extrapolates") << 10.0 << 20.0 << 100 << 5.0;
}

void TestDecimation::mappingRoundTrips()
{
    QFETCH(double, lower);
    QFETCH(double, upper);
    QFETCH(int, pixels);
    QFETCH(double, time);
    const PixelMapping m(lower, upper, pixels);
    QVERIFY(m.isValid());
    QCOMPARE(m.pixelOf(lower), 0.0);
    QCOMPARE(m.pixelOf(upper), double(pixels));
    QVERIFY(std::abs(m.timeOf(m.pixelOf(time)) - time) < (upper - lower) * 1e-9);
    QCOMPARE(m.secondsPerPixel(), (upper - lower) / pixels);
}

void TestDecimation::bucketsAreClampedToThePlot()
{
    const PixelMapping m(0, 10, 10);
    QCOMPARE(m.bucketOf(0), 0);
    QCOMPARE(m.bucketOf(0.99), 0);
    QCOMPARE(m.bucketOf(1.0), 1);
    QCOMPARE(m.bucketOf(9.5), 9);
    QCOMPARE(m.bucketOf(10), 9); // the right edge belongs to the last column
    QCOMPARE(m.bucketOf(-3), 0);
    QCOMPARE(m.bucketOf(42), 9);
    QCOMPARE(m.bucketOf(std::nan("")), 0);
}

void TestDecimation::zoomKeepsThePointUnderTheCursor()
{
    const PixelMapping m(0, 100, 500);
    const PixelMapping z = m.zoomed(4, 30);
    QCOMPARE(z.pixels(), 500);
    QCOMPARE(z.upper() - z.lower(), 25.0);
    QVERIFY(std::abs(z.pixelOf(30) - m.pixelOf(30)) < 1e-9);
    const PixelMapping back = z.zoomed(0.25, 30);
    QVERIFY(std::abs(back.lower() - 0) < 1e-9 && std::abs(back.upper() - 100) < 1e-9);
}

void TestDecimation::panMovesByWholePixels()
{
    const PixelMapping m(0, 100, 100);
    const PixelMapping p = m.panned(10);
    QCOMPARE(p.lower(), 10.0);
    QCOMPARE(p.upper(), 110.0);
    QCOMPARE(p.pixelOf(50), m.pixelOf(50) - 10);
}

void TestDecimation::invalidMappingIsHarmless()
{
    const PixelMapping none;
    QVERIFY(!none.isValid());
    QVERIFY(!PixelMapping(5, 5, 100).isValid());
    QCOMPARE(none.bucketOf(3), 0);
    PointSeries s;
    s.append(1, 1, 0);
    s.finish();
    QCOMPARE(s.decimate(none).size(), 0);
}

void TestDecimation::fewPointsPassUnchanged()
{
    PointSeries s;
    for (int i = 0; i < 50; ++i)
        s.append(i, i * 10, std::uint32_t(i));
    s.finish();
    const DecimatedPoints p = s.decimate(PixelMapping(10, 19, 100));
    QVERIFY(!p.decimated);
    QCOMPARE(p.size(), 10); // 10..19 inclusive
    QCOMPARE(p.keys.front(), 10.0);
    QCOMPARE(p.indices.back(), 19u);
}

void TestDecimation::manyPointsKeepEachColumnsMinAndMax()
{
    PointSeries s;
    QRandomGenerator rng(42);
    const int n = 200'000;
    std::vector<double> t(n), y(n);
    for (int i = 0; i < n; ++i) {
        t[i] = i * 1e-4;
        y[i] = rng.bounded(65536.0);
        s.append(t[i], y[i], std::uint32_t(i));
    }
    s.finish();
    const PixelMapping m(0, t.back(), 300);
    const DecimatedPoints p = s.decimate(m);
    QVERIFY(p.decimated);
    QVERIFY(p.size() <= 2 * 300);
    // The true extremes of every column, computed the slow way.
    std::map<int, std::pair<double, double>> extremes;
    for (int i = 0; i < n; ++i) {
        auto [it, fresh] = extremes.try_emplace(m.bucketOf(t[i]), y[i], y[i]);
        if (!fresh) {
            it->second.first = std::min(it->second.first, y[i]);
            it->second.second = std::max(it->second.second, y[i]);
        }
    }
    std::map<int, std::pair<double, double>> kept;
    for (qsizetype i = 0; i < p.size(); ++i) {
        auto [it, fresh] = kept.try_emplace(m.bucketOf(p.keys[i]), p.values[i], p.values[i]);
        if (!fresh) {
            it->second.first = std::min(it->second.first, p.values[i]);
            it->second.second = std::max(it->second.second, p.values[i]);
        }
        // Every kept point is a real one.
        QCOMPARE(y[p.indices[i]], p.values[i]);
    }
    QCOMPARE(kept, extremes);
    for (qsizetype i = 1; i < p.size(); ++i)
        QVERIFY(p.keys[i - 1] <= p.keys[i]);
}

void TestDecimation::pointCountStaysBoundedAtAnyZoom_data()
{
    QTest::addColumn<double>("zoom");
    QTest::newRow("the whole connection") << 1.0;
    QTest::newRow("a tenth of it") << 10.0;
    QTest::newRow("a thousandth of it") << 1000.0;
}

void TestDecimation::pointCountStaysBoundedAtAnyZoom()
{
    QFETCH(double, zoom);
    ChartSeries series;
    series.setConnection(syntheticTrace(1'000'000, 0, 0), 0);
    series.buildFrameSizes(ChartSeries::YMode::Payload, false);
    const int pixels = 700;
    const PixelMapping m = PixelMapping(0, series.duration(), pixels).zoomed(zoom, series.duration() / 3);
    for (int k = 0; k < ChartSeries::KindCount; ++k) {
        const DecimatedPoints p = series.frameSizes(0, ChartSeries::Kind(k)).decimate(m);
        QVERIFY2(p.size() <= 2 * pixels, qPrintable(QStringLiteral("kind %1: %2 points").arg(k).arg(p.size())));
    }
    QVERIFY(series.frameSizes(0, ChartSeries::FullSize).decimate(m).size() > pixels / 2);
}

void TestDecimation::unsortedTimesAreSorted()
{
    PointSeries s;
    s.append(3, 30, 0);
    s.append(1, 10, 1);
    s.append(2, 20, 2);
    s.append(1, 11, 3); // same time as index 1: capture order kept
    s.finish();
    QCOMPARE(s.size(), std::size_t(4));
    QCOMPARE(s.time(0), 1.0);
    QCOMPARE(s.index(0), 1u);
    QCOMPARE(s.index(1), 3u);
    QCOMPARE(s.time(3), 3.0);
    QCOMPARE(s.minValue(), 10.0);
    QCOMPARE(s.maxValue(), 30.0);
}

void TestDecimation::jitteredAndReversedTimesSortStably_data()
{
    QTest::addColumn<bool>("reversed");
    // Capture timestamps that step back a little are sorted in one pass; data far out of order takes the full
    // sort. Either way every record keeps its value, top and index, and equal times keep capture order.
    QTest::newRow("timestamps jittered by a few places") << false;
    QTest::newRow("timestamps in reverse order") << true;
}

void TestDecimation::jitteredAndReversedTimesSortStably()
{
    QFETCH(bool, reversed);
    const std::uint32_t n = 20'000;
    PointSeries s(PointSeries::Shape::Bars);
    for (std::uint32_t i = 0; i < n; ++i) {
        // Pairs of records share a time, so stability shows.
        const std::uint32_t slot = reversed ? (n - 1 - i) / 2 : (i % 5 == 4 ? i / 2 - 1 : i / 2);
        s.appendBar(double(slot), double(i), double(i) + 0.5, i);
    }
    s.finish();
    QCOMPARE(s.size(), std::size_t(n));
    for (std::size_t k = 0; k < n; ++k) {
        QCOMPARE(s.value(k), double(s.index(k)));
        QCOMPARE(s.high(k), double(s.index(k)) + 0.5);
        if (k) {
            QVERIFY(s.time(k - 1) <= s.time(k));
            if (s.time(k - 1) == s.time(k))
                QVERIFY(s.index(k - 1) < s.index(k));
        }
    }
}

void TestDecimation::barsMergeIntoOneEnvelopePerColumn()
{
    PointSeries bars(PointSeries::Shape::Bars);
    for (int i = 0; i < 10'000; ++i)
        bars.appendBar(i * 1e-3, i * 1448.0, (i + 1) * 1448.0, std::uint32_t(i));
    bars.finish();
    const PixelMapping m(0, 10, 100);
    const DecimatedPoints p = bars.decimate(m);
    QVERIFY(p.decimated);
    QCOMPARE(p.size(), 100);
    QCOMPARE(p.highs.size(), p.size());
    // Column 0 holds bars 0..99: one bar from the first byte of bar 0 to the last byte of bar 99.
    QCOMPARE(p.values[0], 0.0);
    QCOMPARE(p.highs[0], 100 * 1448.0);
    QCOMPARE(p.values[1], 100 * 1448.0);
}

void TestDecimation::neighboursLetLinesReachTheEdges()
{
    PointSeries s;
    for (int i = 0; i < 100; ++i)
        s.append(i, i, std::uint32_t(i));
    s.finish();
    const DecimatedPoints inner = s.decimate(PixelMapping(10.5, 20.5, 100));
    const DecimatedPoints lines = s.decimate(PixelMapping(10.5, 20.5, 100), true);
    QCOMPARE(inner.size(), 10);
    QCOMPARE(lines.size(), 12);
    QCOMPARE(lines.keys.front(), 10.0);
    QCOMPARE(lines.keys.back(), 21.0);
}

void TestDecimation::everySparseOversizedPointSurvives()
{
    // 1M segments, 500 of them send-offload and 1,000 retransmissions: both rarer than 2 per pixel.
    ChartSeries series;
    series.setConnection(syntheticTrace(1'000'000, 2000, 1000), 0);
    series.buildFrameSizes(ChartSeries::YMode::Payload, false);
    const PixelMapping all(0, series.duration(), 800);
    QCOMPARE(series.frameSizes(0, ChartSeries::SendOffload).size(), std::size_t(500));
    QCOMPARE(series.frameSizes(0, ChartSeries::SendOffload).decimate(all).size(), 500);
    QCOMPARE(series.frameSizes(0, ChartSeries::Retransmission).decimate(all).size(), 1000);
    QVERIFY(series.frameSizes(0, ChartSeries::FullSize).decimate(all).size() <= 1600);
    QCOMPARE(series.frameSizes(0, ChartSeries::SendOffload).maxValue(), 1448.0 * 45);
}

void TestDecimation::wireViewCutsSuperSegmentsIntoMssPieces()
{
    ChartSeries series;
    series.setConnection(syntheticTrace(10'000, 1000, 0), 0);
    series.buildFrameSizes(ChartSeries::YMode::Payload, true);
    QVERIFY(series.hasFrameSizes(ChartSeries::YMode::Payload, true));
    QCOMPARE(series.frameSizes(0, ChartSeries::SendOffload).size(), std::size_t(0));
    QCOMPARE(series.frameSizes(0, ChartSeries::WirePiece).size(), std::size_t(10 * 45));
    QCOMPARE(series.frameSizes(0, ChartSeries::WirePiece).maxValue(), 1448.0);
    series.buildFrameSizes(ChartSeries::YMode::IpLength, false);
    QCOMPARE(series.frameSizes(0, ChartSeries::SendOffload).maxValue(), 1448.0 * 45 + 52);
}

QTEST_GUILESS_MAIN(TestDecimation)
#include "tst_decimation.moc"
