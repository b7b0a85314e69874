// SPDX-License-Identifier: GPL-3.0-or-later
// A time-sorted series of chart points (or vertical bars) with pixel-bucket min/max decimation: whatever
// the zoom, a series hands the plot at most about two points per pixel column, keeping each column's
// extremes, so a connection with ten million segments stays interactive.
#pragma once

#include "pixelmapping.h"

#include <QVector>

#include <cstdint>
#include <vector>

namespace ol {

/// What a series hands to a plot for the current view, sorted by key.
struct DecimatedPoints {
    QVector<double> keys; // time, s
    QVector<double> values; // y (bar bottom for bars)
    QVector<double> highs; // bar top; empty for plain points
    QVector<quint32> indices; // source record (segment index) of each point
    bool decimated = false; // true when buckets were merged
    qsizetype size() const { return keys.size(); }
};

class PointSeries
{
public:
    /// Records per precomputed block summary; whole blocks inside one pixel column are merged in O(1).
    static constexpr std::size_t BlockSize = 256;

    enum class Shape {
        Points, // keep the real min and max point of each column
        Bars, // merge each column into one bar from the lowest bottom to the highest top
    };

    explicit PointSeries(Shape shape = Shape::Points)
        : m_shape(shape)
    { }

    void clear();
    void reserve(std::size_t n);
    /// Adds a point; times may arrive unsorted (captures can step back), finish() sorts them.
    void append(double time, double value, std::uint32_t index);
    /// Adds a bar from low to high (Bars shape).
    void appendBar(double time, double low, double high, std::uint32_t index);
    /// Sorts by time if needed and builds the block summaries. Call once after the appends.
    void finish();

    Shape shape() const { return m_shape; }
    std::size_t size() const { return m_time.size(); }
    bool isEmpty() const { return m_time.empty(); }
    double time(std::size_t i) const { return m_time[i]; }
    double value(std::size_t i) const { return m_low[i]; }
    double high(std::size_t i) const { return m_shape == Shape::Bars ? m_high[i] : m_low[i]; }
    std::uint32_t index(std::size_t i) const { return m_index[i]; }
    double minValue() const { return m_min; }
    double maxValue() const { return m_max; }
    double firstTime() const { return m_time.empty() ? 0 : m_time.front(); }
    double lastTime() const { return m_time.empty() ? 0 : m_time.back(); }

    /// The points of the visible range, reduced to at most two per pixel column (one bar per column for
    /// Bars) when there are more than 2 × pixels of them; otherwise every point. With `neighbours`, the
    /// nearest point outside each side is added so that lines run to the plot's edges.
    DecimatedPoints decimate(const PixelMapping &mapping, bool neighbours = false) const;

private:
    void emitPoint(DecimatedPoints &out, std::size_t i) const;
    /// Sorts by time if that takes few moves; false (partly sorted) when the data is far out of order.
    bool insertionSort();

    Shape m_shape;
    std::vector<double> m_time;
    std::vector<double> m_low;
    std::vector<double> m_high; // Bars only
    std::vector<std::uint32_t> m_index;
    // Per block: offsets of the lowest value and of the highest top inside the block.
    std::vector<std::uint8_t> m_blockMin;
    std::vector<std::uint8_t> m_blockMax;
    bool m_sorted = true;
    double m_min = 0;
    double m_max = 0;
};

} // namespace ol
