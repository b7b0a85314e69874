// SPDX-License-Identifier: GPL-3.0-or-later
// A forward-only byte stream over a file or standard input that undoes gzip, zstd or lz4 compression
// on the fly (detected by magic), so that no temporary file and no whole file is ever held.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace ol {

enum class Compression { None, Gzip, Zstd, Lz4 };

const char *compressionName(Compression c); // "", "gzip", "zstd", "lz4"

class InputStream
{
public:
    InputStream();
    ~InputStream();
    InputStream(const InputStream &) = delete;
    InputStream &operator=(const InputStream &) = delete;

    /// Opens a file, or standard input for "-", and detects compression. On failure returns false with a
    /// reason that does not name the file.
    bool open(const std::string &path, std::string &error);
    /// The first n decompressed bytes without consuming them; only before the first read or skip.
    std::size_t peek(std::uint8_t *out, std::size_t n);
    /// Reads up to n decompressed bytes; fewer only at the end of the data or at an error (see error()).
    std::size_t read(void *out, std::size_t n);
    /// Skips n decompressed bytes (a seek on plain files); false when the data ends first.
    bool skip(std::uint64_t n);
    /// A FILE* reading the decompressed bytes (glibc fopencookie), for libpcap. The stream must outlive it;
    /// when patchPcapVersion is set the version field of a pcap file header (bytes 4..7) reads as 2.4.
    std::FILE *asFile(bool patchPcapVersion, bool bigEndian);

    Compression compression() const { return m_compression; }
    /// A plain regular file, where skipping is a seek.
    bool seekable() const { return m_seekable; }
    bool isStdin() const { return m_stdin; }
    /// Size of a regular file on disk (compressed size for compressed files); 0 when not known (a pipe).
    std::uint64_t fileSize() const { return m_fileSize; }
    /// Bytes of the file (compressed bytes when compressed) consumed so far: the progress measure.
    std::uint64_t consumed() const;
    /// Decompressed bytes delivered so far by read() and skip().
    std::uint64_t position() const { return m_position; }
    /// Empty unless reading failed: damaged or truncated compressed data, or an I/O error. Known once read()
    /// has come to the end of what could be read.
    const std::string &error() const;
    /// True when the error is compressed data that ends early (a cut file) rather than damage.
    bool errorIsTruncation() const { return !error().empty() && m_truncated; }

    struct Codec;
    class Unpacker;

private:
    bool fillRaw();
    /// Compressed (or plain) bytes taken from the file so far: the codec's own position, for its thread.
    std::uint64_t rawConsumed() const { return m_rawRead - (m_rawEnd - m_rawPos); }
    std::size_t readPlain(std::uint8_t *out, std::size_t n);
    std::size_t readDecompressed(std::uint8_t *out, std::size_t n);
    void fail(const std::string &why, bool truncated);

    int m_fd = -1;
    bool m_stdin = false;
    bool m_seekable = false;
    bool m_eof = false;
    Compression m_compression = Compression::None;
    std::uint64_t m_fileSize = 0;
    std::uint64_t m_rawRead = 0; // bytes pulled from the file descriptor (or skipped by seeking)
    std::uint64_t m_position = 0;
    std::vector<std::uint8_t> m_raw;
    std::vector<std::uint8_t> m_prefix; // peeked bytes that read() hands out first
    std::size_t m_prefixPos = 0;
    std::size_t m_rawPos = 0;
    std::size_t m_rawEnd = 0;
    std::unique_ptr<Codec> m_codec;
    // Compressed data is decompressed ahead on a thread of its own from the first read() on (peek() runs
    // the codec on the caller's thread before that). While it runs, the raw buffer, the codec and the error
    // are its own.
    std::unique_ptr<Unpacker> m_unpacker;
    std::string m_error;
    bool m_truncated = false;
    // State of the FILE* handed to libpcap.
    bool m_patchVersion = false;
    bool m_patchBigEndian = false;
    friend struct CookieAccess;
};

} // namespace ol
