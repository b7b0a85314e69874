// SPDX-License-Identifier: GPL-3.0-or-later
// The command line: JSON report keys (the public contract), the text report, exit codes and errors.
#include "loader.h"
#include "report.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace testutil;

class TestReport : public QObject
{
    Q_OBJECT

    struct Run {
        int exitCode = -1;
        QByteArray out, err;
    };
    static Run run(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(OFFLOADLENS_BINARY), args);
        p.waitForFinished(60000);
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

private slots:
    void jsonReportHasTheContractKeys()
    {
        const QString file = publicCapture("a04_linux_http2_server_tso.pcap");
        const Run r = run({"report", "--json", "--quiet", file});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString()));
        const QJsonArray files = doc.object().value("files").toArray();
        QCOMPARE(files.size(), 1);
        const QJsonObject f = files[0].toObject();
        for (const char *key :
             {"path", "format", "link_types", "packets", "warnings", "capture_point", "offload", "connections"})
            QVERIFY2(f.contains(key), key);
        QCOMPARE(f.value("path").toString(), file);
        QCOMPARE(f.value("format").toString(), QStringLiteral("pcap"));
        QCOMPARE(f.value("link_types").toArray().first().toString(), QStringLiteral("EN10MB"));
        QCOMPARE(f.value("packets").toInt(), 44);
        const QJsonObject cp = f.value("capture_point").toObject();
        for (const char *key : {"host", "confidence", "evidence"})
            QVERIFY2(cp.contains(key), key);
        const QJsonArray conns = f.value("connections").toArray();
        QCOMPARE(conns.size(), 1);
        const QJsonObject c = conns[0].toObject();
        for (const char *key : {"id", "client", "server", "mss", "directions"})
            QVERIFY2(c.contains(key), key);
        QCOMPARE(c.value("client").toString(), QStringLiteral("172.16.5.1:49178"));
        QCOMPARE(c.value("server").toString(), QStringLiteral("172.16.5.10:8443"));
        const QJsonObject mss = c.value("mss").toObject();
        QCOMPARE(mss.value("client").toInt(), 1460);
        QCOMPARE(mss.value("server").toInt(), 1460);
        QCOMPARE(mss.value("inferred").toBool(), false);
        const QJsonArray dirs = c.value("directions").toArray();
        QCOMPARE(dirs.size(), 2);
        for (const auto &dv : dirs) {
            const QJsonObject d = dv.toObject();
            for (const char *key : {"from", "to", "segments", "payload_bytes", "max_payload", "oversized_segments",
                                    "retransmissions", "offload"})
                QVERIFY2(d.contains(key), key);
        }
        const QJsonObject s2c = dirs[1].toObject();
        QCOMPARE(s2c.value("from").toString(), QStringLiteral("172.16.5.10:8443"));
        QCOMPARE(s2c.value("payload_bytes").toInt(), 77552);
        QCOMPARE(s2c.value("max_payload").toInt(), 12998);
        QCOMPARE(s2c.value("oversized_segments").toInt(), 10);
    }

    void streamedJsonEqualsTheInMemoryDocument()
    {
        // The CLI writes the JSON as it is produced (bounded memory); it must be the same document.
        const QString file = dataFile("gen_multi_server.pcap");
        const Run r = run({"report", "--json", file});
        QCOMPARE(r.exitCode, 0);
        const ol::LoadResult loaded = ol::loadTrace(file.toStdString());
        QVERIFY(loaded.trace);
        QCOMPARE(r.out, QByteArray::fromStdString(ol::reportJson({loaded.trace.get()})));
    }

    void textReportIsReadable()
    {
        const Run r = run({"report", publicCapture("a04_linux_http2_server_tso.pcap")});
        QCOMPARE(r.exitCode, 0);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY(text.contains("Offload verdict:"));
        QVERIFY(text.contains("172.16.5.10:8443"));
        QVERIFY(r.err.isEmpty()); // no progress when stderr is not a terminal
    }

    void errorsAndUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrContains");
        QTest::newRow("a missing file exits 1 and names it")
            << QStringList{"report", "/nonexistent/trace.pcap"} << 1 << "/nonexistent/trace.pcap: ";
        QTest::newRow("a file that is not a capture exits 1")
            << QStringList{"report", QStringLiteral(OFFLOADLENS_TEST_DATA "/public/MANIFEST.md")} << 1
            << "not a pcap or pcapng file";
        QTest::newRow("no file is bad usage") << QStringList{"report"} << 2 << "no capture file";
        QTest::newRow("an unknown option is bad usage")
            << QStringList{"report", "--frobnicate", "x"} << 2 << "unknown option";
    }
    void errorsAndUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrContains);
        const Run r = run(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(stderrContains), r.err.constData());
        if (exitCode == 1)
            QCOMPARE(r.err.count('\n'), 1); // one line
    }

    void damagedFileStillReportsWithAWarning()
    {
        const Run r = run({"report", "--json", publicCapture("d02_smtp_corrupt_record_caplen.pcap")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject f = QJsonDocument::fromJson(r.out).object().value("files").toArray()[0].toObject();
        QCOMPARE(f.value("packets").toInt(), 18);
        const QJsonArray w = f.value("warnings").toArray();
        QVERIFY(!w.isEmpty());
        QCOMPARE(w[0].toObject().value("packet").toInt(), 19);
        QCOMPARE(w[0].toObject().value("kind").toString(), QStringLiteral("damaged"));
    }

    void twoCapturePointsAreAligned()
    {
        // The same transfer at the client and at the server, the server's clock moved 3.25 s ahead.
        const QString a = dataFile("gen_tso_on_gro_off_client.pcap");
        const QString b = dataFile("gen_clockshift_server_shifted.pcap");
        const Run r = run({"report", "--json", a, b});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        const QJsonArray pairs = root.value("alignment").toObject().value("pairs").toArray();
        QCOMPARE(pairs.size(), 1);
        const QJsonObject p = pairs[0].toObject();
        for (const char *key : {"a", "b", "nat", "clock_offset_s", "offset_uncertainty_s", "lost_between_points"})
            QVERIFY2(p.contains(key), key);
        QVERIFY(qAbs(p.value("clock_offset_s").toDouble() - 3.25) < 0.001);
        QCOMPARE(p.value("nat").toBool(), false);
        const Run text = run({"report", a, b});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("3.25"));
    }

    void twoFilesGiveTwoEntries()
    {
        const Run r = run({"report", "--json", publicCapture("a04_linux_http2_server_tso.pcap"),
                           publicCapture("c09_http_nsec.pcap")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("files").toArray().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
