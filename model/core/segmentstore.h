// SPDX-License-Identifier: GPL-3.0-or-later
// The compact per-segment record (no payload bytes) and the chunked store that holds millions of them
// without the 2x peak of a growing std::vector.
#pragma once

#include "types.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace ol {

/// Offload class of a segment, filled by the offload analysis after loading.
enum class SegmentClass : std::uint8_t {
    None = 0, // no payload (pure ACK, SYN, FIN) or not yet classified
    Normal = 1, // payload below the effective MSS
    FullSize = 2, // payload equal to the effective MSS
    SendOffload = 3, // larger than the MSS, leaving the capture host: LSO/TSO/GSO before the NIC split it
    ReceiveOffload = 4, // larger than the MSS, arriving at the capture host: LRO/GRO merged it before the tap
    OversizedUnexplained = 5, // larger than the MSS with no consistent explanation
};

/// One TCP segment as captured: 40 bytes to work with, 32 in the store (SegmentStore).
struct Segment {
    TimeNs time = 0;
    std::int64_t relSeq = 0; // sequence relative to the direction's ISN (or first seen), 32-bit wrap undone
    std::uint32_t payload = 0; // TCP payload length, from the IP header
    std::uint32_t ack = 0; // raw acknowledgement number
    std::uint32_t frame = 0; // 1-based frame number in the file
    std::uint32_t ipLength = 0; // IP total length field as captured (0 = left empty by the sender)
    std::uint16_t window = 0; // raw window field (unscaled)
    std::uint16_t ipId = 0;
    std::uint8_t ttl = 0;
    std::uint8_t tcpFlags = 0;
    std::uint16_t bits = 0; // see SegmentBits

    // Bit layout of `bits`.
    static constexpr std::uint16_t TcpCsumMask = 0x0003; // ChecksumState, bits 0-1
    static constexpr std::uint16_t IpCsumShift = 2; // ChecksumState, bits 2-3
    static constexpr std::uint16_t ClassShift = 4; // SegmentClass, bits 4-6
    static constexpr std::uint16_t Retransmission = 1u << 7;
    static constexpr std::uint16_t OutOfOrder = 1u << 8;
    static constexpr std::uint16_t DupAck = 1u << 9;
    static constexpr std::uint16_t ZeroWindow = 1u << 10;
    static constexpr std::uint16_t HasSack = 1u << 11;
    static constexpr std::uint16_t HasTimestamps = 1u << 12;
    static constexpr std::uint16_t DirShift = 13; // RecordedDirection, bits 13-14
    static constexpr std::uint16_t LengthMismatch = 1u << 15;

    std::uint8_t tcpChecksum() const { return bits & TcpCsumMask; }
    std::uint8_t ipChecksum() const { return (bits >> IpCsumShift) & 3; }
    SegmentClass segmentClass() const { return static_cast<SegmentClass>((bits >> ClassShift) & 7); }
    void setSegmentClass(SegmentClass c)
    {
        bits = static_cast<std::uint16_t>((bits & ~(7u << ClassShift)) | (unsigned(c) << ClassShift));
    }
    std::uint8_t recordedDirection() const { return (bits >> DirShift) & 3; }
    bool has(std::uint16_t flag) const { return bits & flag; }
    std::int64_t endSeq() const { return relSeq + payload; }
};
static_assert(sizeof(Segment) == 40, "the working copy of a record: SegmentStore holds 32 bytes of it");

/// The segments of one direction, 32 bytes each. An append-only array in chunks: no reallocation copies and
/// no doubling peak. The first chunks grow geometrically from 16 elements so that 100,000 tiny connections
/// stay small; past that every chunk holds LargeChunk elements.
///
/// A Segment is 40 bytes to work with, but stored in 32: each chunk keeps the time and relative sequence of
/// its first segment, the others store theirs as 48-bit differences from it (±39 hours, ±128 TiB), the IP
/// length as the header bytes above the payload (0-254), and the payload in 24 bits. A segment that does not
/// fit (a chunk of keep-alives spanning days, a damaged length) is kept whole beside the chunks, so nothing is
/// ever rounded. Reads return a Segment by value: keep a copy, never a pointer to one.
class SegmentStore
{
    struct Packed {
        std::uint32_t timeLo = 0; // time - chunk's base time: bits 0-31 ...
        std::uint16_t timeHi = 0; // ... and 32-47 (two's complement)
        std::uint16_t seqHi = 0; // relSeq - chunk's base relSeq: bits 32-47 ...
        std::uint32_t seqLo = 0; // ... and 0-31
        std::uint32_t ack = 0;
        std::uint32_t frame = 0;
        std::uint32_t payloadHeaders = 0; // payload in bits 0-23; ipLength - payload in 24-31 (0: ipLength 0)
        std::uint16_t window = 0;
        std::uint16_t ipId = 0;
        std::uint8_t ttl = 0;
        std::uint8_t tcpFlags = 0;
        std::uint16_t bits = 0;
    };
    static_assert(sizeof(Packed) == 32, "keep the stored record at 32 bytes");
    static constexpr std::uint32_t PayloadMask = 0x00FFFFFF;
    static constexpr std::uint32_t Escaped = 0xFF; // header byte: the segment is kept whole in m_escaped
    static constexpr std::int64_t DeltaLimit = std::int64_t(1) << 47;

    struct Chunk {
        std::unique_ptr<Packed[]> data;
        TimeNs baseTime = 0;
        std::int64_t baseSeq = 0;
    };
    struct EscapedSegment {
        std::size_t index;
        Segment segment; // bits are the packed record's (classes are set there)
    };

public:
    static constexpr std::size_t FirstChunk = 16;
    static constexpr unsigned GrowingChunks = 10; // 16 .. 8192
    static constexpr std::size_t LargeChunk = FirstChunk << (GrowingChunks - 1); // 8192
    static constexpr std::size_t GrowingTotal = FirstChunk * ((std::size_t(1) << GrowingChunks) - 1);
    static constexpr std::size_t BytesPerSegment = sizeof(Packed);

    void push_back(const Segment &s)
    {
        const auto [chunk, offset] = locate(m_size);
        if (chunk == m_chunks.size())
            m_chunks.push_back({std::make_unique_for_overwrite<Packed[]>(chunkSize(chunk)), s.time, s.relSeq});
        const Chunk &c = m_chunks[chunk];
        Packed &p = c.data[offset];
        const std::int64_t dt = s.time - c.baseTime, ds = s.relSeq - c.baseSeq;
        const std::uint32_t headers = s.ipLength ? s.ipLength - s.payload : 0;
        const bool fits = dt >= -DeltaLimit && dt < DeltaLimit && ds >= -DeltaLimit && ds < DeltaLimit
            && s.payload <= PayloadMask && (s.ipLength == 0 || (s.ipLength > s.payload && headers < Escaped));
        if (!fits)
            m_escaped.push_back({m_size, s});
        p.timeLo = std::uint32_t(std::uint64_t(dt));
        p.timeHi = std::uint16_t(std::uint64_t(dt) >> 32);
        p.seqLo = std::uint32_t(std::uint64_t(ds));
        p.seqHi = std::uint16_t(std::uint64_t(ds) >> 32);
        p.ack = s.ack;
        p.frame = s.frame;
        p.payloadHeaders = fits ? (s.payload | headers << 24) : Escaped << 24;
        p.window = s.window;
        p.ipId = s.ipId;
        p.ttl = s.ttl;
        p.tcpFlags = s.tcpFlags;
        p.bits = s.bits;
        ++m_size;
    }
    Segment operator[](std::size_t i) const
    {
        const auto [chunk, offset] = locate(i);
        return decode(m_chunks[chunk], offset, i);
    }
    Segment back() const { return (*this)[m_size - 1]; }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    /// The one field written after loading: the offload analysis's class.
    void setSegmentClass(std::size_t i, SegmentClass c)
    {
        const auto [chunk, offset] = locate(i);
        setClass(m_chunks[chunk].data[offset], c);
    }

    /// Forward iteration chunk by chunk: a loop over all elements pays no index arithmetic per element.
    /// Dereferencing decodes the segment into a value.
    template <bool Const> class Iterator
    {
        using Store = std::conditional_t<Const, const SegmentStore, SegmentStore>;

    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Segment;
        using difference_type = std::ptrdiff_t;
        using reference = Segment;
        struct pointer {
            Segment s;
            const Segment *operator->() const { return &s; }
        };

        Iterator() = default;
        Segment operator*() const { return m_store->decode(*m_c, m_offset, index()); }
        pointer operator->() const { return {**this}; }
        Iterator &operator++()
        {
            if (++m_offset == m_chunkCount)
                enterChunk(m_chunk + 1);
            return *this;
        }
        Iterator operator++(int)
        {
            Iterator old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(const Iterator &a, const Iterator &b)
        {
            return a.m_store == b.m_store && a.m_chunk == b.m_chunk && a.m_offset == b.m_offset;
        }
        /// The element's index (not for the end iterator).
        std::size_t index() const { return m_first + m_offset; }
        /// Sets the current segment's offload class (mutable iterators only).
        void setSegmentClass(SegmentClass c) const requires(!Const) { setClass(m_c->data[m_offset], c); }

    private:
        friend class SegmentStore;
        Iterator(Store *s, std::size_t chunk)
            : m_store(s)
        {
            enterChunk(chunk);
        }
        void enterChunk(std::size_t chunk)
        {
            const std::size_t first = chunkFirst(chunk);
            if (first >= m_store->m_size) { // past the end: every end iterator is the same
                m_store = nullptr;
                m_c = nullptr;
                m_chunk = m_offset = m_first = m_chunkCount = 0;
                return;
            }
            m_chunk = chunk;
            m_c = &m_store->m_chunks[chunk];
            m_first = first;
            m_offset = 0;
            m_chunkCount = std::min(chunkSize(chunk), m_store->m_size - first);
        }

        Store *m_store = nullptr;
        const Chunk *m_c = nullptr;
        std::size_t m_chunk = 0;
        std::size_t m_first = 0; // index of the chunk's first element
        std::size_t m_offset = 0; // of the current element in its chunk
        std::size_t m_chunkCount = 0; // elements in the current chunk
    };
    using iterator = Iterator<false>;
    using const_iterator = Iterator<true>;
    iterator begin() { return iterator(this, 0); }
    iterator end() { return iterator(); }
    const_iterator begin() const { return const_iterator(this, 0); }
    const_iterator end() const { return const_iterator(); }

    /// Bytes held, for memory reports.
    std::size_t capacityBytes() const
    {
        std::size_t n = 0;
        for (std::size_t c = 0; c < m_chunks.size(); ++c)
            n += chunkSize(c);
        return n * sizeof(Packed) + m_escaped.capacity() * sizeof(EscapedSegment);
    }
    /// Segments kept whole because their differences or lengths do not fit the compact record.
    std::size_t escapedCount() const { return m_escaped.size(); }

private:
    static std::size_t chunkSize(std::size_t chunk) { return chunk < GrowingChunks ? FirstChunk << chunk : LargeChunk; }
    static std::size_t chunkFirst(std::size_t chunk)
    {
        return chunk < GrowingChunks ? FirstChunk * ((std::size_t(1) << chunk) - 1)
                                     : GrowingTotal + (chunk - GrowingChunks) * LargeChunk;
    }
    static std::pair<std::size_t, std::size_t> locate(std::size_t i)
    {
        if (i < GrowingTotal) {
            const std::size_t k = std::bit_width(i / FirstChunk + 1) - 1;
            return {k, i - FirstChunk * ((std::size_t(1) << k) - 1)};
        }
        const std::size_t j = i - GrowingTotal;
        return {GrowingChunks + j / LargeChunk, j % LargeChunk};
    }
    static std::int64_t signExtend48(std::uint16_t hi, std::uint32_t lo)
    {
        return std::int64_t((std::uint64_t(hi) << 32 | lo) << 16) >> 16;
    }
    static void setClass(Packed &p, SegmentClass c)
    {
        p.bits = static_cast<std::uint16_t>((p.bits & ~(7u << Segment::ClassShift))
                                            | (unsigned(c) << Segment::ClassShift));
    }
    Segment decode(const Chunk &c, std::size_t offset, std::size_t index) const
    {
        const Packed &p = c.data[offset];
        Segment s;
        const std::uint32_t headers = p.payloadHeaders >> 24;
        if (headers == Escaped) [[unlikely]] {
            s = escaped(index);
        } else {
            s.time = c.baseTime + signExtend48(p.timeHi, p.timeLo);
            s.relSeq = c.baseSeq + signExtend48(p.seqHi, p.seqLo);
            s.payload = p.payloadHeaders & PayloadMask;
            s.ipLength = headers ? s.payload + headers : 0;
        }
        s.ack = p.ack;
        s.frame = p.frame;
        s.window = p.window;
        s.ipId = p.ipId;
        s.ttl = p.ttl;
        s.tcpFlags = p.tcpFlags;
        s.bits = p.bits;
        return s;
    }
    Segment escaped(std::size_t index) const
    {
        const auto it = std::lower_bound(m_escaped.begin(), m_escaped.end(), index,
                                         [](const EscapedSegment &e, std::size_t i) { return e.index < i; });
        return it->segment;
    }

    std::vector<Chunk> m_chunks;
    std::vector<EscapedSegment> m_escaped; // in index order
    std::size_t m_size = 0;
};

} // namespace ol
