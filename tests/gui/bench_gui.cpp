// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (not a test) of the GUI path, offscreen; prints numbers, asserts nothing. Per capture file: (a) the
// headless load + analysis time (ol::loadTrace alone), (b) the time from TraceDocument::open to the first frame-size
// chart drawn with the selected connection's points, b/a, (c) the longest event-loop stall meanwhile, and (d) zoom
// re-render times on the connection with the most segments, for the frame-size chart and each stream graph (RTT,
// throughput, bytes in flight, window) shown below it. Then a synthetic 10M-segment connection's zoom test.
// Results while loading (issue #17): (e) time to the first verdict, the first snapshot of the file shown while it
// still loads (Trace::partial), and (f) what the snapshots cost the headless load (loadTrace with and without
// LoadOptions::partial, alternated); the stall (c) covers the whole load up to the final trace's chart.
// Run: bench_gui [--repeat R] [--synthetic N] [--no-synthetic] [capture…]   (QT_QPA_PLATFORM defaults to offscreen)
// Headless and GUI loads alternate R times (default 3) and medians are printed: shared machines are noisy.
#include "chartseries.h"
#include "chartspanel.h"
#include "evidencepanel.h"
#include "filelistpanel.h"
#include "framesizechart.h"
#include "loader.h"
#include "loadprogresswidget.h"
#include "problemspanel.h"
#include "sequencechart.h"
#include "streamchart.h"
#include "tracedocument.h"
#include "workspacepage.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMainWindow>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <mutex>
#include <vector>

using namespace ol;
using namespace Qt::StringLiterals;

namespace {

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

qint64 threadCpuNs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

/// Event-loop responsiveness: a 10 ms timer in the GUI thread; a gap between two ticks far above 10 ms is a
/// stall (the loop was busy elsewhere). Remembers the longest gap, when it ended, and every gap over 50 ms.
class StallMonitor : public QObject
{
public:
    explicit StallMonitor(const QElapsedTimer &clock)
        : m_clock(clock)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const qint64 cpu = threadCpuNs();
            const qint64 gap = now - m_last, busy = cpu - m_lastCpu;
            m_last = now;
            m_lastCpu = cpu;
            if (gap > m_longest) {
                m_longest = gap;
                m_longestBusy = busy;
                m_longestEnd = now;
            }
            if (gap > 50'000'000)
                m_long.push_back({now - gap, gap, busy});
        });
    }
    void start()
    {
        m_last = m_clock.nsecsElapsed();
        m_lastCpu = threadCpuNs();
        m_longest = 0;
        m_long.clear();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double longestMs() const { return ms(m_longest); }
    /// CPU time the GUI thread itself used during the longest gap: far below the gap means it was starved of a
    /// core (other threads or processes), not busy with our work.
    double longestBusyMs() const { return ms(m_longestBusy); }
    double longestEndMs() const { return ms(m_longestEnd); }
    struct Gap {
        qint64 start, length, busy;
    };
    const std::vector<Gap> &longGaps() const { return m_long; }

private:
    const QElapsedTimer &m_clock;
    QTimer m_timer;
    qint64 m_last = 0;
    qint64 m_lastCpu = 0;
    qint64 m_longest = 0;
    qint64 m_longestBusy = 0;
    qint64 m_longestEnd = 0;
    std::vector<Gap> m_long;
};

/// Runs the event loop until pred() holds or the timeout passes; false on timeout. Sleeps between events (a
/// busy loop here would take a core from the worker threads being measured).
bool spinUntil(const std::function<bool()> &pred, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    QTimer wake; // the loop wakes up at least this often to check the timeout
    wake.start(5);
    while (!pred()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

std::size_t segmentsOf(const Trace &trace, int connection)
{
    const Connection &c = *trace.connections[std::size_t(connection)];
    return c.directions[0].segments.size() + c.directions[1].segments.size();
}

int drawnPoints(const FrameSizeChart &chart)
{
    int n = 0;
    for (int d = 0; d < 2; ++d)
        for (int k = 0; k < ChartSeries::KindCount; ++k)
            n += chart.pointCount(d, ChartSeries::Kind(k));
    return n;
}

/// Zoom steps around 37 % of the connection, five slightly panned re-renders per level; returns the mean and
/// prints each level. `full` is the chart's whole time range in seconds.
double zoomSteps(ChartBase &chart, double full, double *worstFullView = nullptr)
{
    QElapsedTimer timer;
    const double zooms[] = {1, 2, 10, 100, 1'000, 10'000, 100'000, 1};
    double total = 0, worstFull = 0;
    int steps = 0;
    for (double z : zooms) {
        const double width = full / z;
        const double center = full * 0.37;
        qint64 sum = 0, decimation = 0, worst = 0;
        int points = 0;
        for (int rep = 0; rep < 5; ++rep) {
            const double lo = z == 1 ? -0.02 * full + rep * width * 0.001 : center - width / 2 + rep * width * 0.01;
            timer.start();
            chart.setTimeRange(lo, lo + width);
            points = chart.redecimate();
            decimation += timer.nsecsElapsed();
            chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
            const qint64 one = timer.nsecsElapsed();
            sum += one;
            worst = std::max(worst, one);
        }
        const double mean = ms(sum) / 5;
        if (z == 1)
            worstFull = std::max(worstFull, ms(worst));
        total += mean;
        ++steps;
        std::printf("  zoom x%-7g visible %10.4f s: %5d points, %7.2f ms per re-decimate + replot (worst %.2f, "
                    "decimation %.2f ms)\n",
                    z, width, points, mean, ms(worst), ms(decimation) / 5);
    }
    if (worstFullView)
        *worstFullView = worstFull;
    return total / steps;
}

/// As in the app with linked time axes: a zoom on the frame-size chart moves the time-sequence chart too, and
/// both re-decimate and replot. Returns the worst full-view time of five.
double linkedZoom(ChartsPanel &panel, const QCPRange &all)
{
    FrameSizeChart *frames = panel.frameSizeChart();
    SequenceChart *sequence = panel.sequenceChart();
    QElapsedTimer timer;
    qint64 worst = 0, sum = 0;
    for (int rep = 0; rep < 5; ++rep) {
        const double shift = (rep + 1) * all.size() * 0.001;
        timer.start();
        frames->plot()->xAxis->setRange(all.lower + shift, all.upper + shift); // the sequence chart follows
        frames->redecimate();
        sequence->redecimate();
        frames->plot()->replot(QCustomPlot::rpImmediateRefresh);
        sequence->plot()->replot(QCustomPlot::rpImmediateRefresh);
        const qint64 one = timer.nsecsElapsed();
        worst = std::max(worst, one);
        sum += one;
    }
    std::printf("  linked full view, both charts re-decimated and replotted: mean %.2f ms, worst %.2f ms\n",
                ms(sum) / 5, ms(worst));
    return ms(worst);
}

/// The main window's widgets around one document, as the app arranges them (workspace, file list, evidence and
/// problems docks, load progress in the status bar), so that their reactions to a load are part of the measurement.
struct Window {
    QMainWindow window;
    TraceDocument *document = new TraceDocument(&window);
    WorkspacePage *workspace = new WorkspacePage(document, &window);
    Window()
    {
        window.setCentralWidget(workspace);
        auto *files = new QDockWidget(u"Files"_s, &window);
        files->setWidget(new FileListPanel(document, files));
        auto *evidence = new QDockWidget(u"Evidence"_s, &window);
        evidence->setWidget(new EvidencePanel(document, evidence));
        // The Problems panel diagnoses the current trace on the GUI thread, as in the app (tabbed behind the
        // evidence there; it refreshes whether shown or not).
        auto *problems = new QDockWidget(u"Problems"_s, &window);
        problems->setWidget(new ProblemsPanel(document, problems));
        window.addDockWidget(Qt::RightDockWidgetArea, files);
        window.addDockWidget(Qt::RightDockWidgetArea, evidence);
        window.tabifyDockWidget(evidence, problems);
        evidence->raise();
        window.statusBar()->addPermanentWidget(new LoadProgressWidget(document, &window));
        window.resize(1600, 1000);
        window.show();
    }
};

struct CaptureRow {
    QString name;
    double headless = 0, firstChart = 0, stall = 0, zoomMean = 0, zoomFull = 0, linkedFull = 0;
    double firstVerdict = -1, finalChart = 0, headlessPartial = 0;
    int snapshotsShown = 0;
    std::size_t zoomSegments = 0;
    double streamFull[StreamChart::KindCount] = {}; // worst full-view re-render of each stream graph
};

/// Each stream graph below the frame sizes, as the user picks it: how long until it is drawn (its series built on
/// the worker), the zoom steps on it, and the worst full-view re-render.
void streamZooms(ChartsPanel &panel, const QCPRange &all, CaptureRow &row)
{
    const QString before = panel.lowerChartId();
    for (int k = 0; k < StreamChart::KindCount; ++k) {
        const auto kind = StreamChart::Kind(k);
        QElapsedTimer timer;
        timer.start();
        panel.setLowerChart(StreamChart::kindId(kind));
        StreamChart *chart = panel.streamChart();
        spinUntil([&] { return chart->series() && chart->kind() == kind && !panel.seriesBuilder()->isBusy(); },
                  600'000);
        std::printf("  %s chart drawn %.0f ms after choosing it (its series built on the worker the first time)\n",
                    qPrintable(StreamChart::kindTitle(kind)), ms(timer.nsecsElapsed()));
        chart->plot()->replot(QCustomPlot::rpImmediateRefresh);
        double full = 0;
        const double mean = zoomSteps(*chart, all.size() / 1.04, &full);
        row.streamFull[k] = full;
        std::printf("  %s zoom mean %.2f ms, full view worst %.2f ms\n", qPrintable(StreamChart::kindTitle(kind)), mean,
                    full);
    }
    panel.setLowerChart(before);
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// (a) One headless load; also prints what the largest connection's chart series cost when built on one thread.
double headlessLoad(const std::string &file, bool seriesToo)
{
    QElapsedTimer timer;
    timer.start();
    LoadResult r = loadTrace(file);
    const double total = ms(timer.nsecsElapsed());
    if (!r.trace) {
        std::printf("  load failed: %s\n", r.error.c_str());
        return -1;
    }
    std::printf("  headless ol::loadTrace: %.0f ms, %zu connections\n", total, r.trace->connections.size());
    if (seriesToo) {
        const std::shared_ptr<const Trace> trace = r.trace;
        int largest = 0;
        for (int i = 0; i < int(trace->connections.size()); ++i)
            if (segmentsOf(*trace, i) > segmentsOf(*trace, largest))
                largest = i;
        timer.start();
        ChartSeries series;
        series.setConnection(trace, largest);
        series.buildFrameSizes(ChartSeries::YMode::Payload, false);
        const qint64 frames = timer.nsecsElapsed();
        series.buildSequence();
        std::printf("  series of the largest connection (%zu segments) on one thread: frame sizes %.0f ms, "
                    "sequence %.0f ms\n",
                    segmentsOf(*trace, largest), ms(frames), ms(timer.nsecsElapsed() - frames));
    }
    return total;
}

/// (f) One headless load with snapshots on, as the GUI asks for them; prints when each came and what it held.
double headlessPartialLoad(const std::string &file, bool print)
{
    QElapsedTimer timer;
    timer.start();
    std::mutex mutex;
    std::vector<std::pair<double, std::shared_ptr<Trace>>> snaps;
    LoadOptions options;
    options.partial = [&](std::shared_ptr<Trace> t) {
        std::lock_guard lock(mutex);
        snaps.emplace_back(ms(timer.nsecsElapsed()), std::move(t));
    };
    LoadResult r = loadTrace(file, options);
    const double total = ms(timer.nsecsElapsed());
    if (!r.trace)
        return -1;
    std::printf("  headless ol::loadTrace with snapshots: %.0f ms, %zu snapshots\n", total, snaps.size());
    if (print)
        for (const auto &[at, t] : snaps) {
            std::size_t held = 0;
            for (const auto &c : t->connections)
                held += c->directions[0].segments.size() + c->directions[1].segments.size();
            std::printf(
                "    at %.0f ms: %.1f %% read, %llu packets, %zu connections, %zu segments held (limit %llu per "
                "direction), verdict '%s'\n",
                at, 100 * t->fractionRead, static_cast<unsigned long long>(t->counts.packets), t->connections.size(),
                held, static_cast<unsigned long long>(t->partialSegmentLimit), verdictName(t->offload.verdict));
        }
    return total;
}

/// (b) + (c) Opens the file in a fresh window and runs until the first frame-size chart of the selected
/// connection is drawn (and one second more, for late stalls). With `zoom`, (d) on the largest connection.
void guiLoad(const QString &path, CaptureRow &row, std::vector<double> &firstCharts, std::vector<double> &stalls,
             bool zoom)
{
    Window w;
    FrameSizeChart *chart = w.workspace->charts()->frameSizeChart();
    spinUntil([] { return false; }, 300); // let the window settle before the clock starts
    QElapsedTimer clock;
    clock.start();
    StallMonitor monitor(clock);
    struct Mark {
        const char *what;
        qint64 at, guiCpu;
    };
    std::vector<Mark> marks;
    qint64 cpuAtOpen = 0;
    auto mark = [&](const char *what) { marks.push_back({what, clock.nsecsElapsed(), threadCpuNs() - cpuAtOpen}); };
    qint64 firstChart = -1, firstVerdict = -1, finalChart = -1;
    bool finalIn = false;
    int snapshots = 0;
    // The views connected to the document first: when this runs, the banner, evidence and connection table
    // show the snapshot's verdict (painted on the next pass of the loop).
    QObject::connect(w.document, &TraceDocument::currentTraceChanged, chart, [&] {
        const auto t = w.document->currentTrace();
        if (!t)
            return;
        if (t->partial) {
            if (snapshots++ == 0) {
                firstVerdict = clock.nsecsElapsed();
                mark("first snapshot shown (verdict so far)");
            }
        } else if (!finalIn) {
            finalIn = true;
            if (firstVerdict < 0) // a file that loads fast shows its verdict with the final trace
                firstVerdict = clock.nsecsElapsed();
            mark("final trace shown (load done)");
        }
    });
    QObject::connect(w.document, &TraceDocument::currentConnectionChanged, chart, [&](int c) {
        if (c >= 0)
            mark("connection selected");
    });
    QObject::connect(w.workspace->charts()->seriesBuilder(), &ChartSeriesBuilder::seriesReady, chart,
                     [&] { mark("chart series ready"); });
    QObject::connect(chart->plot(), &QCustomPlot::afterReplot, chart, [&] {
        if (chart->series() && chart->series()->connection() == w.document->currentConnection()
            && w.document->currentConnection() && drawnPoints(*chart) > 0) {
            if (firstChart < 0) {
                firstChart = clock.nsecsElapsed();
                mark("first frame-size chart drawn");
            }
            if (finalIn && finalChart < 0) {
                finalChart = clock.nsecsElapsed();
                mark("final trace's chart drawn");
            }
        }
    });
    monitor.start();
    clock.restart();
    cpuAtOpen = threadCpuNs();
    w.document->open({path});
    if (!spinUntil([&] { return finalChart >= 0; }, 600'000)) {
        std::printf("  no chart of the final trace within 10 minutes\n");
        return;
    }
    spinUntil([] { return false; }, 1000); // late stalls (the sequence chart, layouts) count too
    monitor.stop();
    firstCharts.push_back(ms(firstChart));
    stalls.push_back(monitor.longestMs());
    row.firstVerdict = firstVerdict >= 0 ? ms(firstVerdict) : -1;
    row.finalChart = ms(finalChart);
    row.snapshotsShown = snapshots;
    std::printf("  %d snapshots shown before the final trace\n", snapshots);
    std::printf("  GUI:");
    for (const Mark &m : marks)
        std::printf(" %s %.0f ms (GUI thread CPU %.0f ms);", m.what, ms(m.at), ms(m.guiCpu));
    std::printf(" longest event-loop gap %.1f ms (ending at %.0f ms, GUI thread busy %.1f ms of it)\n",
                monitor.longestMs(), monitor.longestEndMs(), monitor.longestBusyMs());
    for (const auto &g : monitor.longGaps())
        std::printf("    gap of %.1f ms from %.1f ms, GUI thread busy %.1f ms of it\n", ms(g.length), ms(g.start),
                    ms(g.busy));
    if (!zoom)
        return;

    // (d) Zoom on the connection with the most segments.
    const auto trace = w.document->currentTrace();
    int largest = 0;
    for (int i = 0; i < int(trace->connections.size()); ++i)
        if (segmentsOf(*trace, i) > segmentsOf(*trace, largest))
            largest = i;
    row.zoomSegments = segmentsOf(*trace, largest);
    QElapsedTimer timer;
    timer.start();
    w.document->setCurrentConnection(largest);
    spinUntil([&] { return chart->series() && chart->series()->connectionIndex() == largest; }, 600'000);
    std::printf("  largest connection #%d (%zu segments) shown %.0f ms after selecting it\n", largest, row.zoomSegments,
                ms(timer.nsecsElapsed()));
    chart->plot()->replot(QCustomPlot::rpImmediateRefresh);
    const QCPRange all = chart->timeRange();
    row.zoomMean = zoomSteps(*chart, all.size() / 1.04, &row.zoomFull);
    std::printf("  zoom mean %.2f ms, full view worst %.2f ms (plot width %d px)\n", row.zoomMean, row.zoomFull,
                chart->plot()->axisRect()->width());
    row.linkedFull = linkedZoom(*w.workspace->charts(), all);
    streamZooms(*w.workspace->charts(), all, row);
}

CaptureRow benchCapture(const QString &path, int repeat)
{
    CaptureRow row;
    row.name = QFileInfo(path).fileName();
    std::printf("\n== %s\n", qPrintable(path));
    const std::string file = QFile::encodeName(path).toStdString();
    if (headlessLoad(file, true) < 0) // also warms the page cache
        return row;
    // Headless and GUI loads alternate, so that both see the same machine load; medians are reported.
    std::vector<double> headless, headlessPartial, firstCharts, stalls, firstVerdicts, finalCharts;
    for (int rep = 0; rep < repeat; ++rep) {
        headless.push_back(headlessLoad(file, false));
        headlessPartial.push_back(headlessPartialLoad(file, rep == 0));
        guiLoad(path, row, firstCharts, stalls, rep == repeat - 1);
        firstVerdicts.push_back(row.firstVerdict);
        finalCharts.push_back(row.finalChart);
    }
    row.headless = median(headless);
    row.headlessPartial = median(headlessPartial);
    row.firstVerdict = median(firstVerdicts);
    row.finalChart = median(finalCharts);
    row.firstChart = median(firstCharts);
    row.stall = *std::max_element(stalls.begin(), stalls.end());
    std::printf("  median of %d: headless %.0f ms, open -> first frame-size chart %.0f ms = %.2f x headless; "
                "longest event-loop gap of all runs %.1f ms\n",
                repeat, row.headless, row.firstChart, row.firstChart / row.headless, row.stall);
    std::printf("  median of %d: open -> first verdict (snapshot shown) %.0f ms, open -> final trace's chart %.0f ms; "
                "headless with snapshots %.0f ms = %+.1f %% on the load\n",
                repeat, row.firstVerdict, row.finalChart, row.headlessPartial,
                100 * (row.headlessPartial / row.headless - 1));
    return row;
}

void benchSynthetic(std::size_t n)
{
    std::printf("\n== synthetic connection of %zu segments\n", n);
    QElapsedTimer timer;
    timer.start();
    auto trace = std::make_shared<Trace>();
    auto c = std::make_unique<Connection>();
    c->firstTime = 0;
    c->lastTime = TimeNs(n) * 10'000; // 10 µs apart: 100 s for 10M
    FlowDirection &fd = c->directions[0];
    fd.offload = {};
    fd.offload.mss = 1460;
    fd.offload.effectiveMss = 1448;
    fd.offload.mssKnown = true;
    fd.stats.dataSegments = n;
    std::int64_t seq = 0;
    for (std::size_t i = 0; i < n; ++i) {
        Segment s;
        s.time = TimeNs(i) * 10'000;
        s.frame = std::uint32_t(i + 1);
        const bool offload = i % 50 == 7;
        s.payload = offload ? 1448 * (2 + std::uint32_t(i % 44)) : (i % 13 == 0 ? 700 : 1448);
        s.relSeq = seq;
        seq += s.payload;
        s.ipLength = s.payload + 52;
        s.setSegmentClass(offload                 ? SegmentClass::SendOffload
                              : s.payload == 1448 ? SegmentClass::FullSize
                                                  : SegmentClass::Normal);
        if (i % 10'000 == 3)
            s.bits |= Segment::Retransmission;
        fd.segments.push_back(s);
    }
    c->directions[1].stats.dataSegments = 0;
    trace->connections.push_back(std::move(c));
    std::printf("  synthetic trace: %zu segments in %lld ms\n", n, qint64(timer.restart()));

    auto frames = std::make_shared<ChartSeries>();
    frames->setConnection(trace, 0);
    frames->buildFrameSizes(ChartSeries::YMode::Payload, false);
    std::printf("  build frame-size series alone: %lld ms\n", qint64(timer.restart()));
    frames->buildSequence();
    std::printf("  build sequence series alone: %lld ms\n", qint64(timer.restart()));
    frames.reset();
    timer.restart();
    auto series = ChartSeries::create(trace, 0, ChartSeries::YMode::Payload, false);
    std::printf("  ChartSeries::create (both, on the worker in the app): %lld ms\n", qint64(timer.restart()));

    FrameSizeChart chart;
    chart.resize(1400, 600);
    chart.show();
    chart.setSeries(series);
    chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
    std::printf("  first show (decimate + replot): %lld ms, plot width %d px\n", qint64(timer.restart()),
                chart.plot()->axisRect()->width());
    double full = 0;
    const double mean = zoomSteps(chart, series->duration(), &full);
    std::printf("  zoom mean %.2f ms per step, full view worst %.2f ms\n", mean, full);

    // With the time-sequence chart below it, as in the app: both re-render on a zoom of the linked time axis.
    SequenceChart sequence;
    sequence.resize(1400, 600);
    sequence.show();
    sequence.setSeries(series);
    QElapsedTimer both;
    qint64 worst = 0;
    for (int rep = 0; rep < 5; ++rep) {
        const double lo = -0.02 * series->duration() + rep * 0.001 * series->duration();
        both.start();
        chart.setTimeRange(lo, lo + 1.04 * series->duration());
        sequence.setTimeRange(lo, lo + 1.04 * series->duration());
        chart.redecimate();
        sequence.redecimate();
        chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
        sequence.plot()->replot(QCustomPlot::rpImmediateRefresh);
        worst = std::max(worst, both.nsecsElapsed());
    }
    std::printf("  full view, frame-size and time-sequence charts together: worst %.2f ms\n", ms(worst));

    // The stream graphs of the same connection (no ACKs in this synthetic trace: the RTT chart stays empty and the
    // window chart has no points; throughput and bytes in flight have one point per segment).
    timer.restart();
    series->buildStreams(false, 0);
    std::printf("  build stream graph series (RTT, throughput, in flight, window): %lld ms\n", qint64(timer.restart()));
    for (int k = 0; k < StreamChart::KindCount; ++k) {
        StreamChart stream{StreamChart::Kind(k)};
        stream.resize(1400, 600);
        stream.show();
        stream.setSeries(series);
        stream.plot()->replot(QCustomPlot::rpImmediateRefresh);
        std::printf("  %s chart:\n", qPrintable(StreamChart::kindTitle(StreamChart::Kind(k))));
        double streamFull = 0;
        const double streamMean = zoomSteps(stream, series->duration(), &streamFull);
        std::printf("  %s zoom mean %.2f ms per step, full view worst %.2f ms\n",
                    qPrintable(StreamChart::kindTitle(StreamChart::Kind(k))), streamMean, streamFull);
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::size_t synthetic = 10'000'000;
    int repeat = 3;
    QStringList captures;
    const QStringList args = app.arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == u"--synthetic"_s && i + 1 < args.size())
            synthetic = args[++i].toULongLong();
        else if (args[i] == u"--repeat"_s && i + 1 < args.size())
            repeat = std::max(1, args[++i].toInt());
        else if (args[i] == u"--no-synthetic"_s)
            synthetic = 0;
        else
            captures << args[i];
    }
    std::vector<CaptureRow> rows;
    for (const QString &path : captures)
        rows.push_back(benchCapture(path, repeat));
    if (synthetic)
        benchSynthetic(synthetic);
    if (!rows.empty()) {
        std::printf(
            "\n| capture | (a) headless load | with snapshots | (e) open → first verdict (< 1 s) | open → final "
            "chart | (c) longest stall (< 100 ms) |\n| --- | --- | --- | --- | --- | --- |\n");
        for (const CaptureRow &r : rows)
            std::printf("| %s | %.0f ms | %.0f ms (%+.1f %%) | %.0f ms | %.0f ms | %.0f ms |\n", qPrintable(r.name),
                        r.headless, r.headlessPartial,
                        r.headless > 0 ? 100 * (r.headlessPartial / r.headless - 1) : 0.0, r.firstVerdict, r.finalChart,
                        r.stall);
        std::printf("\n| capture | (a) headless load | (b) open → first chart | b/a (≤ 1.5) | (c) longest stall "
                    "(< 100 ms) | (d) zoom mean / worst full view (< 50 ms) | full view, both charts linked | "
                    "full view worst: RTT / throughput / in flight / window | segments zoomed |\n");
        std::printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (const CaptureRow &r : rows)
            std::printf("| %s | %.0f ms | %.0f ms | %.2f | %.0f ms | %.1f / %.1f ms | %.1f ms | %.1f / %.1f / %.1f / "
                        "%.1f ms | %zu |\n",
                        qPrintable(r.name), r.headless, r.firstChart, r.headless > 0 ? r.firstChart / r.headless : 0.0,
                        r.stall, r.zoomMean, r.zoomFull, r.linkedFull, r.streamFull[0], r.streamFull[1],
                        r.streamFull[2], r.streamFull[3], r.zoomSegments);
    }
    return 0;
}
