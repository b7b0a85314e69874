// SPDX-License-Identifier: GPL-3.0-or-later
// Wireshark beside OffloadLens, offscreen: "Open in Wireshark at Frame N" starts what PATH calls wireshark with
// -r FILE -g N (a stub that records its arguments stands in for the real GUI), is disabled with a tooltip when
// there is none, and the charts', connection table's and problem table's menus offer it with the display
// filters; the compare page's chart menu asks for an export.
#include "annotation.h"
#include "chartseries.h"
#include "comparechart.h"
#include "comparepage.h"
#include "connectionspanel.h"
#include "displayfilter.h"
#include "exportactions.h"
#include "framesizechart.h"
#include "guitestutil.h"
#include "problemspanel.h"
#include "tracedocument.h"
#include "wiresharkactions.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace ol;
using namespace Qt::StringLiterals;

namespace {

QString demo(const QString &name)
{
    return QStringLiteral(OFFLOADLENS_TEST_DATA "/../../resources/demo/") + name;
}

/// The action of a menu whose text starts with `prefix` (the & of the shortcut removed), or null.
QAction *findAction(const QMenu &menu, const QString &prefix)
{
    for (QAction *a : menu.actions())
        if (a->text().remove(u'&').startsWith(prefix))
            return a;
    return nullptr;
}

/// `tshark -r capture -Y filter -T fields -e field`: one value per matching frame.
QStringList tshark(const QString &tool, const QString &capture, const QString &filter, const QString &field)
{
    QProcess p;
    p.start(tool, {u"-r"_s, capture, u"-n"_s, u"-Y"_s, filter, u"-T"_s, u"fields"_s, u"-e"_s, field});
    p.waitForFinished(60000);
    return QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
}

} // namespace

class TestWireshark : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void openStartsWiresharkAtTheFrame();
    void withoutWiresharkTheActionIsDisabledAndSaysWhy();
    void chartMenuOpensTheSegmentUnderTheCursor();
    void connectionMenuCopiesAFilterTsharkAgreesWith();
    void problemMenuOpensItsFirstExampleFrame();
    void comparePageChartMenuAsksForAnExport();
    void theGuiWritesTheAnnotatedPcapngWithTheNotes();

private:
    /// Puts a stub "wireshark" first on PATH that writes its arguments, one a line, to m_argsFile.
    void useStub();
    /// The arguments the stub was started with (waits for it).
    QStringList stubArguments();

    QTemporaryDir m_dir;
    QString m_argsFile;
    QByteArray m_path;
};

void TestWireshark::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = qgetenv("PATH");
    m_argsFile = m_dir.filePath(u"args.txt"_s);
    QDir().mkpath(m_dir.filePath(u"bin"_s));
    QDir().mkpath(m_dir.filePath(u"empty"_s));
    QFile stub(m_dir.filePath(u"bin/wireshark"_s));
    QVERIFY(stub.open(QIODevice::WriteOnly));
    stub.write("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + m_argsFile.toUtf8() + ".tmp\"\nmv \"" + m_argsFile.toUtf8()
               + ".tmp\" \"" + m_argsFile.toUtf8() + "\"\n");
    stub.close();
    QVERIFY(stub.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
}

void TestWireshark::useStub()
{
    QFile::remove(m_argsFile);
    qputenv("PATH", m_dir.filePath(u"bin"_s).toLocal8Bit() + ":" + m_path);
}

QStringList TestWireshark::stubArguments()
{
    // The stub runs detached: wait for the file it renames into place when it has written it.
    for (int i = 0; i < 200 && !QFile::exists(m_argsFile); ++i)
        QTest::qWait(50);
    QFile f(m_argsFile);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

void TestWireshark::openStartsWiresharkAtTheFrame()
{
    useStub();
    QCOMPARE(wireshark::executable(), m_dir.filePath(u"bin/wireshark"_s));
    const QString capture = demo(u"1-sender-with-tso.pcap"_s);
    QVERIFY(wireshark::open(capture, 42));
    QCOMPARE(stubArguments(), (QStringList{u"-r"_s, capture, u"-g"_s, u"42"_s}));
}

void TestWireshark::withoutWiresharkTheActionIsDisabledAndSaysWhy()
{
    qputenv("PATH", m_dir.filePath(u"empty"_s).toLocal8Bit());
    QMenu menu;
    QAction *open = wireshark::addOpenAction(&menu, demo(u"1-sender-with-tso.pcap"_s), 7);
    qputenv("PATH", m_path);
    QVERIFY(!open->isEnabled());
    QVERIFY2(open->toolTip().contains(u"not installed"_s), qPrintable(open->toolTip()));
    QVERIFY(menu.toolTipsVisible());
    QVERIFY(!wireshark::open(demo(u"1-sender-with-tso.pcap"_s), 0));
}

void TestWireshark::chartMenuOpensTheSegmentUnderTheCursor()
{
    OL_REQUIRE_TOOL(tool, "tshark", "tshark");
    useStub();
    const QString capture = demo(u"1-sender-with-tso.pcap"_s);
    const LoadResult loaded = loadTrace(capture.toStdString());
    QVERIFY(loaded.trace);
    std::shared_ptr<const Trace> trace = loaded.trace;
    FrameSizeChart chart;
    chart.resize(800, 400);
    auto series = std::make_shared<ChartSeries>();
    series->setConnection(trace, 0);
    chart.setSeries(series);
    // The segment under the cursor: the largest of the server's.
    const auto &segments = trace->connections[0]->directions[1].segments;
    std::size_t largest = 0;
    for (std::size_t i = 0; i < segments.size(); ++i)
        if (segments[i].payload > segments[largest].payload)
            largest = i;
    QMenu menu;
    wireshark::addChartActions(&menu, &chart, SegmentRef{1, qint64(largest)});
    QAction *open = findAction(menu, u"Open in Wireshark at Frame "_s);
    QVERIFY(open);
    QVERIFY2(open->isEnabled(), qPrintable(open->toolTip()));
    open->trigger();
    const QStringList args = stubArguments();
    QCOMPARE(args.size(), 4);
    QCOMPARE(args[1], capture);
    // tshark: the frame it opens at carries the largest TCP payload of the capture.
    const QStringList lengths = tshark(tool, capture, u"frame.number == "_s + args[3], u"tcp.len"_s);
    QCOMPARE(lengths.size(), 1);
    int max = 0;
    for (const QString &l : tshark(tool, capture, u"tcp"_s, u"tcp.len"_s))
        max = std::max(max, l.toInt());
    QCOMPARE(lengths[0].toInt(), max);
    QVERIFY(findAction(menu, u"Copy Display Filter"_s));
    QVERIFY(findAction(menu, u"Copy Display Filter for Oversized Segments"_s)->isEnabled());
    if (const QByteArray dir = qgetenv("OL_SCREENSHOTS"); !dir.isEmpty()) { // to look at, not compared
        menu.popup(QPoint(0, 0));
        menu.grab().save(QString::fromLocal8Bit(dir) + u"/wireshark-menu.png"_s);
        menu.hide();
    }
}

void TestWireshark::connectionMenuCopiesAFilterTsharkAgreesWith()
{
    OL_REQUIRE_TOOL(tool, "tshark", "tshark");
    useStub();
    const QString capture = demo(u"1-sender-with-tso.pcap"_s);
    TraceDocument doc;
    ConnectionsPanel panel(&doc);
    doc.open({capture});
    QTRY_COMPARE_WITH_TIMEOUT(doc.traceCount(), 1, 20000);
    doc.setCurrentTrace(0);
    QMenu menu;
    panel.fillContextMenu(&menu, panel.view()->model()->index(0, 0));
    QAction *open = findAction(menu, u"Open in Wireshark at Frame 1"_s); // the connection starts the capture
    QVERIFY(open && open->isEnabled());
    QAction *copy = findAction(menu, u"Copy Display Filter"_s);
    QVERIFY(copy);
    copy->trigger();
    const QString filter = QGuiApplication::clipboard()->text();
    QVERIFY2(filter.startsWith(u"ip.addr=="_s), qPrintable(filter));
    // capinfos: 484 packets, all of this one connection.
    QCOMPARE(tshark(tool, capture, filter, u"frame.number"_s).size(), 484);
    findAction(menu, u"Copy Display Filter for Oversized Segments"_s)->trigger();
    const QString oversized = QGuiApplication::clipboard()->text();
    QVERIFY2(oversized.startsWith(filter + u" && "_s), qPrintable(oversized));
    // tshark: the server's frames with more TCP payload than 1,448 bytes.
    QCOMPARE(tshark(tool, capture, oversized, u"frame.number"_s),
             tshark(tool, capture, u"tcp.len > 1448"_s, u"frame.number"_s));
}

void TestWireshark::problemMenuOpensItsFirstExampleFrame()
{
    useStub();
    TraceDocument doc;
    ProblemsPanel panel(&doc);
    doc.open({QStringLiteral(OFFLOADLENS_TEST_DATA "/problems_blackhole_server.pcap")});
    QTRY_COMPARE_WITH_TIMEOUT(doc.traceCount(), 1, 20000);
    doc.setCurrentTrace(0);
    QMenu menu;
    panel.fillContextMenu(&menu, 0);
    // tst_problemspanel: the black hole's first example frame is frame 8 (tshark).
    QAction *open = findAction(menu, u"Open in Wireshark at Frame 8"_s);
    QVERIFY(open && open->isEnabled());
    QVERIFY(findAction(menu, u"Copy Display Filter"_s));
    open->trigger();
    QCOMPARE(stubArguments().value(3), u"8"_s);
}

void TestWireshark::comparePageChartMenuAsksForAnExport()
{
    ComparePage page;
    const LoadResult a = loadTrace(demo(u"1-sender-with-tso.pcap"_s).toStdString());
    const LoadResult b = loadTrace(demo(u"2-receiver-of-that-transfer.pcap"_s).toStdString());
    QVERIFY(a.trace && b.trace);
    page.setTraces(a.trace, b.trace);
    QTRY_VERIFY_WITH_TIMEOUT(page.currentPair() == 0, 20000);
    QSignalSpy asked(&page, &ComparePage::exportRequested);
    QMenu menu;
    page.fillChartMenu(&menu, page.compareChart());
    QAction *exportChart = findAction(menu, u"Export Chart"_s);
    QVERIFY(exportChart && exportChart->isEnabled());
    exportChart->trigger();
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked.first().at(0).value<PairChart *>(), static_cast<PairChart *>(page.compareChart()));
}

void TestWireshark::theGuiWritesTheAnnotatedPcapngWithTheNotes()
{
    OL_REQUIRE_TOOL(tool, "tshark", "tshark");
    const QString capture = demo(u"1-sender-with-tso.pcap"_s);
    QWidget window;
    TraceDocument doc;
    doc.open({capture});
    QTRY_COMPARE_WITH_TIMEOUT(doc.traceCount(), 1, 20000);
    doc.setCurrentTrace(0);
    AnnotationStore store;
    Annotation note;
    note.connectionId = 0;
    note.direction = 1;
    note.frame = 30;
    note.text = u"a note for Wireshark"_s;
    store.add(note);
    ExportActions actions(&window, &doc);
    QSignalSpy saved(&actions, &ExportActions::saved);
    const QString out = m_dir.filePath(u"gui.pcapng"_s);
    actions.writeAnnotatedPcapng(out, &store);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
    QVERIFY2(saved.first().at(0).toString().contains(u"484 packets"_s), qPrintable(saved.first().at(0).toString()));
    QCOMPARE(tshark(tool, out, u"frame"_s, u"frame.number"_s).size(), 484); // capinfos: 484 packets
    QCOMPARE(tshark(tool, out, u"frame.comment contains \"a note for Wireshark\""_s, u"frame.number"_s),
             QStringList{u"30"_s});
    // Every frame tshark sees with more than the 1,448-byte MSS has its comment.
    QCOMPARE(tshark(tool, out, u"frame.comment contains \"send-offload\""_s, u"frame.number"_s),
             tshark(tool, capture, u"tcp.len > 1448"_s, u"frame.number"_s));
}

QTEST_MAIN(TestWireshark)
#include "tst_wireshark.moc"
