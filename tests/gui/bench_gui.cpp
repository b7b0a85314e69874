// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (not a test): a synthetic 10M-segment connection in the frame-size chart, offscreen. Prints the time
// to build the series and, per zoom step, to re-decimate and replot. Run: QT_QPA_PLATFORM=offscreen bench_gui
#include "chartseries.h"
#include "framesizechart.h"

#include <QApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace ol;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const std::size_t n = argc > 1 ? std::size_t(std::atoll(argv[1])) : 10'000'000;

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
        s.setSegmentClass(offload ? SegmentClass::SendOffload
                                  : s.payload == 1448 ? SegmentClass::FullSize : SegmentClass::Normal);
        if (i % 10'000 == 3)
            s.bits |= Segment::Retransmission;
        fd.segments.push_back(s);
    }
    c->directions[1].stats.dataSegments = 0;
    trace->connections.push_back(std::move(c));
    std::printf("synthetic trace: %zu segments in %lld ms\n", n, qint64(timer.restart()));

    auto series = std::make_shared<ChartSeries>();
    series->setConnection(trace, 0);
    series->buildFrameSizes(ChartSeries::YMode::Payload, false);
    std::printf("build frame-size series: %lld ms\n", qint64(timer.restart()));

    FrameSizeChart chart;
    chart.resize(1400, 600);
    chart.show();
    chart.setSeries(series);
    chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
    std::printf("first show (decimate + replot): %lld ms, plot width %d px\n", qint64(timer.restart()),
                chart.plot()->axisRect()->width());

    const double full = series->duration();
    const double zooms[] = {1, 2, 10, 100, 1'000, 10'000, 100'000, 1};
    double total = 0;
    int steps = 0;
    for (double z : zooms) {
        const double width = full / z;
        const double center = full * 0.37;
        // Several steps per zoom level to average out noise, panning a little each time.
        qint64 sum = 0, decimation = 0;
        int points = 0;
        for (int rep = 0; rep < 5; ++rep) {
            const double lo = center - width / 2 + rep * width * 0.01;
            timer.restart();
            chart.setTimeRange(lo, lo + width);
            points = chart.redecimate();
            decimation += timer.nsecsElapsed();
            chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
            sum += timer.nsecsElapsed();
        }
        const double ms = double(sum) / 5 / 1e6;
        total += ms;
        ++steps;
        std::printf("zoom x%-7g visible %10.4f s: %5d points, %7.2f ms per re-decimate + replot "
                    "(decimation %.2f ms)\n",
                    z, width, points, ms, double(decimation) / 5 / 1e6);
    }
    std::printf("mean: %.2f ms per zoom step\n", total / steps);
    return 0;
}
