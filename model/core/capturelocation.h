// SPDX-License-Identifier: GPL-3.0-or-later
// Where a capture sat when it was not simply on one of the hosts the TCP runs between: on a mirror of a
// link, on a tunnel's underlay, or on a device between two hosts that merged their segments.
#pragma once

#include "offloadtypes.h"
#include "trace.h"

namespace ol {

/// Runs after the capture host inference and the per-direction classification. When every connection is a
/// mirror copy, or travels inside a tunnel, or a direction was merged on the path (its receiver
/// acknowledged inside the merged frames), sets point.location and point.locationText, and stops naming
/// an inner endpoint as the capture host where that would be wrong. Leaves plain captures untouched.
void placeCapture(const Trace &trace, CapturePoint &point);

} // namespace ol
