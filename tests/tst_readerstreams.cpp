// SPDX-License-Identifier: GPL-3.0-or-later
// Reading from streams: gzip, zstd and lz4 files and standard input give the same trace and report as the
// plain file (capinfos and the compression CLIs are the reference).
#include "loader.h"
#include "readerutil.h"
#include "report.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace ol;
using namespace testutil;
using namespace readerutil;

class TestReaderStreams : public QObject
{
    Q_OBJECT

    static bool hasWarning(const Trace &t, const char *kind)
    {
        for (const auto &w : t.warnings)
            if (w.kind == kind)
                return true;
        return false;
    }

private slots:
    // --- compressed files and standard input read the same as the plain file ------------------------------
    void compressedMatchesPlain_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("tool");
        for (const char *file :
             {"gen_pcapng_client.pcapng", "gen_tso_on_gro_off_client.pcap", "public/c10_pcapng_2if_ether_sll.pcapng",
              "public/e27_pcapng_many_idb_types_vlan_ipv6.pcapng"})
            for (const char *tool : {"gzip", "zstd", "lz4"})
                QTest::newRow(qPrintable(QString::fromLatin1(file) + " through " + tool)) << file << tool;
    }
    void compressedMatchesPlain()
    {
        QFETCH(QString, file);
        QFETCH(QString, tool);
        const QString plain = file.startsWith("public/") ? publicCapture(file.mid(7)) : dataFile(file);
        if (plain.isEmpty())
            QSKIP("fixture not available");
        QTemporaryDir dir;
        const QString packed = dir.filePath("capture.bin"); // no telling suffix: detection is by magic
        OL_REQUIRE_TOOL(compressor, tool, tool); // gzip, zstd and lz4 are each their own Debian package
        const ToolRun t = runTool(compressor, {"-c", plain}, {}, packed);
        QVERIFY2(t.started, qPrintable(compressor));
        QCOMPARE(t.exitCode, 0);
        compareLoads(plain, packed);
    }

    void publicCompressedMatchDecompressed_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("tool");
        QTest::addColumn<int>("packets"); // capinfos
        QTest::newRow("e09 gzip pcap") << "e09_mpls_iperf_handshake.pcap.gz"
                                       << "gzip" << 10507;
        QTest::newRow("e28 zstd pcap") << "e28_sll_any_dup_unsw.pcap.zst"
                                       << "zstd" << 1000;
        QTest::newRow("e29 gzip pcapng") << "e29_http_head.pcapng.gz"
                                         << "gzip" << 10;
    }
    void publicCompressedMatchDecompressed()
    {
        QFETCH(QString, file);
        QFETCH(QString, tool);
        QFETCH(int, packets);
        const QString packed = publicCapture(file);
        if (packed.isEmpty())
            QSKIP("fixture not available");
        QTemporaryDir dir;
        const QString plain = dir.filePath("plain");
        OL_REQUIRE_TOOL(compressor, tool, tool);
        const ToolRun t = runTool(compressor, {"-dc", packed}, {}, plain);
        QVERIFY2(t.started, qPrintable(compressor));
        QCOMPARE(t.exitCode, 0);
        const LoadResult r = loadTrace(packed.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        QCOMPARE(int(r.trace->counts.packets), packets);
        compareLoads(plain, packed);
    }

    void truncatedCompressedDataKeepsThePacketsBeforeIt()
    {
        const QString plain = dataFile("gen_pcapng_client.pcapng");
        QTemporaryDir dir;
        const QString packed = dir.filePath("c.gz");
        OL_REQUIRE_TOOL(gzip, "gzip", "gzip");
        const ToolRun t = runTool(gzip, {"-c", plain}, {}, packed);
        QVERIFY2(t.started, qPrintable(gzip));
        QFile f(packed);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 2));
        f.close();
        const LoadResult r = loadTrace(packed.toStdString());
        QVERIFY2(r.trace, r.error.c_str());
        QVERIFY(r.trace->counts.packets > 0);
        QVERIFY(hasWarning(*r.trace, "truncated"));
    }

    void standardInputMatchesTheFile_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("gzipped");
        QTest::newRow("pcap") << "gen_tso_on_gro_off_client.pcap" << false;
        QTest::newRow("pcapng") << "gen_pcapng_client.pcapng" << false;
        QTest::newRow("gzip-compressed pcapng") << "gen_pcapng_client.pcapng" << true;
        QTest::newRow("multi-interface pcapng") << "public/c10_pcapng_2if_ether_sll.pcapng" << false;
    }
    void standardInputMatchesTheFile()
    {
        QFETCH(QString, file);
        QFETCH(bool, gzipped);
        const QString plain = file.startsWith("public/") ? publicCapture(file.mid(7)) : dataFile(file);
        if (plain.isEmpty())
            QSKIP("fixture not available");
        QTemporaryDir dir;
        QString input = plain;
        if (gzipped) {
            input = dir.filePath("in.gz");
            OL_REQUIRE_TOOL(gzip, "gzip", "gzip");
            QVERIFY2(runTool(gzip, {"-c", plain}, {}, input).started, qPrintable(gzip));
        }
        const ToolRun fromFile = runTool(QStringLiteral(OFFLOADLENS_BINARY), {"report", "--json", "--quiet", plain});
        const ToolRun fromStdin = runTool(QStringLiteral(OFFLOADLENS_BINARY), {"report", "--json", "--quiet", "-"},
                                          input);
        QCOMPARE(fromFile.exitCode, 0);
        QCOMPARE(fromStdin.exitCode, 0);
        QCOMPARE(withoutFileIdentity(fromStdin.out), withoutFileIdentity(fromFile.out));
    }

private:
    /// The report JSON without what differs between two copies of one capture: path and size on disk.
    static QByteArray withoutFileIdentity(const QByteArray &json)
    {
        QJsonObject doc = QJsonDocument::fromJson(json).object();
        QJsonArray files = doc.value("files").toArray();
        for (auto it = files.begin(); it != files.end(); ++it) {
            QJsonObject f = it->toObject();
            f.remove("path");
            f.remove("file_bytes");
            *it = f;
        }
        doc.insert("files", files);
        return QJsonDocument(doc).toJson();
    }
    static void compareLoads(const QString &a, const QString &b)
    {
        const LoadResult ra = loadTrace(a.toStdString());
        const LoadResult rb = loadTrace(b.toStdString());
        QVERIFY2(ra.trace && rb.trace, (ra.error + rb.error).c_str());
        const std::vector<const Trace *> ta{ra.trace.get()}, tb{rb.trace.get()};
        QCOMPARE(withoutFileIdentity(QByteArray::fromStdString(reportJson(tb))),
                 withoutFileIdentity(QByteArray::fromStdString(reportJson(ta))));
    }
};

QTEST_GUILESS_MAIN(TestReaderStreams)
#include "tst_readerstreams.moc"
