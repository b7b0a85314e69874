// SPDX-License-Identifier: GPL-3.0-or-later
// The compact segment store: every field comes back exactly as pushed (the test's own records are the truth),
// across chunk boundaries, for deltas that go backwards, and for the records that do not fit 32 bytes.
#include "segmentstore.h"

#include <QtTest>

#include <vector>

using ol::Segment;
using ol::SegmentClass;
using ol::SegmentStore;

namespace {

// A deterministic stream of records with every field varied, times and sequences mostly rising.
std::vector<Segment> makeRecords(std::size_t n)
{
    std::vector<Segment> out;
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    ol::TimeNs t = 1'700'000'000'000'000'000;
    std::int64_t seq = 1;
    for (std::size_t i = 0; i < n; ++i) {
        Segment s;
        t += std::int64_t(next() % 2'000'000) - (i % 97 == 0 ? 5'000'000 : 0); // a step back now and then
        s.time = t;
        const std::uint32_t payload = i % 5 == 0 ? 0 : std::uint32_t(next() % 65'000);
        seq += payload;
        s.relSeq = i % 89 == 0 ? seq - 3 * 1448 : seq; // retransmissions go back
        s.payload = payload;
        s.ack = std::uint32_t(next());
        s.frame = std::uint32_t(i * 3 + 1);
        s.ipLength = i % 7 == 0 ? 0 : payload + 20 + 20 + std::uint32_t(next() % 3) * 4;
        s.window = std::uint16_t(next());
        s.ipId = std::uint16_t(next());
        s.ttl = std::uint8_t(next());
        s.tcpFlags = std::uint8_t(next());
        s.bits = std::uint16_t(next());
        out.push_back(s);
    }
    return out;
}

bool same(const Segment &a, const Segment &b)
{
    return a.time == b.time && a.relSeq == b.relSeq && a.payload == b.payload && a.ack == b.ack && a.frame == b.frame
        && a.ipLength == b.ipLength && a.window == b.window && a.ipId == b.ipId && a.ttl == b.ttl
        && a.tcpFlags == b.tcpFlags && a.bits == b.bits;
}

} // namespace

class TestSegmentStore : public QObject
{
    Q_OBJECT
private slots:
    void everyFieldRoundTripsAcrossChunks()
    {
        // Past the growing chunks and into three large ones.
        const std::size_t n = SegmentStore::GrowingTotal + 2 * SegmentStore::LargeChunk + 123;
        const std::vector<Segment> truth = makeRecords(n);
        SegmentStore store;
        for (const Segment &s : truth)
            store.push_back(s);
        QCOMPARE(store.size(), n);
        QCOMPARE(store.escapedCount(), std::size_t(0)); // ordinary records all fit
        for (std::size_t i = 0; i < n; ++i)
            if (!same(store[i], truth[i]))
                QFAIL(qPrintable(QString("record %1 differs when indexed").arg(i)));
        std::size_t count = 0;
        for (auto it = store.begin(); it != store.end(); ++it, ++count) {
            QCOMPARE(it.index(), count);
            if (!same(*it, truth[count]))
                QFAIL(qPrintable(QString("record %1 differs when iterated").arg(count)));
        }
        QCOMPARE(count, n);
        QVERIFY(same(store.back(), truth.back()));
        // 32 bytes a record, the chunks' fill included.
        QVERIFY(store.capacityBytes() <= (n + SegmentStore::LargeChunk) * 32);
        QVERIFY(store.capacityBytes() >= n * 32);
    }

    void recordsThatDoNotFitAreKeptWhole()
    {
        std::vector<Segment> truth = makeRecords(40);
        truth[3].time += 200'000'000'000'000; // 55 hours after the chunk's first record
        truth[4].time = truth[0].time - 150'000'000'000'000; // 41 hours before it
        truth[5].relSeq += std::int64_t(1) << 50; // beyond a 48-bit difference
        truth[6].payload = 1u << 24; // a damaged length past 16 MiB
        truth[6].ipLength = 0;
        truth[7].ipLength = truth[7].payload ? truth[7].payload - 1 : 5; // shorter than its payload
        truth[8].ipLength = truth[8].payload + 300; // more header bytes than a byte holds
        truth[9].ipLength = truth[9].payload; // no header bytes at all
        truth[10].ipLength = 0; // left empty by the sender: fits
        truth[11].payload = (1u << 24) - 1; // the largest payload that fits
        truth[11].ipLength = 0;
        SegmentStore store;
        for (const Segment &s : truth)
            store.push_back(s);
        QCOMPARE(store.escapedCount(), std::size_t(7)); // records 3 to 9
        for (std::size_t i = 0; i < truth.size(); ++i)
            QVERIFY2(same(store[i], truth[i]), qPrintable(QString("record %1").arg(i)));
        std::size_t i = 0;
        for (const Segment s : store)
            QVERIFY2(same(s, truth[i++]), qPrintable(QString("iterated record %1").arg(i - 1)));
    }

    void theClassIsTheOneFieldWrittenLater()
    {
        std::vector<Segment> truth = makeRecords(100);
        truth[20].time += 300'000'000'000'000; // escaped: its class lives in the packed record too
        SegmentStore store;
        for (const Segment &s : truth)
            store.push_back(s);
        QCOMPARE(store.escapedCount(), std::size_t(1));
        store.setSegmentClass(20, SegmentClass::SendOffload);
        store.setSegmentClass(21, SegmentClass::ReceiveOffload);
        for (auto it = store.begin(); it != store.end(); ++it)
            if (it.index() >= 50)
                it.setSegmentClass(SegmentClass::FullSize);
        for (std::size_t i = 0; i < truth.size(); ++i) {
            Segment want = truth[i];
            if (i == 20)
                want.setSegmentClass(SegmentClass::SendOffload);
            else if (i == 21)
                want.setSegmentClass(SegmentClass::ReceiveOffload);
            else if (i >= 50)
                want.setSegmentClass(SegmentClass::FullSize);
            QVERIFY2(same(store[i], want), qPrintable(QString("record %1").arg(i)));
        }
    }

    void emptyStoreIteratesNothing()
    {
        const SegmentStore store;
        QVERIFY(store.empty());
        QVERIFY(store.begin() == store.end());
    }
};

QTEST_GUILESS_MAIN(TestSegmentStore)
#include "tst_segmentstore.moc"
