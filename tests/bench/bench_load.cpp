// SPDX-License-Identifier: GPL-3.0-or-later
// Load benchmark: OffloadLens's full load + analysis + report against a raw libpcap loop, a raw loop with our
// decoder and a per-flow hash, tcptrace and tshark, on the same file in the same run. Each measurement runs
// in its own child process so that its peak RSS is its own. Prints a table; never fails on slowness.
#include "alignment.h"
#include "decoder.h"
#include "inputstream.h"
#include "loader.h"
#include "report.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace {

struct Measurement {
    std::string name;
    double seconds = 0;
    long maxRssKb = 0;
    std::uint64_t packets = 0; // what the measured code counted (0 = not known, e.g. external tools)
    std::uint64_t segments = 0; // TCP segments stored (OffloadLens only)
    bool ok = false;
};

struct ChildReport {
    double seconds;
    std::uint64_t packets;
    std::uint64_t segments;
};

// Runs fn in a forked child; the child's wall time, counts and peak RSS come back.
Measurement inChild(const std::string &name, const std::function<ChildReport()> &fn)
{
    Measurement m;
    m.name = name;
    int fds[2];
    if (pipe(fds) != 0)
        return m;
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const ChildReport r = fn();
        if (write(fds[1], &r, sizeof r) != sizeof r)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    ChildReport r{};
    const bool got = read(fds[0], &r, sizeof r) == sizeof r;
    close(fds[0]);
    int status = 0;
    struct rusage ru { };
    wait4(pid, &status, 0, &ru);
    m.ok = got && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    m.seconds = r.seconds;
    m.packets = r.packets;
    m.segments = r.segments;
    m.maxRssKb = ru.ru_maxrss;
    return m;
}

// In a forked child: becomes `argv`, or exits with 127 when it cannot be started.
[[noreturn]] void execOrExit(const std::vector<std::string> &argv)
{
    std::vector<char *> args;
    for (const auto &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
}

// Runs an external command with output discarded; wall time and peak RSS.
Measurement external(const std::string &name, const std::vector<std::string> &argv)
{
    Measurement m;
    m.name = name;
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        std::FILE *null = std::fopen("/dev/null", "w");
        if (null) {
            dup2(fileno(null), 1);
            dup2(fileno(null), 2);
        }
        execOrExit(argv);
    }
    int status = 0;
    struct rusage ru { };
    wait4(pid, &status, 0, &ru);
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.maxRssKb = ru.ru_maxrss;
    m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return m;
}

double since(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The command that decompresses a compressed capture to standard output, as a user would pipe it into a
// tool that reads only plain pcap: empty for a plain file.
std::vector<std::string> decompressor(const std::string &path)
{
    ol::InputStream in;
    std::string error;
    if (!in.open(path, error))
        return {};
    switch (in.compression()) {
    case ol::Compression::Gzip:
        return {"gzip", "-dc", path};
    case ol::Compression::Zstd:
        return {"zstd", "-dc", path};
    case ol::Compression::Lz4:
        return {"lz4", "-dc", path};
    case ol::Compression::None:
        break;
    }
    return {};
}

// Starts `argv` with its standard output into a pipe; the read end comes back (and the child's pid).
std::FILE *spawnReading(const std::vector<std::string> &argv, pid_t &pid)
{
    int fds[2];
    if (pipe(fds) != 0)
        return nullptr;
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 1);
        close(fds[1]);
        execOrExit(argv);
    }
    close(fds[1]);
    return fdopen(fds[0], "rb");
}

// The libpcap loop, optionally with our decoder and a per-flow hash. With `pipeFrom` set, the loop reads the
// standard output of that command (`zstd -dc F | loop`), and its time runs until the command has exited too.
ChildReport rawLoop(const std::string &path, bool bigBuffer, bool parse, const std::vector<std::string> &pipeFrom = {})
{
    const auto t0 = std::chrono::steady_clock::now();
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = nullptr;
    static char buffer[1 << 20];
    pid_t feeder = -1;
    if (!pipeFrom.empty()) {
        std::FILE *f = spawnReading(pipeFrom, feeder);
        if (!f)
            _exit(1);
        if (bigBuffer)
            std::setvbuf(f, buffer, _IOFBF, sizeof buffer);
        p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
    } else if (bigBuffer) {
        std::FILE *f = std::fopen(path.c_str(), "rb");
        if (!f)
            _exit(1);
        std::setvbuf(f, buffer, _IOFBF, sizeof buffer);
        p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
    } else {
        p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err);
    }
    if (!p)
        _exit(1);
    const int link = pcap_datalink(p);
    struct pcap_pkthdr *h;
    const u_char *d;
    std::uint64_t n = 0, tcp = 0;
    ol::DecodedPacket dp;
    std::unordered_map<std::uint64_t, std::uint64_t> flows;
    while (pcap_next_ex(p, &h, &d) == 1) {
        ++n;
        if (parse) {
            ol::decodeFrame(link, d, h->caplen, h->len, dp, false);
            if (dp.status == ol::DecodeStatus::Tcp) {
                ++tcp;
                std::uint64_t key = std::uint64_t(dp.srcPort) << 16 ^ dp.dstPort;
                for (int i = 0; i < 16; ++i)
                    key = key * 131 + dp.src.bytes[i] + dp.dst.bytes[i];
                flows[key] += dp.payloadLength;
            }
        }
    }
    pcap_close(p);
    if (feeder > 0) {
        int status = 0;
        waitpid(feeder, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            _exit(1);
    }
    return {since(t0), n, tcp};
}

ChildReport offloadLens(const std::string &path)
{
    const auto t0 = std::chrono::steady_clock::now();
    ol::LoadResult r = ol::loadTrace(path);
    if (!r.trace)
        _exit(1);
    const std::string json = ol::reportJson({r.trace.get()});
    std::uint64_t segments = 0;
    for (const auto &c : r.trace->connections)
        segments += c->directions[0].segments.size() + c->directions[1].segments.size();
    if (json.empty())
        _exit(1);
    return {since(t0), r.trace->counts.packets, segments};
}

// The load alone (reading, decoding, reassembly and the offload analysis, as the GUI does before it draws):
// the report's problem diagnosis and JSON are what the row above adds to it.
ChildReport loadOnly(const std::string &path)
{
    const auto t0 = std::chrono::steady_clock::now();
    ol::LoadResult r = ol::loadTrace(path);
    if (!r.trace)
        _exit(1);
    std::uint64_t segments = 0;
    for (const auto &c : r.trace->connections)
        segments += c->directions[0].segments.size() + c->directions[1].segments.size();
    return {since(t0), r.trace->counts.packets, segments};
}

// Loads two captures of the same traffic, then times the alignment alone (the target is for "after both
// are loaded").
ChildReport alignment(const std::string &a, const std::string &b)
{
    ol::LoadResult ra = ol::loadTrace(a), rb = ol::loadTrace(b);
    if (!ra.trace || !rb.trace)
        _exit(1);
    const auto t0 = std::chrono::steady_clock::now();
    const ol::AlignmentResult r = ol::alignTraces(*ra.trace, *rb.trace);
    return {since(t0), ra.trace->counts.packets + rb.trace->counts.packets, r.pairs.size()};
}

bool onPath(const char *tool)
{
    const std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> files;
    std::string alignA, alignB;
    int repeats = 3;
    bool runTshark = true, runTcptrace = true, fullTshark = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--repeats" && i + 1 < argc)
            repeats = std::max(1, std::atoi(argv[++i]));
        else if (a == "--no-tshark")
            runTshark = false;
        else if (a == "--no-tcptrace")
            runTcptrace = false;
        else if (a == "--align" && i + 2 < argc) {
            alignA = argv[++i];
            alignB = argv[++i];
        } else if (a == "--tshark-analysis")
            fullTshark = true; // also the slow `tshark -z conv,tcp` with sequence analysis on
        else if (a == "--help" || a == "-h") {
            std::puts("usage: bench_load [--repeats N] [--no-tshark] [--no-tcptrace] [--tshark-analysis]\n"
                      "                  [--align A B] FILE...");
            return 0;
        } else
            files.push_back(a);
    }
    if (files.empty() && alignA.empty()) {
        std::fputs("bench_load: no capture file given (see --help)\n", stderr);
        return 2;
    }
    if (!alignA.empty()) {
        std::vector<double> times;
        Measurement m;
        for (int i = 0; i < repeats; ++i) {
            m = inChild("align", [&] { return alignment(alignA, alignB); });
            times.push_back(m.seconds);
        }
        std::printf("\nalignment of %s with %s (%s packets in all, %s pairs): %.3f s after both were loaded "
                    "(median of %d)%s\n",
                    alignA.c_str(), alignB.c_str(), ol::withThousands(m.packets).c_str(),
                    ol::withThousands(m.segments).c_str(), median(times), repeats, m.ok ? "" : "  (failed)");
    }
    for (const std::string &file : files) {
        std::printf("\n%s\n", file.c_str());
        // A compressed capture: the loops read what the decompressor pipes to them (libpcap reads no
        // compressed pcap), which is the baseline of #17's target for compressed input.
        const std::vector<std::string> unpack = decompressor(file);
        const std::string via = unpack.empty() ? "" : unpack[0] + " -dc | ";
        std::vector<std::pair<std::string, std::function<Measurement()>>> runs = {
            {via + "libpcap pcap_next_ex loop",
             [&] { return inChild("raw", [&] { return rawLoop(file, false, false, unpack); }); }},
            {via + "libpcap loop, 1 MiB stdio buffer",
             [&] { return inChild("raw1m", [&] { return rawLoop(file, true, false, unpack); }); }},
            {via + "libpcap loop + decode + flow hash",
             [&] { return inChild("parse", [&] { return rawLoop(file, true, true, unpack); }); }},
            {"OffloadLens load + analysis + JSON", [&] { return inChild("ol", [&] { return offloadLens(file); }); }},
            {"OffloadLens load only (no report)", [&] { return inChild("load", [&] { return loadOnly(file); }); }},
        };
        if (!unpack.empty()) {
            std::vector<std::string> alone = unpack;
            runs.push_back({unpack[0] + " -dc > /dev/null", [&, alone] { return external("unpack", alone); }});
        }
        if (runTcptrace && onPath("tcptrace") && unpack.empty()) // tcptrace reads plain captures only
            runs.push_back({"tcptrace -n -l", [&] { return external("tcptrace", {"tcptrace", "-n", "-l", file}); }});
        if (runTshark && onPath("tshark")) {
            runs.push_back({"tshark -z conv,tcp, seq analysis off", [&] {
                                return external("tshark",
                                                {"tshark", "-r", file, "-q", "-o", "tcp.analyze_sequence_numbers:FALSE",
                                                 "-o", "tcp.desegment_tcp_streams:FALSE", "-z", "conv,tcp"});
                            }});
            if (fullTshark)
                runs.push_back({"tshark -z conv,tcp", [&] {
                                    return external("tshark",
                                                    {"tshark", "-r", file, "-q", "-o",
                                                     "tcp.desegment_tcp_streams:FALSE", "-z", "conv,tcp"});
                                }});
        }
        // In rounds, every command once per round, so that a change in the machine's load (it is shared)
        // falls on all of them alike instead of on whichever ran at the time; tshark is slow: first round only.
        std::vector<Measurement> results(runs.size());
        std::vector<std::vector<double>> times(runs.size());
        for (int round = 0; round < repeats; ++round)
            for (std::size_t k = 0; k < runs.size(); ++k) {
                if (round > 0 && runs[k].first.rfind("tshark", 0) == 0)
                    continue;
                results[k] = runs[k].second();
                times[k].push_back(results[k].seconds);
            }
        for (std::size_t k = 0; k < runs.size(); ++k) {
            results[k].name = runs[k].first;
            results[k].seconds = median(times[k]);
        }
        const Measurement &raw = results[0];
        const Measurement &parse = results[2];
        const Measurement &ol = results[3];
        const std::uint64_t packets = raw.packets ? raw.packets : ol.packets;
        std::printf("%s packets, %s TCP segments stored; median of %d rounds (tshark once)\n",
                    ol::withThousands(packets).c_str(), ol::withThousands(ol.segments).c_str(), repeats);
        std::printf("%-40s %10s %10s %11s %12s %12s\n", "command", "wall s", "ns/packet", "peak RSS MB", "OL / this",
                    "B/segment");
        for (const Measurement &m : results) {
            const double nsPerPacket = packets ? m.seconds * 1e9 / double(packets) : 0;
            char ratio[32] = "-";
            if (&m != &ol && m.seconds > 0)
                std::snprintf(ratio, sizeof ratio, "%.2fx", ol.seconds / m.seconds);
            char perSeg[32] = "-";
            if (&m == &ol && ol.segments)
                std::snprintf(perSeg, sizeof perSeg, "%.1f",
                              double(std::max(0L, m.maxRssKb - parse.maxRssKb)) * 1024.0 / double(ol.segments));
            std::printf("%-40s %10.3f %10.1f %11.1f %12s %12s%s\n", m.name.c_str(), m.seconds, nsPerPacket,
                        double(m.maxRssKb) / 1024.0, ratio, perSeg, m.ok ? "" : "  (failed)");
        }
        std::printf("B/segment = (OffloadLens peak RSS - the decode loop's peak RSS) / segments stored.\n");
        // Issue #17's targets, as goals printed beside the numbers (never a pass/fail of the benchmark).
        const Measurement *tcptrace = nullptr;
        for (const Measurement &m : results)
            if (m.name.rfind("tcptrace", 0) == 0 && m.ok)
                tcptrace = &m;
        auto verdict = [](bool met) { return met ? "met" : "NOT met"; };
        if (parse.seconds > 0) {
            const double r = ol.seconds / parse.seconds;
            if (unpack.empty())
                std::printf("target: report <= 1.15x the decode loop: %.2fx (%s)\n", r, verdict(r <= 1.15));
            else
                std::printf("target: compressed report <= 1.2x `%s -dc F | decode loop`: %.2fx (%s)\n",
                            unpack[0].c_str(), r, verdict(r <= 1.2));
        }
        if (tcptrace && tcptrace->seconds > 0) {
            const double r = ol.seconds / tcptrace->seconds;
            std::printf("target: report <= 0.45x tcptrace: %.2fx (%s)\n", r, verdict(r <= 0.45));
        }
        if (ol.segments) {
            const double perSegment = (double(ol.maxRssKb) * 1024.0 - 64.0 * 1024 * 1024) / double(ol.segments);
            std::printf("target: <= 36 B/segment over a 64 MiB base: %.1f B/segment (%s)\n", perSegment,
                        verdict(perSegment <= 36));
        }
    }
    return 0;
}
