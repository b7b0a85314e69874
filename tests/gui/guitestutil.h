// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the GUI-side tests: fixture paths, a synchronous load for model tests, the generator's
// truth file and tshark's reading of a fixture.
#pragma once

#include "loader.h"
#include "toolcheck.h" // OL_REQUIRE_TOOL, shared with the core suites

#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
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

/// A cell of tests/data/generated-truth.tsv, the generator's record of what it made: the row of `file`, the
/// column named `column`; empty when either is missing.
inline QString truth(const char *file, const char *column)
{
    QFile f(fixture("generated-truth.tsv"));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QStringList header = QString::fromUtf8(f.readLine()).trimmed().split(u'\t');
    const qsizetype col = header.indexOf(QString::fromLatin1(column));
    while (!f.atEnd()) {
        const QStringList row = QString::fromUtf8(f.readLine()).trimmed().split(u'\t');
        if (col >= 0 && col < row.size() && row.first() == QString::fromLatin1(file))
            return row[col];
    }
    return {};
}

/// The values of one field, a line per packet, that tshark prints for the packets of a fixture matching a
/// display filter: the world's reading of the capture, to compare ours against.
inline QStringList tsharkField(const char *relative, const QString &filter, const QString &field)
{
    QProcess p;
    p.start(QStringLiteral("tshark"),
            {QStringLiteral("-n"), QStringLiteral("-r"), fixture(relative), QStringLiteral("-Y"), filter,
             QStringLiteral("-T"), QStringLiteral("fields"), QStringLiteral("-e"), field});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {QStringLiteral("tshark failed")};
    return QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
}

} // namespace ol::test
