// SPDX-License-Identifier: GPL-3.0-or-later
// Independent items on two cores: how the core's after-loading passes (offload analysis, problem diagnosis)
// use the second core.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <thread>

namespace ol {

/// Below this many segments in all, a second thread costs more than it saves (starting one is some 50 µs;
/// 2,000 segments take a pass over them about as long). Small enough that the larger test captures take
/// the two-core path, under the sanitizers too.
constexpr std::uint64_t ParallelMinSegments = 2000;

/// Calls work(i) for every i in [0, n), on the calling thread and, when the items add up to at least
/// minWork (starting a thread is some 50 µs: below that it costs more than it saves), on a second thread
/// beside it. Both take the next item from one counter, so a few large items (the busiest connections)
/// do not leave one thread idle. work(i) must touch only what belongs to item i; the results do not depend
/// on the threads. An exception thrown by work on either thread is rethrown here once both have stopped.
/// Scoped to this call and joined on every path, like the loader's reading thread (not a GUI job).
template <typename Work>
void forEachOnTwoCores(std::size_t n, std::uint64_t totalWork, std::uint64_t minWork, Work work)
{
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    auto run = [&] {
        for (std::size_t i; !stop.load(std::memory_order_relaxed) && (i = next.fetch_add(1)) < n;)
            work(i);
    };
    if (n < 2 || totalWork < minWork) {
        run();
        return;
    }
    std::exception_ptr failed;
    std::thread second([&] {
        try {
            run();
        } catch (...) {
            failed = std::current_exception();
            stop = true;
        }
    });
    try {
        run();
    } catch (...) {
        stop = true;
        second.join();
        throw;
    }
    second.join();
    if (failed)
        std::rethrow_exception(failed);
}

} // namespace ol
