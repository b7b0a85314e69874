// SPDX-License-Identifier: GPL-3.0-or-later
// Reader comparison (not a test): packets per second reading pcapng files with Wireshark's libwiretap, with
// our pcapng block reader alone, and with CaptureReader (libpcap in lockstep with the block reader, which
// takes over where libpcap refuses). It decided which reader reads the multi-interface files libpcap refuses.
// Usage: bench_reader [--repeats N] FILE...
#include "capturereader.h"
#include "inputstream.h"
#include "pcapngreader.h"

#include <wiretap/wtap.h>
#include <wsutil/buffer.h>
#include <wsutil/wslog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

namespace {

struct Count {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0; // captured bytes touched, so that no reader can skip the data
};

Count readWiretap(const char *path)
{
    Count c;
    int err = 0;
    gchar *errInfo = nullptr;
    wtap *w = wtap_open_offline(path, WTAP_TYPE_AUTO, &err, &errInfo, FALSE);
    if (!w) {
        std::fprintf(stderr, "libwiretap cannot open %s: %s\n", path, errInfo ? errInfo : "?");
        g_free(errInfo);
        return c;
    }
    wtap_rec rec;
    Buffer buf;
    wtap_rec_init(&rec);
    ws_buffer_init(&buf, 1514);
    gint64 offset = 0;
    while (wtap_read(w, &rec, &buf, &err, &errInfo, &offset)) {
        if (rec.rec_type == REC_TYPE_PACKET) {
            ++c.packets;
            c.bytes += rec.rec_header.packet_header.caplen + ws_buffer_start_ptr(&buf)[0];
        }
        wtap_rec_reset(&rec);
    }
    g_free(errInfo);
    wtap_rec_cleanup(&rec);
    ws_buffer_free(&buf);
    wtap_close(w);
    return c;
}

Count readBlocks(const char *path)
{
    Count c;
    ol::InputStream in;
    std::string error;
    if (!in.open(path, error))
        return c;
    ol::PcapngReader reader(in);
    if (!reader.start())
        return c;
    ol::PcapngPacket p;
    while (reader.next(p) == ol::PcapngReader::Result::Packet) {
        ++c.packets;
        c.bytes += p.caplen + (p.caplen ? p.data[0] : 0);
    }
    return c;
}

Count readCaptureReader(const char *path)
{
    Count c;
    ol::CaptureReader reader;
    std::string error;
    if (!reader.open(path, error))
        return c;
    ol::RawPacket p;
    while (reader.next(p)) {
        ++c.packets;
        c.bytes += p.caplen + (p.caplen ? p.data[0] : 0);
    }
    return c;
}

void measure(const char *name, const char *path, int repeats, const std::function<Count(const char *)> &read)
{
    Count c;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < repeats; ++i)
        c = read(path);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double pps = s > 0 ? double(c.packets) * repeats / s : 0;
    std::printf("  %-34s %10llu packets  %8.3f s for %d runs  %12.0f packets/s\n", name,
                static_cast<unsigned long long>(c.packets), s, repeats, pps);
}

} // namespace

int main(int argc, char **argv)
{
    int repeats = 1;
    int first = 1;
    if (argc > 2 && std::strcmp(argv[1], "--repeats") == 0) {
        repeats = std::max(1, std::atoi(argv[2]));
        first = 3;
    }
    if (first >= argc) {
        std::puts("usage: bench_reader [--repeats N] FILE...");
        return 2;
    }
    // Without this libwiretap logs every block at debug level to stderr, which would be all it measures.
    ws_log_init("bench_reader", nullptr);
    ws_log_set_level(LOG_LEVEL_WARNING);
    wtap_init(FALSE);
    for (int i = first; i < argc; ++i) {
        std::printf("%s\n", argv[i]);
        measure("libwiretap (Wireshark 4.0)", argv[i], repeats, readWiretap);
        measure("pcapng block reader alone", argv[i], repeats, readBlocks);
        measure("CaptureReader (what the loader uses)", argv[i], repeats, readCaptureReader);
    }
    wtap_cleanup();
    return 0;
}
