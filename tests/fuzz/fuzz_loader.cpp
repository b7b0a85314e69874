// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target over the whole headless path: bytes -> capture file -> loadTrace -> JSON and text report,
// and the same bytes through the pcapng block reader alone (how pipes and compressed pcapng are read).
#include "inputstream.h"
#include "loader.h"
#include "pcapngreader.h"
#include "report.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

// loadTrace() takes a path, so each input goes to one file in memory-backed /dev/shm (per process, so that
// parallel fuzzer jobs do not share it), removed again at exit.
const std::string &scratchPath()
{
    static const std::string path = [] {
        const char *dir = std::getenv("OFFLOADLENS_FUZZ_TMP");
        std::string p = std::string(dir ? dir : (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"))
            + "/offloadlens-fuzz-" + std::to_string(getpid()) + ".cap";
        std::atexit([] { std::remove(scratchPath().c_str()); });
        return p;
    }();
    return path;
}

} // namespace

// UBSan is built recoverable (see fuzz.cmake); stop at the first finding unless UBSAN_OPTIONS says otherwise.
extern "C" const char *__ubsan_default_options()
{
    return "halt_on_error=1:print_stacktrace=1";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string &path = scratchPath();
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (!f)
        std::abort(); // a broken harness must not look like a quiet pass
    if (size && std::fwrite(data, 1, size, f) != size)
        std::abort();
    std::fclose(f);

    {
        // The loader reaches the block reader on its own only where libpcap stops; here it reads every input.
        ol::InputStream in;
        std::string error;
        if (!in.open(path, error))
            std::abort();
        ol::PcapngReader blocks(in);
        if (blocks.start()) {
            ol::PcapngPacket p;
            volatile std::uint8_t last = 0; // touching each packet's last byte lets ASan check its bounds
            while (blocks.next(p) == ol::PcapngReader::Result::Packet) {
                if (p.interface >= blocks.interfaces().size())
                    std::abort();
                if (p.caplen)
                    last = p.data[p.caplen - 1];
            }
            (void)last;
        }
    }

    ol::LoadOptions options; // checksums verified and offload analysed: the most code on the path
    const ol::LoadResult r = ol::loadTrace(path, options);
    if (!r.trace) {
        if (r.error.empty() && !r.cancelled)
            std::abort(); // an unreadable file must always say why
        return 0;
    }
    const std::vector<const ol::Trace *> traces{r.trace.get()};
    const std::string json = ol::reportJson(traces);
    const std::string text = ol::reportText(traces);
    if (json.empty() || text.empty())
        std::abort();
    return 0;
}
