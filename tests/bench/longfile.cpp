// SPDX-License-Identifier: GPL-3.0-or-later
// Long-capture check (not a unit test): writes a synthetic pcap of a given size, then loads it, cancels
// mid-way, and checks that the heap returns to where it was. Driven by tests/bench/longfile.sh.
#include "loader.h"

#include <malloc.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

// --- generation -----------------------------------------------------------------------------------
void put16(std::uint8_t *p, std::uint16_t v)
{
    p[0] = std::uint8_t(v >> 8);
    p[1] = std::uint8_t(v);
}
void put32(std::uint8_t *p, std::uint32_t v)
{
    put16(p, std::uint16_t(v >> 16));
    put16(p + 2, std::uint16_t(v));
}

struct Flow {
    std::uint32_t client = 0, server = 0;
    std::uint16_t sport = 0;
    std::uint32_t seq = 0, ack = 0;
};

class Writer
{
public:
    Writer(std::FILE *f, std::uint32_t snaplen)
        : m_file(f)
        , m_snaplen(snaplen)
        , m_frame(14 + 20 + 20 + 65536, 'x')
    {
        std::uint8_t h[24] = {};
        const std::uint32_t words[] = {0xA1B2C3D4u};
        std::memcpy(h, words, 4); // native byte order, as libpcap writes
        const std::uint16_t version[] = {2, 4};
        std::memcpy(h + 4, version, 4);
        std::memcpy(h + 16, &m_snaplen, 4);
        const std::uint32_t link = 1;
        std::memcpy(h + 20, &link, 4);
        write(h, 24);
    }
    // One Ethernet/IPv4/TCP frame of the given payload, cut to the snapshot length.
    void tcp(std::uint64_t usec, std::uint32_t src, std::uint32_t dst, std::uint16_t sport, std::uint16_t dport,
             std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::uint32_t payload, bool mss = false)
    {
        std::uint8_t *f = reinterpret_cast<std::uint8_t *>(m_frame.data());
        std::memset(f, 0x02, 12);
        put16(f + 12, 0x0800);
        const std::uint32_t tcpLen = mss ? 24 : 20;
        std::uint8_t *ip = f + 14;
        ip[0] = 0x45;
        ip[1] = 0;
        put16(ip + 2, std::uint16_t(20 + tcpLen + payload > 0xffff ? 0 : 20 + tcpLen + payload));
        put16(ip + 4, std::uint16_t(m_ipId++));
        put16(ip + 6, 0x4000);
        ip[8] = 64;
        ip[9] = 6;
        put16(ip + 10, 0);
        put32(ip + 12, src);
        put32(ip + 16, dst);
        std::uint8_t *t = ip + 20;
        put16(t, sport);
        put16(t + 2, dport);
        put32(t + 4, seq);
        put32(t + 8, ack);
        t[12] = std::uint8_t((tcpLen / 4) << 4);
        t[13] = flags;
        put16(t + 14, 65535);
        put32(t + 16, 0);
        if (mss) {
            t[20] = 2;
            t[21] = 4;
            put16(t + 22, 1460);
        }
        const std::uint32_t len = 14 + 20 + tcpLen + payload;
        const std::uint32_t cap = len < m_snaplen ? len : m_snaplen;
        const std::uint32_t rec[4] = {std::uint32_t(usec / 1000000), std::uint32_t(usec % 1000000), cap, len};
        write(rec, 16);
        write(f, cap);
    }
    std::uint64_t written() const { return m_written; }

private:
    void write(const void *p, std::size_t n)
    {
        if (std::fwrite(p, 1, n, m_file) != n) {
            std::perror("longfile: write");
            std::exit(2);
        }
        m_written += n;
    }
    std::FILE *m_file;
    std::uint32_t m_snaplen;
    std::string m_frame;
    std::uint32_t m_ipId = 1;
    std::uint64_t m_written = 0;
};

// Eight downloads interleaved: handshakes, MSS-sized data, every 16th write a 10-segment TSO frame, an ACK
// for every two data frames, and a new connection on each flow every 100,000 data frames.
int generate(const std::string &path, std::uint64_t bytes, std::uint32_t snaplen, bool quiet = false)
{
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (!f) {
        std::perror(path.c_str());
        return 2;
    }
    std::vector<char> buffer(4 << 20);
    std::setvbuf(f, buffer.data(), _IOFBF, buffer.size());
    Writer w(f, snaplen);
    constexpr int Flows = 8;
    Flow flows[Flows];
    std::uint64_t usec = 1700000000ull * 1000000ull;
    std::uint64_t frames = 0;
    std::uint32_t generation = 0;
    auto open = [&](Flow &fl, int i) {
        fl.client = 0xC0000201u;
        fl.server = 0xC6336402u;
        fl.sport = std::uint16_t(40000 + i + Flows * (generation % 1000));
        fl.seq = 1000u + std::uint32_t(i) * 7919u + generation * 104729u;
        fl.ack = 5000u + std::uint32_t(i) * 31u;
        w.tcp(usec++, fl.client, fl.server, fl.sport, 80, fl.ack - 1, 0, 0x02, 0, true);
        w.tcp(usec++, fl.server, fl.client, 80, fl.sport, fl.seq - 1, fl.ack, 0x12, 0, true);
        w.tcp(usec++, fl.client, fl.server, fl.sport, 80, fl.ack, fl.seq, 0x10, 0);
    };
    for (int i = 0; i < Flows; ++i)
        open(flows[i], i);
    while (w.written() < bytes) {
        for (int i = 0; i < Flows && w.written() < bytes; ++i) {
            Flow &fl = flows[i];
            const std::uint32_t payload = frames % 16 == 15 ? 14600 : 1460;
            w.tcp(usec, fl.server, fl.client, 80, fl.sport, fl.seq, fl.ack, 0x18, payload);
            fl.seq += payload;
            usec += 12;
            if (++frames % 2 == 0)
                w.tcp(usec++, fl.client, fl.server, fl.sport, 80, fl.ack, fl.seq, 0x10, 0);
        }
        if (frames % 100000 == 0) {
            ++generation;
            for (int i = 0; i < Flows; ++i)
                open(flows[i], i);
        }
    }
    if (std::fclose(f) != 0) {
        std::perror("longfile: close");
        return 2;
    }
    if (!quiet)
        std::printf("wrote %s: %.2f GB, %llu data frames\n", path.c_str(), double(w.written()) / 1e9,
                    static_cast<unsigned long long>(frames));
    return 0;
}

// --- loading --------------------------------------------------------------------------------------
long statusKb(const char *field)
{
    std::FILE *f = std::fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    const std::size_t n = std::strlen(field);
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, field, n) == 0)
            v = std::atol(line + n + 1);
    std::fclose(f);
    return v;
}

// Bytes the program holds from malloc, mmapped blocks (large chunks, libpcap's buffer) included.
std::size_t heapInUse()
{
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

int load(const std::string &path, double cancelAt)
{
    // A first complete load of a small capture sets up what stays for the life of any process (stdio,
    // locale, libpcap's tables, function-level statics), so that what remains after the measured load is
    // what that load kept.
    {
        const std::string warm = path + ".warmup";
        if (generate(warm, 4'000'000, 262144, true) != 0)
            return 2;
        (void)ol::loadTrace(warm, {});
        std::remove(warm.c_str());
    }
    const std::size_t heapBefore = heapInUse();
    const long rssBefore = statusKb("VmRSS");
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t cancelledAtBytes = 0, packetsAtCancel = 0;
    std::size_t heapAtCancel = 0;
    ol::LoadOptions options;
    options.progress = [&](const ol::LoadProgress &p) {
        if (cancelAt > 0 && double(p.bytesRead) >= cancelAt * double(p.fileSize) && p.bytesRead < p.fileSize) {
            cancelledAtBytes = p.bytesRead;
            packetsAtCancel = p.packets;
            heapAtCancel = heapInUse();
            return false;
        }
        return true;
    };
    std::uint64_t packets = 0, connections = 0, segmentBytes = 0;
    bool cancelled = false;
    std::string error;
    {
        ol::LoadResult r = ol::loadTrace(path, options);
        cancelled = r.cancelled;
        error = r.error;
        if (r.trace) {
            packets = r.trace->counts.packets;
            connections = r.trace->connections.size();
            segmentBytes = r.trace->segmentBytes();
        }
    } // the trace (if any) is released here
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::size_t heapAfter = heapInUse();
    const long peakKb = statusKb("VmHWM");
    const long rssBeforeTrim = statusKb("VmRSS");
    malloc_trim(0);
    const long rssAfter = statusKb("VmRSS");
    if (cancelAt > 0) {
        std::printf("cancelled=%s at %.2f GB (%llu packets) after %.1f s; heap at cancel %.1f MB\n",
                    cancelled ? "yes" : "NO", double(cancelledAtBytes) / 1e9,
                    static_cast<unsigned long long>(packetsAtCancel), secs, double(heapAtCancel) / 1e6);
    } else {
        std::printf("loaded %llu packets, %llu connections, %.1f MB of segment records in %.1f s%s%s\n",
                    static_cast<unsigned long long>(packets), static_cast<unsigned long long>(connections),
                    double(segmentBytes) / 1e6, secs, error.empty() ? "" : "; error: ", error.c_str());
    }
    const long long heapDelta = static_cast<long long>(heapAfter) - static_cast<long long>(heapBefore);
    std::printf("heap in use: before %.2f MB, after %.2f MB (delta %lld bytes); RSS before %ld kB, peak %ld kB, "
                "after %ld kB (%ld kB after malloc_trim)\n",
                double(heapBefore) / 1e6, double(heapAfter) / 1e6, heapDelta, rssBefore, peakKb, rssBeforeTrim,
                rssAfter);
    bool ok = true;
    if (cancelAt > 0 && !cancelled) {
        std::printf("FAIL: the load was not cancelled\n");
        ok = false;
    }
    if (cancelAt <= 0 && (!error.empty() || packets == 0)) {
        std::printf("FAIL: the load did not complete\n");
        ok = false;
    }
    // Everything the load allocated is gone again.
    if (heapDelta > 4096) {
        std::printf("FAIL: %lld bytes of heap were not released\n", heapDelta);
        ok = false;
    }
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 4 && std::strcmp(argv[1], "gen") == 0) {
        const std::uint64_t bytes = std::strtoull(argv[3], nullptr, 10);
        const std::uint32_t snaplen = argc >= 5 ? std::uint32_t(std::strtoul(argv[4], nullptr, 10)) : 262144;
        return generate(argv[2], bytes, snaplen);
    }
    if (argc >= 3 && std::strcmp(argv[1], "load") == 0)
        return load(argv[2], argc >= 4 ? std::atof(argv[3]) : 0.0);
    std::fprintf(stderr,
                 "usage: longfile gen FILE BYTES [SNAPLEN]   write a synthetic capture of about BYTES\n"
                 "       longfile load FILE [CANCEL_AT]      load it (cancel at that fraction, e.g. 0.5)\n");
    return 2;
}
