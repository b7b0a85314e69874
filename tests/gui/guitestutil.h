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

#include <cstdint>
#include <cstring>
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

/// Writes a headers-only pcap of one IPv4 download: handshake, then `segments` 1,460-byte data frames from the
/// server, the last one `seconds` after the SYN. The generator's truth: the connection lasts exactly `seconds`.
inline bool writeDownload(const QString &path, int segments, double seconds)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    auto le32 = [&f](std::uint32_t v) { f.write(reinterpret_cast<const char *>(&v), 4); }; // little-endian host
    le32(0xa1b2c3d4);
    le32(2 | (4u << 16)); // version 2.4
    le32(0);
    le32(0);
    le32(96); // snaplen
    le32(1); // Ethernet
    const std::uint8_t client[4] = {192, 0, 2, 1}, server[4] = {198, 51, 100, 2};
    std::uint16_t ipId = 1;
    auto frame = [&](std::uint64_t usec, bool fromServer, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                     std::uint16_t payload) {
        std::uint8_t b[14 + 20 + 24] = {};
        std::memset(b, 2, 12);
        b[12] = 0x08;
        const bool syn = flags & 0x02;
        const int tcpLen = syn ? 24 : 20;
        std::uint8_t *ip = b + 14;
        const std::uint16_t total = std::uint16_t(20 + tcpLen + payload);
        ip[0] = 0x45;
        ip[2] = std::uint8_t(total >> 8);
        ip[3] = std::uint8_t(total);
        ip[4] = std::uint8_t(ipId >> 8);
        ip[5] = std::uint8_t(ipId++);
        ip[6] = 0x40;
        ip[8] = 64;
        ip[9] = 6;
        std::memcpy(ip + 12, fromServer ? server : client, 4);
        std::memcpy(ip + 16, fromServer ? client : server, 4);
        std::uint8_t *t = ip + 20;
        const std::uint16_t sport = fromServer ? 80 : 40000, dport = fromServer ? 40000 : 80;
        const std::uint8_t ports[4] = {std::uint8_t(sport >> 8), std::uint8_t(sport), std::uint8_t(dport >> 8),
                                       std::uint8_t(dport)};
        std::memcpy(t, ports, 4);
        for (int i = 0; i < 4; ++i) {
            t[4 + i] = std::uint8_t(seq >> (24 - 8 * i));
            t[8 + i] = std::uint8_t(ack >> (24 - 8 * i));
        }
        t[12] = std::uint8_t((tcpLen / 4) << 4);
        t[13] = flags;
        t[14] = 0xff;
        t[15] = 0xff;
        if (syn) {
            const std::uint8_t mss[4] = {2, 4, 1460 >> 8, 1460 & 0xff};
            std::memcpy(t + 20, mss, 4);
        }
        const std::uint32_t captured = 14 + 20 + std::uint32_t(tcpLen);
        le32(std::uint32_t(1'700'000'000 + usec / 1'000'000));
        le32(std::uint32_t(usec % 1'000'000));
        le32(captured);
        le32(captured + payload);
        f.write(reinterpret_cast<const char *>(b), captured);
    };
    frame(0, false, 999, 0, 0x02, 0);
    frame(100, true, 4999, 1000, 0x12, 0);
    frame(200, false, 1000, 5000, 0x10, 0);
    const std::uint64_t last = std::uint64_t(seconds * 1e6);
    for (int i = 0; i < segments; ++i)
        frame(300 + (last - 300) * std::uint64_t(i) / std::uint64_t(segments - 1), true, 5000 + std::uint32_t(i) * 1460,
              1000, 0x18, 1460);
    return f.error() == QFile::NoError;
}

/// Writes a pcap of `frames` IPv4 ESP frames (IP protocol 50, encrypted: no TCP to be seen) between two hosts.
inline bool writeEspOnly(const QString &path, int frames)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    auto le32 = [&f](std::uint32_t v) { f.write(reinterpret_cast<const char *>(&v), 4); }; // little-endian host
    for (std::uint32_t v : {0xa1b2c3d4u, 2u | (4u << 16), 0u, 0u, 128u, 1u}) // header: v2.4, snaplen 128, Ethernet
        le32(v);
    for (int i = 0; i < frames; ++i) {
        std::uint8_t b[14 + 20 + 8 + 32] = {};
        std::memset(b, 2, 12);
        b[12] = 0x08;
        std::uint8_t *ip = b + 14;
        ip[0] = 0x45;
        ip[3] = sizeof b - 14;
        ip[5] = std::uint8_t(i + 1);
        ip[6] = 0x40;
        ip[8] = 64;
        ip[9] = 50; // ESP
        const std::uint8_t a[4] = {192, 0, 2, 1}, z[4] = {198, 51, 100, 2};
        std::memcpy(ip + 12, i % 2 ? z : a, 4);
        std::memcpy(ip + 16, i % 2 ? a : z, 4);
        ip[20 + 3] = std::uint8_t(0x10 + i % 2); // SPI
        ip[20 + 7] = std::uint8_t(i / 2 + 1); // sequence number
        le32(1'700'000'000);
        le32(std::uint32_t(i) * 1000);
        le32(sizeof b);
        le32(sizeof b);
        f.write(reinterpret_cast<const char *>(b), sizeof b);
    }
    return f.error() == QFile::NoError;
}

/// True when a command-line tool is on the PATH.
inline bool haveTool(const char *name)
{
    return !QStandardPaths::findExecutable(QString::fromLatin1(name)).isEmpty();
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
