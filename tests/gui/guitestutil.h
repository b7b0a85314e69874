// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the GUI-side tests: fixture paths and a synchronous load for model tests.
#pragma once

#include "loader.h"

#include <QFile>
#include <QString>
#include <QTest>

#include <memory>

namespace ol::test {

/// A fixture under tests/data, by path relative to it.
inline QString fixture(const char *relative)
{
    return QStringLiteral(OFFLOADLENS_TEST_DATA "/") + QString::fromLatin1(relative);
}

inline const char *A04 = "public/a04_linux_http2_server_tso.pcap";
inline const char *C01 = "public/c01_http_download_sack_retrans.pcap";

/// Loads a fixture on the calling thread (the models do not care where a trace came from).
inline std::shared_ptr<const Trace> loadFixture(const char *relative)
{
    const LoadResult r = loadTrace(QFile::encodeName(fixture(relative)).toStdString());
    return r.trace;
}

} // namespace ol::test
