// SPDX-License-Identifier: GPL-3.0-or-later
// Wireshark display filters for a connection and for its oversized segments, by addresses and ports (not
// tcp.stream, whose numbers differ between tools and between two captures of the same traffic).
#pragma once

#include "connection.h"

#include <string>

namespace ol {

/// "ip.addr==A && ip.addr==B && tcp.port==P && tcp.port==Q" (ipv6.addr for IPv6): the frames of a connection.
std::string connectionDisplayFilter(const Connection &connection);

/// The connection's frames whose TCP payload exceeds their direction's effective MSS: the connection filter
/// "&& tcp.len > N", per direction when the two directions' MSS differ. Empty when no direction has a known MSS.
std::string oversizedDisplayFilter(const Connection &connection);

} // namespace ol
