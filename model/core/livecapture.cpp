// SPDX-License-Identifier: GPL-3.0-or-later
// Live capture: libpcap (immediate mode, non-blocking, polled every 100 ms so that a stop request or the
// time limit ends it promptly) -> pcapng blocks -> a pipe read by loadTrace on a thread of its own, and
// the same blocks into the --write file. Nothing is kept in memory but the loader's compact records.
#include "livecapture.h"

#include "pcapngwriter.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>

namespace ol {
namespace {

using Clock = std::chrono::steady_clock;

struct PcapCloser {
    void operator()(pcap_t *p) const { pcap_close(p); }
};

struct Sink {
    PcapngWriter *writer = nullptr;
    bool nano = false;
    std::uint64_t packets = 0, bytes = 0;
};

void onPacket(u_char *user, const pcap_pkthdr *h, const u_char *data)
{
    auto *s = reinterpret_cast<Sink *>(user);
    const std::int64_t sub = s->nano ? std::int64_t(h->ts.tv_usec) : std::int64_t(h->ts.tv_usec) * 1000;
    s->writer->packet(std::int64_t(h->ts.tv_sec) * 1000000000 + sub, data, h->caplen, h->len);
    ++s->packets;
    s->bytes += h->caplen;
}

std::string activateError(pcap_t *p, int rc, const std::string &iface, bool &permission)
{
    switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
        permission = true;
        return "no permission to capture on " + iface
            + ": capturing needs CAP_NET_RAW and CAP_NET_ADMIN. Run as root, or grant them to the program once: "
              "sudo setcap cap_net_raw,cap_net_admin=eip $(command -v offloadlens)";
    case PCAP_ERROR_NO_SUCH_DEVICE:
        return "no such interface (offloadlens capture --list shows the interfaces)";
    case PCAP_ERROR_IFACE_NOT_UP:
        return "the interface is down (ip link set " + iface + " up)";
    default:
        break;
    }
    const char *detail = pcap_geterr(p);
    return std::string(detail && *detail ? detail : pcap_statustostr(rc));
}

/// Analyses the first `size` bytes of the in-memory copy: a feeder thread copies exactly those bytes into a
/// pipe (whole blocks: the writer flushes whole blocks), which the loader reads like a file.
std::shared_ptr<Trace> snapshotOf(int memfd, std::uint64_t size, const LoadOptions &options, const std::string &name)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return nullptr;
    std::thread feeder([memfd, size, out = fds[1]] {
        std::vector<char> buf(1 << 16);
        std::uint64_t done = 0;
        while (done < size) {
            const ssize_t n = ::pread(memfd, buf.data(), std::min<std::uint64_t>(buf.size(), size - done), off_t(done));
            if (n <= 0)
                break;
            std::size_t put = 0;
            while (put < std::size_t(n)) {
                const ssize_t w = ::write(out, buf.data() + put, std::size_t(n) - put);
                if (w <= 0)
                    break;
                put += std::size_t(w);
            }
            if (put < std::size_t(n))
                break; // the loader stopped reading
            done += std::uint64_t(n);
        }
        ::close(out);
    });
    LoadResult r = loadTrace("/dev/fd/" + std::to_string(fds[0]), options);
    ::close(fds[0]);
    feeder.join();
    if (r.trace)
        r.trace->path = name;
    return r.trace;
}

} // namespace

LiveCaptureResult captureLive(const LiveCaptureOptions &options,
                              const std::function<void(const LiveProgress &)> &progress, const std::atomic<bool> *stop)
{
    LiveCaptureResult res;
    const std::string &iface = options.interface;
    auto fail = [&res, &iface](const std::string &why) {
        res.load.error = iface + ": " + why;
        return res;
    };
    char err[PCAP_ERRBUF_SIZE] = {};
    std::unique_ptr<pcap_t, PcapCloser> handle(pcap_create(iface.c_str(), err));
    if (!handle)
        return fail(err);
    pcap_t *p = handle.get();
    pcap_set_snaplen(p, options.snaplen);
    pcap_set_promisc(p, 0); // this host's traffic is what the question is about
    pcap_set_immediate_mode(p, 1);
    pcap_set_buffer_size(p, options.bufferBytes);
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO); // microseconds where the platform has no more
    if (const int rc = pcap_activate(p); rc < 0)
        return fail(activateError(p, rc, iface, res.permissionDenied));
    if (!options.filter.empty()) {
        bpf_program prog{};
        if (pcap_compile(p, &prog, options.filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) < 0)
            return fail("filter '" + options.filter + "': " + pcap_geterr(p));
        const int rc = pcap_setfilter(p, &prog);
        pcap_freecode(&prog);
        if (rc < 0)
            return fail("filter '" + options.filter + "': " + pcap_geterr(p));
    }
    if (pcap_setnonblock(p, 1, err) < 0)
        return fail(err);
    const int selectable = pcap_get_selectable_fd(p);

    InterfaceInfo info = readInterfaceInfo(iface);
    const int dlt = pcap_datalink(p);
    const char *dltName = pcap_datalink_val_to_name(dlt);
    info.linkType = dltName ? dltName : std::to_string(dlt);
    info.filter = options.filter;

    int fileFd = -1;
    if (!options.writePath.empty()) {
        fileFd = ::open(options.writePath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fileFd < 0)
            return fail("cannot write " + options.writePath + ": " + std::strerror(errno));
    }
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        if (fileFd >= 0)
            ::close(fileFd);
        return fail(std::string("cannot make a pipe: ") + std::strerror(errno));
    }
    ::fcntl(pipeFds[1], F_SETPIPE_SZ, 1 << 20); // room for bursts while the loader catches up

    // The loader reads the pipe like any capture file. When it stops (the end, or an error), it closes the
    // read end so that a blocked writer gets EPIPE instead of waiting for ever.
    LoadResult loaded;
    LoadOptions loadOptions;
    loadOptions.localAddresses = info.addresses;
    std::thread reader([&loaded, &loadOptions, fd = pipeFds[0]] {
        loaded = loadTrace("/dev/fd/" + std::to_string(fd), loadOptions);
        ::close(fd);
    });

    // Writes to a pipe whose reader has gone raise SIGPIPE: block it on this thread, so write says EPIPE.
    sigset_t pipeSignal, previous;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous);

    std::vector<int> outputs{pipeFds[1]};
    if (fileFd >= 0)
        outputs.push_back(fileFd);
    // Results while capturing: a copy of the blocks in memory, analysed about once a second on a thread of
    // its own so the capture loop never waits for it.
    int memFd = -1;
    std::atomic<std::uint64_t> flushedBytes{0};
    std::atomic<bool> captureDone{false};
    std::thread snapshots;
    if (options.snapshot) {
        memFd = ::memfd_create("offloadlens-live", MFD_CLOEXEC);
        if (memFd >= 0)
            outputs.push_back(memFd);
    }
    PcapngWriter writer(outputs);
    std::string comment = "offloadlens capture -i " + iface;
    if (!options.filter.empty())
        comment += " '" + options.filter + "'";
    writer.begin(dlt, std::uint32_t(pcap_snapshot(p)), iface, comment);
    Sink sink{&writer, pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO};
    if (memFd >= 0) {
        const std::string name = options.writePath.empty() ? iface + " (live capture)" : options.writePath;
        snapshots = std::thread([&, name] {
            std::uint64_t last = 0;
            const auto period = std::chrono::milliseconds(std::max(200, int(options.snapshotSeconds * 1000)));
            auto next = Clock::now() + period;
            while (!captureDone.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                if (Clock::now() < next)
                    continue;
                next = Clock::now() + period;
                const std::uint64_t size = flushedBytes.load();
                if (size == last)
                    continue;
                last = size;
                if (std::shared_ptr<Trace> t = snapshotOf(memFd, size, loadOptions, name))
                    options.snapshot(std::move(t));
            }
        });
    }

    const auto start = Clock::now();
    auto lastProgress = start, lastFlush = start;
    std::string captureError;
    for (;;) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        if ((stop && stop->load()) || (options.seconds > 0 && elapsed >= options.seconds)
            || (options.packets && sink.packets >= options.packets))
            break;
        pollfd pfd{selectable, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, 100);
        if (ready < 0 && errno != EINTR) {
            captureError = std::string("poll: ") + std::strerror(errno);
            break;
        }
        const int want = options.packets ? int(std::min<std::uint64_t>(options.packets - sink.packets, 1 << 20)) : -1;
        if (pcap_dispatch(p, want, onPacket, reinterpret_cast<u_char *>(&sink)) == PCAP_ERROR) {
            captureError = pcap_geterr(p); // the interface went away, say: keep what was captured
            break;
        }
        if (!writer.error().empty())
            break;
        const auto now = Clock::now();
        if (now - lastFlush >= std::chrono::milliseconds(500)) {
            if (writer.flush())
                flushedBytes.store(writer.written()); // whole blocks, in the memory copy as in the pipe
            lastFlush = now;
        }
        if (progress && now - lastProgress >= std::chrono::milliseconds(200)) {
            progress({sink.packets, sink.bytes, std::chrono::duration<double>(now - start).count()});
            lastProgress = now;
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    writer.flush();
    pcap_stat stats{};
    if (pcap_stats(p, &stats) == 0) {
        info.droppedByKernel = stats.ps_drop;
        info.droppedByInterface = stats.ps_ifdrop;
    }
    handle.reset();
    captureDone.store(true);
    if (snapshots.joinable())
        snapshots.join();
    if (memFd >= 0)
        ::close(memFd);
    ::close(pipeFds[1]);
    reader.join();
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    bool fileOk = true;
    if (fileFd >= 0)
        fileOk = ::close(fileFd) == 0;
    if (progress)
        progress({sink.packets, sink.bytes, seconds});

    if (!loaded.trace) {
        res.load.error = iface + ": the captured packets could not be analysed: " + loaded.error;
        return res;
    }
    Trace &t = *loaded.trace;
    t.path = options.writePath.empty() ? iface + " (live capture)" : options.writePath;
    info.captured = sink.packets;
    info.seconds = std::round(seconds * 1000) / 1000;
    if (!captureError.empty())
        t.warnings.push_back({0, "capture-error", "The capture on " + iface + " ended early: " + captureError + "."});
    if (!writer.error().empty() || !fileOk)
        t.warnings.push_back({0, "write-error",
                              "Writing the capture failed ("
                                  + (writer.error().empty() ? std::strerror(errno) : writer.error())
                                  + "): the file may be incomplete."});
    if (info.droppedByKernel || info.droppedByInterface)
        t.warnings.push_back({0, "capture-drops",
                              withThousands(info.droppedByKernel) + " packets dropped by the kernel and "
                                  + withThousands(info.droppedByInterface)
                                  + " by the interface: the capture missed them (use a filter, or a larger snaplen "
                                    "only when payload is needed)."});
    if (sink.packets == 0) {
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.1f s", seconds);
        t.warnings.push_back(
            {0, "no-packets",
             "No packet" + (options.filter.empty() ? std::string() : " matched the filter '" + options.filter + "'")
                 + " on " + iface + " in " + secs + "."});
    }
    if (t.linkTypes.empty())
        t.linkTypes.push_back(info.linkType); // no packet: the interface block alone does not name it
    info.comparison = compareWithTrace(info, t, seconds);
    t.interface = std::move(info);
    res.load = std::move(loaded);
    return res;
}

} // namespace ol
