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

/// One TCP segment as captured, 40 bytes.
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
static_assert(sizeof(Segment) == 40, "keep the per-segment record compact");

/// An append-only array in chunks: no reallocation copies and no doubling peak. The first chunks grow
/// geometrically from 16 elements so that 100,000 tiny connections stay small; past that every chunk
/// holds LargeChunk elements.
template <typename T> class ChunkedVector
{
public:
    static constexpr std::size_t FirstChunk = 16;
    static constexpr unsigned GrowingChunks = 10; // 16 .. 8192
    static constexpr std::size_t LargeChunk = FirstChunk << (GrowingChunks - 1); // 8192
    static constexpr std::size_t GrowingTotal = FirstChunk * ((std::size_t(1) << GrowingChunks) - 1);

    void push_back(const T &value)
    {
        const auto [chunk, offset] = locate(m_size);
        if (chunk == m_chunks.size())
            m_chunks.push_back(std::make_unique_for_overwrite<T[]>(chunkSize(chunk)));
        m_chunks[chunk][offset] = value;
        ++m_size;
    }
    T &operator[](std::size_t i)
    {
        const auto [chunk, offset] = locate(i);
        return m_chunks[chunk][offset];
    }
    const T &operator[](std::size_t i) const
    {
        const auto [chunk, offset] = locate(i);
        return m_chunks[chunk][offset];
    }
    /// Forward iteration chunk by chunk: a loop over all elements pays no index arithmetic per element.
    template <bool Const> class Iterator
    {
        using Vector = std::conditional_t<Const, const ChunkedVector, ChunkedVector>;
        using Value = std::conditional_t<Const, const T, T>;

    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = Value *;
        using reference = Value &;

        Iterator() = default;
        Value &operator*() const { return *m_at; }
        Value *operator->() const { return m_at; }
        Iterator &operator++()
        {
            if (++m_at == m_chunkEnd)
                enterChunk(m_chunk + 1);
            return *this;
        }
        Iterator operator++(int)
        {
            Iterator old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(const Iterator &a, const Iterator &b) { return a.m_at == b.m_at; }
        /// The element's index (not for the end iterator).
        std::size_t index() const { return m_first + std::size_t(m_at - m_chunkBegin); }

    private:
        friend class ChunkedVector;
        Iterator(Vector *v, std::size_t chunk)
            : m_v(v)
        {
            enterChunk(chunk);
        }
        void enterChunk(std::size_t chunk)
        {
            m_chunk = chunk;
            const std::size_t first = chunk < GrowingChunks ? FirstChunk * ((std::size_t(1) << chunk) - 1)
                                                            : GrowingTotal + (chunk - GrowingChunks) * LargeChunk;
            if (first >= m_v->m_size) { // past the end: every end iterator is null
                m_at = m_chunkEnd = nullptr;
                return;
            }
            m_first = first;
            m_at = m_chunkBegin = m_v->m_chunks[chunk].get();
            m_chunkEnd = m_at + std::min(chunkSize(chunk), m_v->m_size - first);
        }

        Vector *m_v = nullptr;
        std::size_t m_chunk = 0;
        std::size_t m_first = 0; // index of the chunk's first element
        Value *m_chunkBegin = nullptr;
        Value *m_at = nullptr;
        Value *m_chunkEnd = nullptr;
    };
    using iterator = Iterator<false>;
    using const_iterator = Iterator<true>;
    iterator begin() { return iterator(this, 0); }
    iterator end() { return iterator(); }
    const_iterator begin() const { return const_iterator(this, 0); }
    const_iterator end() const { return const_iterator(); }

    T &back() { return (*this)[m_size - 1]; }
    const T &back() const { return (*this)[m_size - 1]; }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    /// Bytes held, for memory reports.
    std::size_t capacityBytes() const
    {
        std::size_t n = 0;
        for (std::size_t c = 0; c < m_chunks.size(); ++c)
            n += chunkSize(c);
        return n * sizeof(T);
    }

private:
    static std::size_t chunkSize(std::size_t chunk) { return chunk < GrowingChunks ? FirstChunk << chunk : LargeChunk; }
    static std::pair<std::size_t, std::size_t> locate(std::size_t i)
    {
        if (i < GrowingTotal) {
            const std::size_t k = std::bit_width(i / FirstChunk + 1) - 1;
            return {k, i - FirstChunk * ((std::size_t(1) << k) - 1)};
        }
        const std::size_t j = i - GrowingTotal;
        return {GrowingChunks + j / LargeChunk, j % LargeChunk};
    }

    std::vector<std::unique_ptr<T[]>> m_chunks;
    std::size_t m_size = 0;
};

/// SACK blocks are rare enough to keep beside the records, indexed by segment.
struct SackRecord {
    std::uint32_t segmentIndex = 0;
    std::uint8_t count = 0;
    std::uint32_t blocks[4][2] = {}; // raw left/right edges
};

} // namespace ol
