// SPDX-License-Identifier: GPL-3.0-or-later
// Test helpers: where fixtures live, and a small writer for synthetic frames and pcap files. Synthetic
// captures test exact field handling (byte orders, link types, damage); real-stack captures in tests/data
// test behaviour.
#pragma once

#include "toolcheck.h" // OL_REQUIRE_TOOL: every suite that runs an external tool checks it the same way

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <cstdint>
#include <vector>

namespace testutil {

inline QString dataFile(const QString &name)
{
    return QStringLiteral(OFFLOADLENS_TEST_DATA "/") + name;
}

/// A capture from ../shared/captures/public, or an empty string when that folder is absent.
inline QString sharedCapture(const QString &name)
{
    const QString p = QStringLiteral(OFFLOADLENS_SHARED_CAPTURES "/") + name;
    return QFile::exists(p) ? p : QString();
}

/// Public fixture copied into the repo, falling back to the shared folder.
inline QString publicCapture(const QString &name)
{
    const QString local = dataFile(QStringLiteral("public/") + name);
    return QFile::exists(local) ? local : sharedCapture(name);
}

// --- frame building (network byte order) ---------------------------------------------------------
inline void put16(QByteArray &b, std::uint16_t v)
{
    b.append(char(v >> 8));
    b.append(char(v & 0xff));
}
inline void put32(QByteArray &b, std::uint32_t v)
{
    put16(b, std::uint16_t(v >> 16));
    put16(b, std::uint16_t(v & 0xffff));
}

struct TcpSpec {
    std::uint32_t src = 0xC0000201; // 192.0.2.1
    std::uint32_t dst = 0xC6336402; // 198.51.100.2
    std::uint16_t sport = 40000, dport = 80;
    std::uint32_t seq = 1000, ack = 0;
    std::uint8_t flags = 0x10;
    std::uint16_t window = 65535;
    std::uint32_t payload = 0; // payload length claimed by the IP header
    std::uint32_t capturePayload = 0; // payload bytes actually written (headers-only captures write 0)
    QByteArray options; // raw TCP options, padded by the caller to a multiple of 4
    std::uint8_t ttl = 64;
    std::uint16_t ipId = 1;
    bool zeroIpLength = false;
};

inline QByteArray mssOption(std::uint16_t mss)
{
    QByteArray o;
    o.append(char(2));
    o.append(char(4));
    put16(o, mss);
    return o;
}

inline QByteArray timestampOption(std::uint32_t val, std::uint32_t ecr)
{
    QByteArray o;
    o.append(char(1));
    o.append(char(1));
    o.append(char(8));
    o.append(char(10));
    put32(o, val);
    put32(o, ecr);
    return o;
}

/// IPv4 + TCP bytes (checksums left zero unless computed by the caller).
inline QByteArray ipv4Tcp(const TcpSpec &s)
{
    QByteArray tcp;
    put16(tcp, s.sport);
    put16(tcp, s.dport);
    put32(tcp, s.seq);
    put32(tcp, s.ack);
    const int hl = 20 + s.options.size();
    tcp.append(char((hl / 4) << 4));
    tcp.append(char(s.flags));
    put16(tcp, s.window);
    put16(tcp, 0);
    put16(tcp, 0);
    tcp.append(s.options);
    tcp.append(QByteArray(int(s.capturePayload), 'x'));
    QByteArray ip;
    ip.append(char(0x45));
    ip.append(char(0));
    put16(ip, s.zeroIpLength ? 0 : std::uint16_t(20 + hl + s.payload));
    put16(ip, s.ipId);
    put16(ip, 0x4000);
    ip.append(char(s.ttl));
    ip.append(char(6));
    put16(ip, 0);
    put32(ip, s.src);
    put32(ip, s.dst);
    return ip + tcp;
}

inline QByteArray ethernet(const QByteArray &l3, std::uint16_t type = 0x0800)
{
    QByteArray e(12, '\x02');
    put16(e, type);
    return e + l3;
}

// --- pcap writing ---------------------------------------------------------------------------------
struct Record {
    std::int64_t sec = 0;
    std::uint32_t frac = 0; // micro- or nanoseconds, per the file
    QByteArray data;
    std::uint32_t origlen = 0; // 0 = data.size() + notCaptured
};

class PcapFile
{
public:
    PcapFile(int linkType, bool nano = false, bool bigEndian = false)
        : m_link(linkType)
        , m_nano(nano)
        , m_big(bigEndian)
    { }
    void add(std::int64_t sec, std::uint32_t frac, const QByteArray &data, std::uint32_t origlen = 0)
    {
        m_records.push_back({sec, frac, data, origlen ? origlen : std::uint32_t(data.size())});
    }
    QByteArray bytes() const
    {
        QByteArray b;
        w32(b, m_nano ? 0xA1B23C4D : 0xA1B2C3D4);
        w16(b, 2);
        w16(b, 4);
        w32(b, 0);
        w32(b, 0);
        w32(b, 262144);
        w32(b, std::uint32_t(m_link));
        for (const Record &r : m_records) {
            w32(b, std::uint32_t(r.sec));
            w32(b, r.frac);
            w32(b, std::uint32_t(r.data.size()));
            w32(b, r.origlen);
            b.append(r.data);
        }
        return b;
    }
    /// Writes the file into dir and returns its path.
    QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &extra = {}) const
    {
        const QString path = dir.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly)) {
            f.write(bytes());
            f.write(extra);
        }
        return path;
    }

private:
    void w32(QByteArray &b, std::uint32_t v) const
    {
        if (m_big)
            put32(b, v);
        else
            for (int i = 0; i < 4; ++i)
                b.append(char((v >> (8 * i)) & 0xff));
    }
    void w16(QByteArray &b, std::uint16_t v) const
    {
        if (m_big)
            put16(b, v);
        else {
            b.append(char(v & 0xff));
            b.append(char(v >> 8));
        }
    }
    int m_link;
    bool m_nano;
    bool m_big;
    std::vector<Record> m_records;
};

inline QString writeRaw(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(bytes);
    return path;
}

/// `tshark -r path -Y filter -T fields -e ...`: one row of fields per frame that matches.
inline QList<QStringList> tsharkFields(const QString &tshark, const QString &path, const QString &filter,
                                       const QStringList &fields)
{
    QStringList args{QStringLiteral("-r"),
                     path,
                     QStringLiteral("-n"),
                     QStringLiteral("-Y"),
                     filter,
                     QStringLiteral("-T"),
                     QStringLiteral("fields"),
                     QStringLiteral("-E"),
                     QStringLiteral("separator=/t")};
    for (const QString &f : fields)
        args << QStringLiteral("-e") << f;
    QProcess p;
    p.start(tshark, args);
    p.waitForFinished(60000);
    QList<QStringList> rows;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n'))
        if (!line.isEmpty())
            rows << QString::fromUtf8(line).split(QLatin1Char('\t'));
    return rows;
}

} // namespace testutil
