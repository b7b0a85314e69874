// SPDX-License-Identifier: GPL-3.0-or-later
// The command line: JSON report keys (the public contract), the text report, exit codes and errors.
#include "json.h"
#include "loader.h"
#include "report.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

#include <cstdio>

using namespace testutil;

class TestReport : public QObject
{
    Q_OBJECT

    struct Run {
        int exitCode = -1;
        QByteArray out, err;
    };
    static Run run(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        QProcess p;
        p.setProcessEnvironment(env);
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
        QCOMPARE(f.value("packets").toInt(), 44); // capinfos -c: 44 packets
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
        // The numbers come from tshark: the TCP payload lengths of every frame from port 8443, and the MSS
        // and timestamp option of the client's SYN (the MSS limiting the server, minus 12 bytes of
        // timestamps carried on every segment).
        OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
        const auto fields = [&](const QString &filter, const QStringList &names) {
            return testutil::tsharkFields(tshark, file, filter, names);
        };
        const QList<QStringList> syn = fields("tcp.flags.syn == 1 && tcp.flags.ack == 0",
                                              {"tcp.options.mss_val", "tcp.options.timestamp.tsval"});
        QCOMPARE(syn.size(), 1);
        const int perSegment = syn[0][0].toInt() - (syn[0].value(1).isEmpty() ? 0 : 12);
        qint64 payload = 0;
        int maxPayload = 0, oversized = 0;
        for (const QStringList &row : fields("tcp.srcport == 8443", {"tcp.len"})) {
            const int len = row[0].toInt();
            payload += len;
            maxPayload = std::max(maxPayload, len);
            oversized += len > perSegment ? 1 : 0;
        }
        QCOMPARE(f.value("packets").toInt(), int(fields("frame", {"frame.number"}).size()));
        QCOMPARE(s2c.value("payload_bytes").toInteger(), payload);
        QCOMPARE(s2c.value("max_payload").toInt(), maxPayload);
        QCOMPARE(s2c.value("oversized_segments").toInt(), oversized);
        QVERIFY(oversized > 0); // the point of this capture: a TSO sender
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
        QCOMPARE(f.value("packets").toInt(), 18); // public MANIFEST: tshark reads 18 records, then the damage
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

    void aLatin1FileNameStillGivesValidJson()
    {
        // A real capture under a name with byte 0xE9 (Latin-1 "e acute"), which is not UTF-8. The name is
        // made and passed through the shell's glob, so that no QString conversion touches the bytes.
        QTemporaryDir dir;
        const QByteArray name = QByteArray("caf\xe9.pcap");
        const QByteArray target = QFile::encodeName(dir.path()) + '/' + name;
        QVERIFY(QFile::copy(dataFile("gen_multi_server.pcap"), dir.filePath("plain.pcap")));
        QVERIFY(::rename(QFile::encodeName(dir.filePath("plain.pcap")).constData(), target.constData()) == 0);
        QProcess p;
        p.setWorkingDirectory(dir.path());
        p.start(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"), QStringLiteral("exec \"$0\" report --json caf*.pcap"),
                 QStringLiteral(OFFLOADLENS_BINARY)});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(p.readAllStandardOutput(), &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString()));
        const QJsonObject f = doc.object().value("files").toArray()[0].toObject();
        QCOMPARE(f.value("path").toString(), QStringLiteral("caf\uFFFD.pcap"));
        QCOMPARE(f.value("path_is_utf8").toBool(true), false);
        QCOMPARE(QByteArray::fromHex(f.value("path_hex").toString().toLatin1()), name);
    }

    void invalidUtf8IsReplacedAndValidUtf8Kept()
    {
        // Hand-made byte strings: é as UTF-8 (C3 A9) stays; a lone E9, an overlong "/" (C0 AF), a surrogate
        // (ED A0 80) and a truncated sequence (E2 82) become one U+FFFD per byte.
        QCOMPARE(ol::JsonWriter::escape("caf\xc3\xa9"), std::string("\"caf\xc3\xa9\""));
        QCOMPARE(ol::JsonWriter::escape("caf\xe9"), std::string("\"caf\\ufffd\""));
        QCOMPARE(ol::JsonWriter::escape("\xc0\xaf"), std::string("\"\\ufffd\\ufffd\""));
        QCOMPARE(ol::JsonWriter::escape("\xed\xa0\x80"), std::string("\"\\ufffd\\ufffd\\ufffd\""));
        QCOMPARE(ol::JsonWriter::escape("x\xe2\x82"), std::string("\"x\\ufffd\\ufffd\""));
        QVERIFY(ol::JsonWriter::isValidUtf8("\xf0\x9f\x98\x80")); // U+1F600
        QVERIFY(!ol::JsonWriter::isValidUtf8("\xf4\x90\x80\x80")); // above U+10FFFF
    }

    void firstTimeIsExact()
    {
        // capinfos prints the earliest packet time of a nanosecond capture with nine exact decimals; a double
        // holds only ~16 significant digits, so the report must format it from integer nanoseconds.
        OL_REQUIRE_TOOL(capinfos, "capinfos", "wireshark-common");
        const QString file = publicCapture("c09_http_nsec.pcap");
        QProcess ci;
        ci.start(capinfos, {"-a", "-T", "-r", "-S", file});
        QVERIFY(ci.waitForFinished(30000));
        const QByteArray expected = ci.readAllStandardOutput().trimmed().split('\t').last();
        QVERIFY2(expected.size() == 20, expected.constData()); // 10 digits, the point, 9 decimals
        const Run r = run({"report", "--json", file});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("\"first_time\": " + expected + ","), r.out.left(600).constData());
        QByteArray ns = expected;
        ns.remove(10, 1);
        QVERIFY(r.out.contains("\"first_time_ns\": " + ns + ","));
    }

    void anUnknownSubcommandIsAUsageError()
    {
        const Run r = run({"frobnicate", "--json"});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("'frobnicate'") && r.err.contains("report, export"), r.err.constData());
    }

    void theGuiWithoutADisplayIsAOneLineError()
    {
#ifndef OFFLOADLENS_HAVE_GUI
        QSKIP("built without the GUI");
#else
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QString::fromLatin1(v));
        for (const QStringList &args : {QStringList{}, QStringList{dataFile("gen_multi_server.pcap")}}) {
            const Run r = run(args, env);
            QCOMPARE(r.exitCode, 1); // and not a crash in the platform plugin
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(r.err.contains("offloadlens report"), r.err.constData());
        }
#endif
    }

    void theManPageDescribesEveryOptionOfHelp()
    {
        // The options are read from --help (and export --help in a GUI build), not listed here, so that a new
        // option without its manual entry fails.
        QFile man(QStringLiteral(OFFLOADLENS_TEST_DATA "/../../docs/offloadlens.1"));
        QVERIFY(man.open(QIODevice::ReadOnly));
        const QString page = QString::fromUtf8(man.readAll()).replace(QStringLiteral("\\-"), QStringLiteral("-"));
        QList<QStringList> helps = {{"--help"}, {"report", "--help"}};
#ifdef OFFLOADLENS_HAVE_GUI
        helps.append(QStringList{"export", "--help"});
#endif
        const QRegularExpression option(QStringLiteral("(?<![\\w-])(--?[a-z][a-z0-9-]*)"));
        const QRegularExpression optionInPage(QStringLiteral("(?<![\\w-])(--?[a-z][a-z0-9-]*)"));
        QSet<QString> described;
        for (auto it = optionInPage.globalMatch(page); it.hasNext();)
            described.insert(it.next().captured(1));
        int checked = 0;
        for (const QStringList &args : helps) {
            const Run r = run(args);
            QCOMPARE(r.exitCode, 0);
            QVERIFY(!r.out.isEmpty());
            for (auto it = option.globalMatch(QString::fromUtf8(r.out)); it.hasNext(); ++checked) {
                const QString o = it.next().captured(1);
                QVERIFY2(described.contains(o),
                         qPrintable(args.join(u' ') + QStringLiteral(" prints ") + o
                                    + QStringLiteral(", which docs/offloadlens.1 does not describe")));
            }
        }
        QVERIFY(checked >= 10);
        for (const char *sub : {".B report", ".B export", ".B help", "EXIT STATUS", "EXAMPLES", "FILES"})
            QVERIFY2(page.contains(QString::fromLatin1(sub)), sub);
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
