// SPDX-License-Identifier: GPL-3.0-or-later
// The job runner every off-GUI-thread task goes through: a newer job drops the older one's result, a cancelled
// job delivers nothing, progress of a stale job is dropped, and destroying the runner joins a running job.
#include "jobrunner.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace ol;

class TestJobRunner : public QObject
{
    Q_OBJECT
private slots:
    void aNewerJobDropsTheOlderResult();
    void aCancelledJobDeliversNothing();
    void progressOfASupersededJobIsDropped();
    void destroyingTheRunnerJoinsTheRunningJob();
};

namespace {
/// Work that runs until its job is cancelled (or a long time passes), then returns `value`.
auto untilCancelled(int value, std::shared_ptr<std::atomic<bool>> started = {})
{
    return [value, started](const JobControl &control) {
        if (started)
            started->store(true);
        for (int i = 0; i < 20000 && !control.isCancelled(); ++i)
            QThread::msleep(1);
        return value;
    };
}
} // namespace

void TestJobRunner::aNewerJobDropsTheOlderResult()
{
    JobRunner runner;
    std::vector<int> delivered;
    const auto started = std::make_shared<std::atomic<bool>>(false);
    const quint64 first = runner.run(untilCancelled(1, started), [&](int v) { delivered.push_back(v); });
    QTRY_VERIFY(started->load()); // the first job is running, not merely queued
    const quint64 second = runner.run([](const JobControl &) { return 2; }, [&](int v) { delivered.push_back(v); });
    QVERIFY(second != first);
    QCOMPARE(runner.currentJob(), second);
    QTRY_VERIFY(!runner.isBusy());
    runner.waitForIdle();
    QCoreApplication::processEvents(); // anything the first job might still have posted
    QCOMPARE(delivered, std::vector<int>{2});
}

void TestJobRunner::aCancelledJobDeliversNothing()
{
    JobRunner runner;
    int calls = 0;
    runner.run(untilCancelled(1), [&](int) { ++calls; });
    QVERIFY(runner.isBusy());
    runner.cancel();
    QVERIFY(!runner.isBusy());
    runner.waitForIdle();
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

void TestJobRunner::progressOfASupersededJobIsDropped()
{
    JobRunner runner;
    std::atomic<bool> posted{false}, release{false};
    int progressCalls = 0, results = 0;
    runner.run(
        [&](const JobControl &control) {
            control.post([&] { ++progressCalls; });
            posted.store(true);
            while (!release.load())
                QThread::msleep(1);
            return 0;
        },
        [&](int) { ++results; });
    while (!posted.load())
        QThread::msleep(1);
    // The progress is queued but not yet run; a newer job makes it stale before the event loop gets to it.
    runner.run([](const JobControl &) { return 1; }, [&](int) { ++results; });
    release.store(true);
    QTRY_COMPARE(results, 1);
    QCOMPARE(progressCalls, 0);
}

void TestJobRunner::destroyingTheRunnerJoinsTheRunningJob()
{
    auto finished = std::make_shared<std::atomic<bool>>(false);
    auto started = std::make_shared<std::atomic<bool>>(false);
    int calls = 0;
    auto *runner = new JobRunner;
    runner->run(
        [finished, started](const JobControl &control) {
            started->store(true);
            while (!control.isCancelled())
                QThread::msleep(1);
            finished->store(true);
            return 0;
        },
        [&](int) { ++calls; });
    QTRY_VERIFY(started->load());
    delete runner; // cancels, then waits for the work to return
    QVERIFY(finished->load());
    QCOMPARE(finished.use_count(), 1L); // the job let go of what it held
    QCoreApplication::processEvents();
    QCOMPARE(calls, 0);
}

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
