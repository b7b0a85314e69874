// SPDX-License-Identifier: GPL-3.0-or-later
// Test helpers for the reader: a pcapng builder (either byte order, several sections) and running the
// command-line tools (capinfos, gzip, zstd, lz4) that tell us what the world reads in a file.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace readerutil {

/// Builds pcapng blocks; each section may have its own byte order.
class PcapngBuilder
{
public:
    void section(bool bigEndian = false)
    {
        m_big = bigEndian;
        QByteArray b;
        w32(b, 0x1A2B3C4D);
        w16(b, 1);
        w16(b, 0);
        w32(b, 0xffffffff); // section length unknown
        w32(b, 0xffffffff);
        block(0x0A0D0D0A, b);
    }
    /// tsresol: the if_tsresol option byte, or -1 for none (microseconds).
    void interface(std::uint16_t linkType, std::uint32_t snaplen = 0, const QByteArray &name = {}, int tsresol = -1)
    {
        QByteArray b;
        w16(b, linkType);
        w16(b, 0);
        w32(b, snaplen);
        if (!name.isEmpty())
            option(b, 2, name);
        if (tsresol >= 0)
            option(b, 9, QByteArray(1, char(tsresol)));
        if (!name.isEmpty() || tsresol >= 0)
            w32(b, 0); // opt_endofopt
        block(1, b);
    }
    /// An Enhanced Packet Block; flags < 0: no epb_flags option.
    void packet(std::uint32_t interfaceId, std::uint64_t stamp, const QByteArray &data, std::int64_t flags = -1)
    {
        QByteArray b;
        w32(b, interfaceId);
        w32(b, std::uint32_t(stamp >> 32));
        w32(b, std::uint32_t(stamp));
        w32(b, std::uint32_t(data.size()));
        w32(b, std::uint32_t(data.size()));
        b.append(data);
        pad(b);
        if (flags >= 0) {
            QByteArray v;
            w32(v, std::uint32_t(flags));
            option(b, 2, v);
            w32(b, 0);
        }
        block(6, b);
    }
    const QByteArray &bytes() const { return m_bytes; }

private:
    void block(std::uint32_t type, QByteArray body)
    {
        pad(body);
        const std::uint32_t len = std::uint32_t(body.size()) + 12;
        w32(m_bytes, type);
        w32(m_bytes, len);
        m_bytes.append(body);
        w32(m_bytes, len);
    }
    void option(QByteArray &b, std::uint16_t code, const QByteArray &value)
    {
        w16(b, code);
        w16(b, std::uint16_t(value.size()));
        b.append(value);
        pad(b);
    }
    static void pad(QByteArray &b)
    {
        while (b.size() % 4)
            b.append('\0');
    }
    void w32(QByteArray &b, std::uint32_t v) const
    {
        for (int i = 0; i < 4; ++i)
            b.append(char((v >> (m_big ? 24 - 8 * i : 8 * i)) & 0xff));
    }
    void w16(QByteArray &b, std::uint16_t v) const
    {
        b.append(char(m_big ? v >> 8 : v & 0xff));
        b.append(char(m_big ? v & 0xff : v >> 8));
    }
    QByteArray m_bytes;
    bool m_big = false;
};

struct ToolRun {
    bool started = false;
    int exitCode = -1;
    QByteArray out;
};

inline ToolRun runTool(const QString &program, const QStringList &args, const QString &stdinFile = {},
                       const QString &stdoutFile = {})
{
    QProcess p;
    if (!stdinFile.isEmpty())
        p.setStandardInputFile(stdinFile);
    if (!stdoutFile.isEmpty())
        p.setStandardOutputFile(stdoutFile);
    p.start(program, args);
    ToolRun r;
    r.started = p.waitForStarted(20000);
    if (!r.started)
        return r;
    p.waitForFinished(120000);
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (stdoutFile.isEmpty())
        r.out = p.readAllStandardOutput();
    return r;
}

/// What capinfos says about a file: its type and packet count (count < 0 when it cannot read it).
struct Capinfos {
    bool ran = false;
    QString fileType;
    long long packets = -1;
};

inline Capinfos capinfos(const QString &path)
{
    Capinfos c;
    const ToolRun r = runTool(QStringLiteral("capinfos"), {"-M", "-t", "-c", path});
    c.ran = r.started;
    for (const QByteArray &line : r.out.split('\n')) {
        const QString l = QString::fromUtf8(line);
        if (l.startsWith("File type:"))
            c.fileType = l.mid(10).trimmed();
        else if (l.startsWith("Number of packets:") && r.exitCode == 0)
            c.packets = l.mid(18).trimmed().toLongLong();
    }
    return c;
}

/// Every capture file below dir (by name: .pcap, .pcapng, .cap and their .gz/.zst/.lz4 forms).
inline QStringList captureFiles(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, {"*.pcap", "*.pcapng", "*.cap", "*.gz", "*.zst", "*.lz4"}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    out.sort();
    return out;
}

} // namespace readerutil
