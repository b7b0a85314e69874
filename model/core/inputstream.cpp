// SPDX-License-Identifier: GPL-3.0-or-later
// File or stdin reading with streaming gzip (zlib), zstd and lz4-frame decompression.
#include "inputstream.h"

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace ol {
namespace {

constexpr std::size_t RawBufferSize = 1 << 20; // the same 1 MiB that halved libpcap's read time on plain files

} // namespace

const char *compressionName(Compression c)
{
    switch (c) {
    case Compression::Gzip:
        return "gzip";
    case Compression::Zstd:
        return "zstd";
    case Compression::Lz4:
        return "lz4";
    case Compression::None:
        break;
    }
    return "";
}

/// One decompressor: consumes from [in, inEnd) and produces into [out, outEnd), advancing both.
struct InputStream::Codec {
    virtual ~Codec() = default;
    enum class Status { Ok, FrameEnd, Error };
    virtual Status decode(const std::uint8_t *&in, const std::uint8_t *inEnd, std::uint8_t *&out, std::uint8_t *outEnd,
                          std::string &error) = 0;
    /// True when the input may end here: between frames or members, not inside one.
    bool atBoundary = true;
};

namespace {

class GzipCodec : public InputStream::Codec
{
public:
    GzipCodec()
    {
        std::memset(&m_z, 0, sizeof m_z);
        m_ok = inflateInit2(&m_z, 15 + 16) == Z_OK; // 16: gzip wrapper only
    }
    ~GzipCodec() override { inflateEnd(&m_z); }
    Status decode(const std::uint8_t *&in, const std::uint8_t *inEnd, std::uint8_t *&out, std::uint8_t *outEnd,
                  std::string &error) override
    {
        if (!m_ok) {
            error = "zlib could not start";
            return Status::Error;
        }
        if (m_memberDone) { // concatenated members (gzip -c a b > c) read as one stream, as gzip -d does
            inflateReset(&m_z);
            m_memberDone = false;
        }
        m_z.next_in = const_cast<Bytef *>(in);
        m_z.avail_in = static_cast<uInt>(std::min<std::size_t>(std::size_t(inEnd - in), 1u << 30));
        m_z.next_out = out;
        m_z.avail_out = static_cast<uInt>(std::min<std::size_t>(std::size_t(outEnd - out), 1u << 30));
        const int rc = inflate(&m_z, Z_NO_FLUSH);
        in = m_z.next_in;
        out = m_z.next_out;
        atBoundary = false;
        if (rc == Z_STREAM_END) {
            m_memberDone = true;
            atBoundary = true;
            return Status::FrameEnd;
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR)
            return Status::Ok;
        error = std::string("the gzip data is damaged (") + (m_z.msg ? m_z.msg : "zlib error") + ")";
        return Status::Error;
    }

private:
    z_stream m_z;
    bool m_ok = false;
    bool m_memberDone = false;
};

class ZstdCodec : public InputStream::Codec
{
public:
    ZstdCodec()
        : m_ds(ZSTD_createDStream())
    { }
    ~ZstdCodec() override { ZSTD_freeDStream(m_ds); }
    Status decode(const std::uint8_t *&in, const std::uint8_t *inEnd, std::uint8_t *&out, std::uint8_t *outEnd,
                  std::string &error) override
    {
        if (!m_ds) {
            error = "zstd could not start";
            return Status::Error;
        }
        ZSTD_inBuffer ib{in, std::size_t(inEnd - in), 0};
        ZSTD_outBuffer ob{out, std::size_t(outEnd - out), 0};
        const std::size_t rc = ZSTD_decompressStream(m_ds, &ob, &ib);
        in += ib.pos;
        out += ob.pos;
        if (ZSTD_isError(rc)) {
            error = std::string("the zstd data is damaged (") + ZSTD_getErrorName(rc) + ")";
            return Status::Error;
        }
        atBoundary = rc == 0;
        return rc == 0 ? Status::FrameEnd : Status::Ok;
    }

private:
    ZSTD_DStream *m_ds;
};

class Lz4Codec : public InputStream::Codec
{
public:
    Lz4Codec() { m_ok = !LZ4F_isError(LZ4F_createDecompressionContext(&m_ctx, LZ4F_VERSION)); }
    ~Lz4Codec() override { LZ4F_freeDecompressionContext(m_ctx); }
    Status decode(const std::uint8_t *&in, const std::uint8_t *inEnd, std::uint8_t *&out, std::uint8_t *outEnd,
                  std::string &error) override
    {
        if (!m_ok) {
            error = "lz4 could not start";
            return Status::Error;
        }
        std::size_t outSize = std::size_t(outEnd - out);
        std::size_t inSize = std::size_t(inEnd - in);
        const std::size_t rc = LZ4F_decompress(m_ctx, out, &outSize, in, &inSize, nullptr);
        in += inSize;
        out += outSize;
        if (LZ4F_isError(rc)) {
            error = std::string("the lz4 data is damaged (") + LZ4F_getErrorName(rc) + ")";
            return Status::Error;
        }
        atBoundary = rc == 0; // 0: the frame is complete, the context is ready for the next one
        return rc == 0 ? Status::FrameEnd : Status::Ok;
    }

private:
    LZ4F_dctx *m_ctx = nullptr;
    bool m_ok = false;
};

} // namespace

/// The decompressing stage: a thread fills blocks of decompressed bytes that read() takes in order, so that
/// decompression runs on the second core beside the reading, decoding and reassembly (as `zstd -dc F | tool`
/// would) instead of before them on the reading thread. A few blocks circulate: memory stays fixed.
class InputStream::Unpacker
{
public:
    explicit Unpacker(InputStream &stream)
        : m_stream(stream)
    {
        for (Block &b : m_blocks)
            b.bytes.resize(BlockSize);
        m_thread = std::thread([this] { run(); });
    }
    ~Unpacker()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
    Unpacker(const Unpacker &) = delete;
    Unpacker &operator=(const Unpacker &) = delete;

    /// The reader's side: up to n bytes, fewer only once the last block is taken.
    std::size_t read(std::uint8_t *out, std::size_t n)
    {
        std::size_t done = 0;
        while (done < n && !m_drained) {
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [this] { return m_filled > 0; });
            }
            Block &b = m_blocks[m_readAt];
            const std::size_t take = std::min(n - done, b.size - m_readPos);
            std::memcpy(out + done, b.bytes.data() + m_readPos, take);
            m_readPos += take;
            done += take;
            if (m_readPos < b.size)
                continue;
            if (b.last) {
                m_drained = true; // the thread has ended: the stream's error is the reader's to see now
                break;
            }
            m_readPos = 0;
            m_readAt = (m_readAt + 1) % Blocks;
            {
                std::lock_guard lock(m_mutex);
                --m_filled;
            }
            m_changed.notify_all();
        }
        return done;
    }
    /// True once read() has handed out the last block.
    bool drained() const { return m_drained; }
    /// Compressed bytes the thread has consumed (a block or so ahead of the reader): the progress measure.
    std::uint64_t consumed() const { return m_consumed.load(std::memory_order_relaxed); }

private:
    static constexpr int Blocks = 4;
    static constexpr std::size_t BlockSize = 1 << 20;
    struct Block {
        std::vector<std::uint8_t> bytes;
        std::size_t size = 0;
        bool last = false; // the data ended (or failed) in this block
    };

    void run()
    {
        for (int writeAt = 0;; writeAt = (writeAt + 1) % Blocks) {
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [this] { return m_stop || m_filled < Blocks; });
                if (m_stop)
                    return;
            }
            Block &b = m_blocks[writeAt];
            // Fewer bytes than asked only at the end of the data or at an error (readDecompressed).
            b.size = m_stream.readDecompressed(b.bytes.data(), BlockSize);
            b.last = b.size < BlockSize;
            m_consumed.store(m_stream.rawConsumed(), std::memory_order_relaxed);
            {
                std::lock_guard lock(m_mutex);
                ++m_filled;
            }
            m_changed.notify_all();
            if (b.last)
                return;
        }
    }

    InputStream &m_stream;
    Block m_blocks[Blocks];
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_filled = 0; // blocks ready for the reader, from m_readAt on (the one being read included)
    bool m_stop = false;
    // The reader's own.
    int m_readAt = 0;
    std::size_t m_readPos = 0;
    bool m_drained = false;
    std::atomic<std::uint64_t> m_consumed{0};
    std::thread m_thread;
};

InputStream::InputStream() = default;

InputStream::~InputStream()
{
    m_unpacker.reset(); // joins the thread before the descriptor it reads is closed
    if (m_fd >= 0 && !m_stdin)
        ::close(m_fd);
}

bool InputStream::open(const std::string &path, std::string &error)
{
    m_stdin = path == "-";
    if (m_stdin) {
        m_fd = STDIN_FILENO;
    } else {
        m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0) {
            error = std::strerror(errno);
            return false;
        }
    }
    struct stat st { };
    if (::fstat(m_fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            error = "is a directory, not a capture file";
            return false;
        }
        if (S_ISREG(st.st_mode)) {
            m_fileSize = static_cast<std::uint64_t>(st.st_size);
            // stdin redirected from a file may already be part-read: only a fresh descriptor is seekable.
            m_seekable = !m_stdin;
        }
    }
    m_raw.resize(RawBufferSize);
    if (!fillRaw() && !m_error.empty()) {
        error = m_error;
        return false;
    }
    const std::uint8_t *p = m_raw.data() + m_rawPos;
    const std::size_t have = m_rawEnd - m_rawPos;
    auto starts = [&](std::initializer_list<std::uint8_t> magic) {
        return have >= magic.size() && std::equal(magic.begin(), magic.end(), p);
    };
    if (starts({0x1f, 0x8b})) {
        m_compression = Compression::Gzip;
        m_codec = std::make_unique<GzipCodec>();
    } else if (starts({0x28, 0xb5, 0x2f, 0xfd})) {
        m_compression = Compression::Zstd;
        m_codec = std::make_unique<ZstdCodec>();
    } else if (starts({0x04, 0x22, 0x4d, 0x18})) {
        m_compression = Compression::Lz4;
        m_codec = std::make_unique<Lz4Codec>();
    }
    if (m_codec)
        m_seekable = false;
    return true;
}

bool InputStream::fillRaw()
{
    if (m_rawPos < m_rawEnd)
        return true;
    m_rawPos = m_rawEnd = 0;
    if (m_eof)
        return false;
    for (;;) {
        const ssize_t got = ::read(m_fd, m_raw.data(), m_raw.size());
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            fail(std::string("read error: ") + std::strerror(errno), false);
            return false;
        }
        if (got == 0) {
            m_eof = true;
            return false;
        }
        m_rawEnd = static_cast<std::size_t>(got);
        m_rawRead += static_cast<std::uint64_t>(got);
        return true;
    }
}

void InputStream::fail(const std::string &why, bool truncated)
{
    if (m_error.empty()) {
        m_error = why;
        m_truncated = truncated;
    }
    m_eof = true;
    m_rawPos = m_rawEnd = 0;
}

std::uint64_t InputStream::consumed() const
{
    return m_unpacker ? m_unpacker->consumed() : rawConsumed();
}

const std::string &InputStream::error() const
{
    static const std::string none;
    // While the thread decompresses, the error is its own; it is final once the reader has taken the last block.
    return m_unpacker && !m_unpacker->drained() ? none : m_error;
}

std::size_t InputStream::readPlain(std::uint8_t *out, std::size_t n)
{
    std::size_t done = 0;
    while (done < n) {
        if (m_rawPos == m_rawEnd) {
            // A large read goes straight into the caller's memory: no copy through the buffer.
            if (n - done >= m_raw.size() && !m_eof) {
                const ssize_t got = ::read(m_fd, out + done, n - done);
                if (got < 0 && errno == EINTR)
                    continue;
                if (got < 0) {
                    fail(std::string("read error: ") + std::strerror(errno), false);
                    break;
                }
                if (got == 0) {
                    m_eof = true;
                    break;
                }
                m_rawRead += static_cast<std::uint64_t>(got);
                done += static_cast<std::size_t>(got);
                continue;
            }
            if (!fillRaw())
                break;
        }
        const std::size_t take = std::min(n - done, m_rawEnd - m_rawPos);
        std::memcpy(out + done, m_raw.data() + m_rawPos, take);
        m_rawPos += take;
        done += take;
    }
    return done;
}

std::size_t InputStream::readDecompressed(std::uint8_t *out, std::size_t n)
{
    std::uint8_t *o = out;
    std::uint8_t *const end = out + n;
    while (o < end) {
        if (m_rawPos == m_rawEnd && !fillRaw()) {
            if (m_error.empty() && !m_codec->atBoundary)
                fail(std::string("the ") + compressionName(m_compression)
                         + " data ends in the middle of a block (the file is truncated)",
                     true);
            break;
        }
        const std::uint8_t *in = m_raw.data() + m_rawPos;
        std::string why;
        const Codec::Status s = m_codec->decode(in, m_raw.data() + m_rawEnd, o, end, why);
        m_rawPos = static_cast<std::size_t>(in - m_raw.data());
        if (s == Codec::Status::Error) {
            // rawConsumed, not consumed(): this runs on the decompressing thread, whose position it is.
            fail(why + " at compressed byte " + std::to_string(rawConsumed()), false);
            break;
        }
    }
    return static_cast<std::size_t>(o - out);
}

std::size_t InputStream::peek(std::uint8_t *out, std::size_t n)
{
    if (m_position != 0 || m_fd < 0)
        return 0;
    if (m_prefix.size() < n) {
        const std::size_t have = m_prefix.size();
        m_prefix.resize(n);
        const std::size_t got = m_codec ? readDecompressed(m_prefix.data() + have, n - have)
                                        : readPlain(m_prefix.data() + have, n - have);
        m_prefix.resize(have + got);
    }
    const std::size_t give = std::min(n, m_prefix.size());
    std::memcpy(out, m_prefix.data(), give);
    return give;
}

std::size_t InputStream::read(void *out, std::size_t n)
{
    if (!n || m_fd < 0)
        return 0;
    auto *o = static_cast<std::uint8_t *>(out);
    std::size_t got = 0;
    if (m_prefixPos < m_prefix.size()) {
        got = std::min(n, m_prefix.size() - m_prefixPos);
        std::memcpy(o, m_prefix.data() + m_prefixPos, got);
        m_prefixPos += got;
    }
    if (got < n && m_codec) {
        if (!m_unpacker)
            m_unpacker = std::make_unique<Unpacker>(*this);
        got += m_unpacker->read(o + got, n - got);
    } else if (got < n) {
        got += readPlain(o + got, n - got);
    }
    m_position += got;
    return got;
}

bool InputStream::skip(std::uint64_t n)
{
    if (m_prefixPos < m_prefix.size()) {
        const std::uint64_t take = std::min<std::uint64_t>(n, m_prefix.size() - m_prefixPos);
        m_prefixPos += static_cast<std::size_t>(take);
        m_position += take;
        n -= take;
    }
    if (m_seekable) {
        const std::uint64_t buffered = m_rawEnd - m_rawPos;
        if (n <= buffered) {
            m_rawPos += static_cast<std::size_t>(n);
            m_position += n;
            return true;
        }
        const std::uint64_t rest = n - buffered;
        m_rawPos = m_rawEnd = 0;
        // Never past the end: a skip that runs out of file is the caller's sign of truncation.
        const std::uint64_t here = m_rawRead;
        if (here + rest > m_fileSize) {
            m_position += buffered;
            m_eof = true;
            return false;
        }
        if (::lseek(m_fd, static_cast<off_t>(here + rest), SEEK_SET) < 0) {
            fail(std::string("seek error: ") + std::strerror(errno), false);
            return false;
        }
        m_rawRead += rest;
        m_position += n;
        return true;
    }
    std::uint8_t scratch[16384];
    while (n) {
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(n, sizeof scratch));
        const std::size_t got = read(scratch, want);
        n -= got;
        if (got < want)
            return false;
    }
    return true;
}

// --- FILE* for libpcap ---------------------------------------------------------------------------------
struct CookieAccess {
    static ssize_t read(void *cookie, char *buf, std::size_t size)
    {
        auto *s = static_cast<InputStream *>(cookie);
        const std::uint64_t at = s->position();
        const std::size_t got = s->read(buf, size);
        if (s->m_patchVersion && at < 8) {
            // Version 2.4 in the file's byte order, over whatever of bytes 4..7 this read delivered.
            const std::uint8_t v[4] = {
                std::uint8_t(s->m_patchBigEndian ? 0 : 2), std::uint8_t(s->m_patchBigEndian ? 2 : 0),
                std::uint8_t(s->m_patchBigEndian ? 0 : 4), std::uint8_t(s->m_patchBigEndian ? 4 : 0)};
            for (std::uint64_t i = std::max<std::uint64_t>(at, 4); i < 8 && i < at + got; ++i)
                buf[i - at] = static_cast<char>(v[i - 4]);
        }
        if (got == 0 && !s->error().empty()) {
            errno = EIO;
            return -1;
        }
        return static_cast<ssize_t>(got);
    }
};

std::FILE *InputStream::asFile(bool patchPcapVersion, bool bigEndian)
{
    m_patchVersion = patchPcapVersion;
    m_patchBigEndian = bigEndian;
    cookie_io_functions_t io{};
    io.read = &CookieAccess::read;
    return fopencookie(this, "rb", io);
}

} // namespace ol
