// SPDX-License-Identifier: GPL-3.0-or-later
// Results while loading (LoadOptions::partial): snapshots come, grow, never exceed the final trace, stay within
// their budget, and the final result is the same with and without them.
#include "loader.h"
#include "partialcapture.h"
#include "report.h"
#include "tracesnapshot.h"

#include <QtTest>

#include <mutex>

using namespace testutil;

class TestPartial : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_file;
    PartialTruth m_truth;

    static std::string path(const QString &p) { return QFile::encodeName(p).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // 8 connections x 25,000 data segments: 300,000 frames, about 20 MB, about 150 batches of the loader.
        m_file = writePartialCapture(m_dir, 8, 25'000, m_truth);
        QCOMPARE(m_truth.packets, 8u * (3 + 25'000 + 12'500));
    }

    void wholeLoadMatchesTheGeneratorTruth()
    {
        const ol::LoadResult r = ol::loadTrace(path(m_file));
        QVERIFY2(r.trace, r.error.c_str());
        QVERIFY(!r.trace->partial);
        QCOMPARE(r.trace->counts.packets, m_truth.packets);
        QCOMPARE(r.trace->connections.size(), m_truth.conns.size());
        for (std::size_t i = 0; i < m_truth.conns.size(); ++i) {
            const ol::Connection &c = *r.trace->connections[i];
            QCOMPARE(c.packets, m_truth.conns[i].packets);
            for (int d = 0; d < 2; ++d) {
                QCOMPARE(c.directions[d].stats.segments, m_truth.conns[i].segments[d]);
                QCOMPARE(c.directions[d].segments.size(), m_truth.conns[i].segments[d]);
                QCOMPARE(c.directions[d].stats.payloadBytes, m_truth.conns[i].payload[d]);
            }
            QCOMPARE(c.directions[1].offload.sendOffload, m_truth.conns[i].superSegments);
        }
        QCOMPARE(r.trace->offload.verdict, ol::OffloadVerdict::SendOffload);
    }

    void snapshotsGrowAndNeverExceedTheFinalTrace()
    {
        const ol::LoadResult plain = ol::loadTrace(path(m_file));
        QVERIFY(plain.trace);
        std::mutex mutex;
        std::vector<std::shared_ptr<ol::Trace>> snaps;
        ol::LoadOptions options;
        options.partialFirstSeconds = 0; // as early and as often as the cost rule lets them come
        options.partialSeconds = 0;
        options.partial = [&](std::shared_ptr<ol::Trace> t) {
            std::lock_guard lock(mutex);
            snaps.push_back(std::move(t));
        };
        const ol::LoadResult r = ol::loadTrace(path(m_file), options);
        QVERIFY2(r.trace, r.error.c_str());
        QVERIFY(!r.trace->partial);
        // The final result does not depend on the snapshots taken on the way.
        QCOMPARE(QByteArray::fromStdString(ol::reportJson({r.trace.get()})),
                 QByteArray::fromStdString(ol::reportJson({plain.trace.get()})));

        QVERIFY(!snaps.empty());
        const ol::Trace &final = *r.trace;
        qInfo("%zu snapshots, the first at %llu of %llu packets", snaps.size(),
              static_cast<unsigned long long>(snaps.front()->counts.packets),
              static_cast<unsigned long long>(final.counts.packets));
        // The first is taken after the loader's first batch (the reader runs at most a few batches ahead).
        QVERIFY2(snaps.front()->counts.packets < final.counts.packets,
                 qPrintable(QString::number(snaps.front()->counts.packets)));
        std::uint64_t lastPackets = 0;
        for (const auto &s : snaps) {
            QVERIFY(s->partial);
            QCOMPARE(s->path, final.path);
            QVERIFY(s->fractionRead > 0 && s->fractionRead <= 1);
            QVERIFY(s->counts.packets >= lastPackets);
            QVERIFY(s->counts.packets <= final.counts.packets);
            QVERIFY(s->counts.tcpPackets <= final.counts.tcpPackets);
            lastPackets = s->counts.packets;
            QVERIFY(s->connections.size() <= final.connections.size());
            for (const auto &c : s->connections) {
                const ol::Connection *f = final.connectionById(c->id);
                QVERIFY(f);
                QCOMPARE(c->client.toString(), f->client.toString());
                QVERIFY(c->packets <= f->packets);
                for (int d = 0; d < 2; ++d) {
                    const ol::DirectionStats &a = c->directions[d].stats, &b = f->directions[d].stats;
                    QVERIFY(a.segments <= b.segments);
                    QVERIFY(a.payloadBytes <= b.payloadBytes);
                    QVERIFY(a.dataSegments <= b.dataSegments);
                    QVERIFY(c->directions[d].segments.size() <= a.segments);
                    QVERIFY(c->directions[d].offload.sendOffload <= f->directions[d].offload.sendOffload);
                }
            }
            // Analysed like a whole file: the truth's verdict once a super-segment was read.
            std::uint64_t supers = 0;
            for (const auto &c : s->connections)
                supers += c->directions[1].offload.sendOffload;
            if (supers > 0)
                QCOMPARE(s->offload.verdict, ol::OffloadVerdict::SendOffload);
            QVERIFY(!s->offload.summary.empty());
        }
        // One of them at least showed the verdict before the end.
        QCOMPARE(snaps.back()->offload.verdict, ol::OffloadVerdict::SendOffload);
    }

    void snapshotCopyKeepsToItsBudget()
    {
        const ol::LoadResult r = ol::loadTrace(path(m_file));
        QVERIFY(r.trace);
        std::uint64_t all = 0;
        for (const auto &c : r.trace->connections)
            all += c->directions[0].segments.size() + c->directions[1].segments.size();
        ol::SnapshotBudget budget;
        budget.maxSegments = 50'000;
        budget.maxConnections = 5;
        const auto copy = ol::copyPartialTrace(*r.trace, budget);
        QVERIFY(copy->partial);
        QCOMPARE(copy->connections.size(), std::size_t(5));
        QCOMPARE(copy->partialConnectionsLeftOut, std::uint64_t(3));
        std::uint64_t copied = 0, inFive = 0;
        for (std::size_t i = 0; i < 5; ++i) {
            const ol::Connection &c = *copy->connections[i], &o = *r.trace->connections[i];
            QCOMPARE(c.id, o.id);
            QCOMPARE(c.packets, o.packets); // counters whole
            for (int d = 0; d < 2; ++d) {
                QCOMPARE(c.directions[d].stats.segments, o.directions[d].stats.segments);
                QVERIFY(c.directions[d].segments.size() <= copy->partialSegmentLimit);
                // The first N, as they were.
                for (std::size_t k = 0; k < c.directions[d].segments.size(); k += 997)
                    QCOMPARE(c.directions[d].segments[k].frame, o.directions[d].segments[k].frame);
                copied += c.directions[d].segments.size();
                inFive += o.directions[d].segments.size();
            }
        }
        QVERIFY(copied <= budget.maxSegments);
        QVERIFY(copied > budget.maxSegments * 9 / 10); // the budget is used, not wasted
        QCOMPARE(copy->partialSegmentsLeftOut, inFive - copied);
        QVERIFY(all > inFive);

        // Under the budget: everything, no limit stated.
        const auto whole = ol::copyPartialTrace(*r.trace);
        QCOMPARE(whole->partialSegmentLimit, std::uint64_t(0));
        QCOMPARE(whole->partialSegmentsLeftOut, std::uint64_t(0));
        QCOMPARE(whole->connections.size(), r.trace->connections.size());
    }

    void segmentLimitFillsTheSmallDirectionsFirst_data()
    {
        QTest::addColumn<std::vector<std::size_t>>("sizes");
        QTest::addColumn<std::size_t>("budget");
        QTest::addColumn<std::size_t>("limit");
        // Worked by hand: 1 fits, 9 left for two directions: 4 each (1 + 4 + 4 = 9 <= 10).
        QTest::newRow("one small, two large share what is left")
            << std::vector<std::size_t>{10, 1, 5} << std::size_t(10) << std::size_t(4);
        QTest::newRow("everything fits: no limit")
            << std::vector<std::size_t>{10, 1, 5} << std::size_t(16) << std::size_t(SIZE_MAX);
        QTest::newRow("equal sizes share equally")
            << std::vector<std::size_t>{100, 100, 100, 100} << std::size_t(200) << std::size_t(50);
        QTest::newRow("nothing allowed") << std::vector<std::size_t>{3, 3} << std::size_t(0) << std::size_t(0);
    }
    void segmentLimitFillsTheSmallDirectionsFirst()
    {
        QFETCH(std::vector<std::size_t>, sizes);
        QFETCH(std::size_t, budget);
        QFETCH(std::size_t, limit);
        QCOMPARE(ol::segmentLimitFor(sizes, budget), limit);
    }

    void aCancelledLoadHandsOutNothingAfterItReturns()
    {
        // The loader joins its snapshot thread before it returns, on the cancel path too.
        std::atomic<int> calls{0};
        std::atomic<bool> cancel{true};
        ol::LoadOptions options;
        options.partialFirstSeconds = 0;
        options.partialSeconds = 0;
        options.cancel = &cancel;
        options.partial = [&](std::shared_ptr<ol::Trace>) { ++calls; };
        const ol::LoadResult r = ol::loadTrace(path(m_file), options);
        QVERIFY(r.cancelled);
        const int after = calls.load();
        QTest::qWait(50);
        QCOMPARE(calls.load(), after);
    }
};

QTEST_GUILESS_MAIN(TestPartial)
#include "tst_partial.moc"
