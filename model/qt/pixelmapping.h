// SPDX-License-Identifier: GPL-3.0-or-later
// The mapping between a visible time range and the pixel columns of a chart: the unit decimation works in.
// A plain value type, tested without painting anything.
#pragma once

namespace ol {

class PixelMapping
{
public:
    constexpr PixelMapping() = default;
    /// lower..upper seconds shown across `pixels` columns.
    PixelMapping(double lower, double upper, int pixels);

    double lower() const { return m_lower; }
    double upper() const { return m_upper; }
    int pixels() const { return m_pixels; }
    bool isValid() const { return m_pixels > 0 && m_upper > m_lower; }
    /// Seconds covered by one pixel column.
    double secondsPerPixel() const;

    /// Continuous pixel position of a time (0 at lower, pixels at upper; outside the range extrapolates).
    double pixelOf(double time) const;
    /// Inverse of pixelOf.
    double timeOf(double pixel) const;
    /// Pixel column (bucket) a time falls in, clamped to 0..pixels-1.
    int bucketOf(double time) const;
    bool contains(double time) const { return time >= m_lower && time <= m_upper; }

    /// The mapping after zooming by factor (> 1 zooms in) around a time, keeping that time's pixel fixed.
    PixelMapping zoomed(double factor, double aroundTime) const;
    /// The mapping shifted by a number of pixels (positive moves the view to later times).
    PixelMapping panned(double pixels) const;

    friend bool operator==(const PixelMapping &, const PixelMapping &) = default;

private:
    double m_lower = 0;
    double m_upper = 0;
    int m_pixels = 0;
};

} // namespace ol
