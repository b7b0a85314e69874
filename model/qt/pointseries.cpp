// SPDX-License-Identifier: GPL-3.0-or-later
// Time-sorted chart series with pixel-bucket min/max decimation (see pointseries.h).
#include "pointseries.h"

#include <algorithm>
#include <numeric>

namespace ol {

void PointSeries::clear()
{
    m_time.clear();
    m_low.clear();
    m_high.clear();
    m_index.clear();
    m_blockMin.clear();
    m_blockMax.clear();
    m_sorted = true;
    m_min = m_max = 0;
}

void PointSeries::reserve(std::size_t n)
{
    m_time.reserve(n);
    m_low.reserve(n);
    if (m_shape == Shape::Bars)
        m_high.reserve(n);
    m_index.reserve(n);
}

void PointSeries::append(double time, double value, std::uint32_t index)
{
    if (!m_time.empty() && time < m_time.back())
        m_sorted = false;
    m_time.push_back(time);
    m_low.push_back(value);
    if (m_shape == Shape::Bars)
        m_high.push_back(value);
    m_index.push_back(index);
}

void PointSeries::appendBar(double time, double low, double high, std::uint32_t index)
{
    if (!m_time.empty() && time < m_time.back())
        m_sorted = false;
    m_time.push_back(time);
    m_low.push_back(low);
    if (m_shape == Shape::Bars)
        m_high.push_back(high);
    m_index.push_back(index);
}

template <typename T> static void permute(std::vector<T> &v, const std::vector<std::uint32_t> &order)
{
    if (v.empty())
        return;
    std::vector<T> out(v.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        out[i] = v[order[i]];
    v.swap(out);
}

bool PointSeries::insertionSort()
{
    // Captures step back in time only a little (timestamps taken on several CPUs): each late record moves a few
    // places, so sorting costs about one pass. The budget stops it on data that is out of order for real.
    const std::size_t n = m_time.size();
    std::size_t budget = 4 * n + 1024;
    const bool bars = m_shape == Shape::Bars;
    for (std::size_t i = 1; i < n; ++i) {
        if (!(m_time[i] < m_time[i - 1]))
            continue;
        const double t = m_time[i], low = m_low[i], high = bars ? m_high[i] : 0;
        const std::uint32_t index = m_index[i];
        std::size_t j = i;
        // Strictly later records move up: equal times keep capture order.
        for (; j > 0 && m_time[j - 1] > t; --j) {
            m_time[j] = m_time[j - 1];
            m_low[j] = m_low[j - 1];
            if (bars)
                m_high[j] = m_high[j - 1];
            m_index[j] = m_index[j - 1];
        }
        m_time[j] = t;
        m_low[j] = low;
        if (bars)
            m_high[j] = high;
        m_index[j] = index;
        const std::size_t moved = i - j;
        if (moved > budget)
            return false; // still a stable permutation of the records: a full sort can take over from here
        budget -= moved;
    }
    return true;
}

void PointSeries::finish()
{
    const std::size_t n = m_time.size();
    if (!m_sorted && insertionSort())
        m_sorted = true;
    if (!m_sorted) {
        // Stable: equal times keep capture order, so ties still read left to right as captured.
        std::vector<std::uint32_t> order(n);
        std::iota(order.begin(), order.end(), 0u);
        std::stable_sort(order.begin(), order.end(),
                         [this](std::uint32_t a, std::uint32_t b) { return m_time[a] < m_time[b]; });
        permute(m_time, order);
        permute(m_low, order);
        permute(m_high, order);
        permute(m_index, order);
        m_sorted = true;
    }
    const std::vector<double> &top = m_shape == Shape::Bars ? m_high : m_low;
    const std::size_t blocks = n / BlockSize; // only whole blocks get a summary
    m_blockMin.assign(blocks, 0);
    m_blockMax.assign(blocks, 0);
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t base = b * BlockSize;
        std::size_t mn = base, mx = base;
        for (std::size_t i = base + 1; i < base + BlockSize; ++i) {
            if (m_low[i] < m_low[mn])
                mn = i;
            if (top[i] > top[mx])
                mx = i;
        }
        m_blockMin[b] = std::uint8_t(mn - base);
        m_blockMax[b] = std::uint8_t(mx - base);
    }
    if (n) {
        m_min = *std::min_element(m_low.begin(), m_low.end());
        m_max = *std::max_element(top.begin(), top.end());
    } else {
        m_min = m_max = 0;
    }
}

void PointSeries::emitPoint(DecimatedPoints &out, std::size_t i) const
{
    out.keys.push_back(m_time[i]);
    out.values.push_back(m_low[i]);
    if (m_shape == Shape::Bars)
        out.highs.push_back(m_high[i]);
    out.indices.push_back(m_index[i]);
}

DecimatedPoints PointSeries::decimate(const PixelMapping &mapping, bool neighbours) const
{
    DecimatedPoints out;
    if (m_time.empty() || !mapping.isValid())
        return out;
    const auto first = std::lower_bound(m_time.begin(), m_time.end(), mapping.lower());
    const auto last = std::upper_bound(first, m_time.end(), mapping.upper());
    const std::size_t lo = std::size_t(first - m_time.begin());
    const std::size_t hi = std::size_t(last - m_time.begin());
    const std::size_t visible = hi - lo;
    const std::size_t limit = 2 * std::size_t(mapping.pixels());

    const std::size_t reserve = std::min(visible, limit) + 2;
    out.keys.reserve(qsizetype(reserve));
    out.values.reserve(qsizetype(reserve));
    if (m_shape == Shape::Bars)
        out.highs.reserve(qsizetype(reserve));
    out.indices.reserve(qsizetype(reserve));

    if (neighbours && lo > 0)
        emitPoint(out, lo - 1);
    if (visible <= limit) {
        for (std::size_t i = lo; i < hi; ++i)
            emitPoint(out, i);
    } else {
        out.decimated = true;
        const std::vector<double> &top = m_shape == Shape::Bars ? m_high : m_low;
        std::size_t i = lo;
        while (i < hi) {
            const int bucket = mapping.bucketOf(m_time[i]);
            const std::size_t start = i;
            // End of this pixel column: binary search by time, then settle the floating-point edge with
            // bucketOf itself so that columns agree exactly with PixelMapping.
            std::size_t end = std::size_t(std::lower_bound(m_time.begin() + std::ptrdiff_t(i) + 1,
                                                           m_time.begin() + std::ptrdiff_t(hi),
                                                           mapping.timeOf(bucket + 1))
                                          - m_time.begin());
            while (end > i + 1 && mapping.bucketOf(m_time[end - 1]) != bucket)
                --end;
            while (end < hi && mapping.bucketOf(m_time[end]) == bucket)
                ++end;
            std::size_t mn = i, mx = i;
            auto scan = [&](std::size_t from, std::size_t to) {
                for (std::size_t k = from; k < to; ++k) {
                    if (m_low[k] < m_low[mn])
                        mn = k;
                    if (top[k] > top[mx])
                        mx = k;
                }
            };
            // Head up to a block boundary, whole blocks from their summaries, then the tail.
            const std::size_t firstBlock = (i + BlockSize - 1) / BlockSize;
            const std::size_t lastBlock = end / BlockSize; // exclusive
            if (firstBlock < lastBlock) {
                scan(i, firstBlock * BlockSize);
                for (std::size_t b = firstBlock; b < lastBlock; ++b) {
                    const std::size_t base = b * BlockSize;
                    if (m_low[base + m_blockMin[b]] < m_low[mn])
                        mn = base + m_blockMin[b];
                    if (top[base + m_blockMax[b]] > top[mx])
                        mx = base + m_blockMax[b];
                }
                scan(lastBlock * BlockSize, end);
            } else {
                scan(i, end);
            }
            i = end;
            if (m_shape == Shape::Bars) {
                // One bar per column spanning everything sent in it, keyed at the column's first record.
                out.keys.push_back(m_time[start]);
                out.values.push_back(m_low[mn]);
                out.highs.push_back(m_high[mx]);
                out.indices.push_back(m_index[mx]);
            } else if (mn == mx) {
                emitPoint(out, mn);
            } else {
                emitPoint(out, std::min(mn, mx));
                emitPoint(out, std::max(mn, mx));
            }
        }
    }
    if (neighbours && hi < m_time.size())
        emitPoint(out, hi);
    return out;
}

} // namespace ol
