// SPDX-License-Identifier: GPL-3.0-or-later
// Time <-> pixel mapping of a chart (see pixelmapping.h).
#include "pixelmapping.h"

#include <algorithm>
#include <cmath>

namespace ol {

PixelMapping::PixelMapping(double lower, double upper, int pixels)
    : m_lower(lower)
    , m_upper(upper)
    , m_pixels(pixels)
{ }

double PixelMapping::secondsPerPixel() const
{
    return isValid() ? (m_upper - m_lower) / m_pixels : 0;
}

double PixelMapping::pixelOf(double time) const
{
    if (!isValid())
        return 0;
    return (time - m_lower) / (m_upper - m_lower) * m_pixels;
}

double PixelMapping::timeOf(double pixel) const
{
    if (!isValid())
        return m_lower;
    return m_lower + pixel / m_pixels * (m_upper - m_lower);
}

int PixelMapping::bucketOf(double time) const
{
    if (!isValid())
        return 0;
    const double p = std::floor(pixelOf(time));
    if (!(p >= 0)) // also catches NaN
        return 0;
    return p >= m_pixels ? m_pixels - 1 : int(p);
}

PixelMapping PixelMapping::zoomed(double factor, double aroundTime) const
{
    if (!isValid() || factor <= 0)
        return *this;
    const double lower = aroundTime - (aroundTime - m_lower) / factor;
    const double upper = aroundTime + (m_upper - aroundTime) / factor;
    return {lower, upper, m_pixels};
}

PixelMapping PixelMapping::panned(double pixels) const
{
    const double dt = pixels * secondsPerPixel();
    return {m_lower + dt, m_upper + dt, m_pixels};
}

} // namespace ol
