// SPDX-License-Identifier: GPL-3.0-or-later
// Chart export, offscreen: PNG size and drawn pixels, SVG and PDF carrying the annotation text, CSV rows per
// plotted point, the bundled demo captures, and the exit codes of "offloadlens export" run as a process.
#include "annotationlayer.h"
#include "chartexport.h"
#include "chartseries.h"
#include "framesizechart.h"
#include "guitestutil.h"
#include "sequencechart.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>
#include <memory>

using namespace ol;
using namespace Qt::StringLiterals;

namespace {
const char *Sender = "gen_tso_on_gro_off_server.pcap"; // the same file as resources/demo/1-sender-with-tso.pcap
const QString NoteText = u"Marker note 4711"_s;

QString demoDir()
{
    return QStringLiteral(OFFLOADLENS_TEST_DATA "/../../resources/demo");
}
} // namespace

class TestExport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void pngHasTheRequestedSizeAndDrawsInsideThePlot_data();
    void pngHasTheRequestedSizeAndDrawsInsideThePlot();
    void svgParsesAndCarriesTheAnnotationText();
    void pdfStartsWithItsMagicAndCarriesTheAnnotationText();
    void csvHasOneRowPerPlottedPoint();
    void anUnknownFormatIsRefused();
    void demoCapturesAreBundledAndSmall();
    void exportCommandExitCodes_data();
    void exportCommandExitCodes();
    void exportCommandWritesADecodablePng();
    void compareAndLadderExportAsSvg_data();
    void compareAndLadderExportAsSvg();
    void compareCsvHasEverySegmentOfBothCaptures();
    void ladderCsvPairsTheSameSequenceNumbers();

private:
    std::shared_ptr<const Trace> m_trace;
    std::unique_ptr<FrameSizeChart> m_frames;
    std::unique_ptr<SequenceChart> m_sequence;
    AnnotationStore m_store;
    QTemporaryDir m_dir;
};

void TestExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_trace = test::loadFixture(Sender);
    QVERIFY(m_trace);
    auto series = std::make_shared<ChartSeries>();
    series->setConnection(m_trace, 0);
    m_frames = std::make_unique<FrameSizeChart>();
    m_sequence = std::make_unique<SequenceChart>();
    for (ChartBase *c : {static_cast<ChartBase *>(m_frames.get()), static_cast<ChartBase *>(m_sequence.get())}) {
        c->resize(1000, 600);
        c->show();
    }
    QVERIFY(QTest::qWaitForWindowExposed(m_frames.get()));
    m_frames->setSeries(series);
    m_sequence->setDirection(1);
    m_sequence->setSeries(series);
    auto *layer = new AnnotationLayer(m_frames.get(), Annotation::Chart::FrameSize, m_frames.get());
    layer->setStore(&m_store, nullptr);
    layer->addAutomaticAnnotations();
    Annotation note;
    note.chart = Annotation::Chart::FrameSize;
    note.connectionId = m_trace->connections[0]->id;
    note.textPos = QPointF(0.02, 30000);
    note.text = NoteText;
    m_store.add(note);
    QVERIFY(layer->textItem(m_store.annotations().last().id));
    QVERIFY(layer->drawnCount() >= 3); // largest super-segment, MSS line, the note
    m_frames->redecimate();
    m_sequence->redecimate();
}

void TestExport::cleanupTestCase()
{
    m_frames.reset();
    m_sequence.reset();
}

void TestExport::pngHasTheRequestedSizeAndDrawsInsideThePlot_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<double>("scale");
    QTest::newRow("screen size 900x500") << 900 << 500 << 1.0;
    QTest::newRow("print scale 2x of 640x400") << 640 << 400 << 2.0;
}

void TestExport::pngHasTheRequestedSizeAndDrawsInsideThePlot()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(double, scale);
    const QString path = m_dir.filePath(u"frames-%1.png"_s.arg(width));
    QString error;
    QVERIFY2(exportChart(m_frames.get(), path, {width, height, scale, u"Title"_s}, &error), qPrintable(error));
    QImage image;
    QVERIFY(image.load(path, "PNG"));
    QCOMPARE(image.width(), qRound(width * scale));
    QCOMPARE(image.height(), qRound(height * scale));
    // The middle of the image lies inside the axis rect: data, grid and annotations differ from the background.
    const QRgb background = image.pixel(1, 1);
    int drawn = 0;
    for (int y = image.height() / 5; y < image.height() * 4 / 5; ++y)
        for (int x = image.width() / 5; x < image.width() * 4 / 5; ++x)
            drawn += image.pixel(x, y) != background;
    QVERIFY2(drawn > 500, qPrintable(u"only %1 drawn pixels"_s.arg(drawn)));
    // And the markers' colour is there, not only grey grid lines.
    int coloured = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            coloured += c.saturation() > 120 && c.value() > 80;
        }
    QVERIFY(coloured > 50);
}

void TestExport::svgParsesAndCarriesTheAnnotationText()
{
    const QString path = m_dir.filePath(u"frames.svg"_s);
    QString error;
    QVERIFY2(exportChart(m_frames.get(), path, {800, 500, 1, u"Frame sizes"_s}, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QString text;
    int elements = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement())
            ++elements;
        if (xml.isCharacters())
            text += xml.text();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(elements > 50);
    QVERIFY2(text.contains(NoteText), "the user's note is in the SVG");
    QVERIFY2(text.contains(u"45 × 1,448-byte segments"_s), "the automatic annotation is in the SVG");
    QVERIFY(text.contains(u"Frame sizes"_s));
}

void TestExport::pdfStartsWithItsMagicAndCarriesTheAnnotationText()
{
    const QString path = m_dir.filePath(u"frames.pdf"_s);
    QString error;
    QVERIFY2(exportChart(m_frames.get(), path, {800, 500, 1, u"Frame sizes"_s}, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(4), QByteArray("%PDF"));
    OL_REQUIRE_TOOL(pdftotext, "pdftotext", "poppler-utils");
    QProcess p;
    p.start(pdftotext, {path, u"-"_s});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    const QString text = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(text.contains(NoteText), qPrintable(text.left(400)));
    QVERIFY(text.contains(u"Largest: 65,160 bytes"_s));
}

void TestExport::csvHasOneRowPerPlottedPoint()
{
    for (ChartBase *chart : {static_cast<ChartBase *>(m_frames.get()), static_cast<ChartBase *>(m_sequence.get())}) {
        int plotted = 0;
        for (int i = 0; i < chart->plot()->graphCount(); ++i)
            if (!chart->plot()->graph(i)->name().isEmpty())
                plotted += chart->plot()->graph(i)->dataCount();
        QVERIFY(plotted > 10);
        const QString path = m_dir.filePath(chart->accessibleName() + u".csv"_s);
        QString error;
        QVERIFY2(exportChart(chart, path, {}, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray("series,time_s,value,frame"));
        const auto rows = std::count_if(lines.begin() + 1, lines.end(),
                                        [](const QByteArray &l) { return !l.isEmpty(); });
        QCOMPARE(int(rows), plotted);
        QCOMPARE(plottedPointCount(chart), plotted);
    }
    // In the frame-size CSV the super-segments carry their frame numbers and sizes.
    QFile file(m_dir.filePath(m_frames->accessibleName() + u".csv"_s));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray csv = file.readAll();
    QVERIFY(csv.contains("send offload"));
    QVERIFY(csv.contains(",65160,"));
}

void TestExport::anUnknownFormatIsRefused()
{
    QString error;
    QVERIFY(!exportChart(m_frames.get(), m_dir.filePath(u"x.bmpx"_s), {}, &error));
    QVERIFY(error.contains(u".png"_s));
}

void TestExport::demoCapturesAreBundledAndSmall()
{
    const QDir dir(demoDir());
    const QStringList files = dir.entryList({u"*.pcap"_s}, QDir::Files, QDir::Name);
    QCOMPARE(
        files,
        QStringList({u"1-sender-with-tso.pcap"_s, u"2-receiver-of-that-transfer.pcap"_s, u"3-receiver-with-gro.pcap"_s,
                     u"4-no-offload.pcap"_s, u"5-pmtu-black-hole.pcap"_s, u"6-mss-clamped-receiver.pcap"_s}));
    qint64 total = 0;
    for (const QString &f : files)
        total += QFileInfo(dir.filePath(f)).size();
    QVERIFY(total < 1500 * 1000);
    QVERIFY(QFile::exists(dir.filePath(u"README.md"_s)));
}

void TestExport::exportCommandExitCodes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrContains");
    const QString capture = test::fixture(Sender);
    QTest::newRow("a PNG of the frame-size chart succeeds")
        << QStringList{u"--chart"_s, u"frame-size"_s, u"--out"_s, u"OUT/ok.png"_s, capture} << 0 << QString();
    QTest::newRow("an SVG of the sequence chart with annotations succeeds")
        << QStringList{u"--chart"_s, u"sequence"_s, u"--annotate"_s, u"--out"_s, u"OUT/ok.svg"_s, capture} << 0
        << QString();
    const QString client = test::fixture("gen_tso_on_gro_off_client.pcap");
    const QString shifted = test::fixture("gen_clockshift_server_shifted.pcap");
    QTest::newRow("a PNG of the compare chart of two captures succeeds")
        << QStringList{u"--chart"_s, u"compare"_s, u"--out"_s, u"OUT/c.png"_s, client, shifted} << 0 << QString();
    QTest::newRow("a PDF of the ladder of pair 0 succeeds")
        << QStringList{u"--chart"_s, u"ladder"_s, u"--connection"_s, u"0"_s, u"--out"_s, u"OUT/l.pdf"_s,
                       client,       shifted}
        << 0 << QString();
    QTest::newRow("ladder with one capture is bad usage")
        << QStringList{u"--chart"_s, u"ladder"_s, u"--out"_s, u"OUT/l.png"_s, capture} << 2 << u"two capture files"_s;
    QTest::newRow("compare with a missing pair is bad usage")
        << QStringList{u"--chart"_s, u"compare"_s, u"--connection"_s, u"7"_s, u"--out"_s, u"OUT/c.png"_s,
                       client,       shifted}
        << 2 << u"no pair 7"_s;
    QTest::newRow("an unknown chart is bad usage")
        << QStringList{u"--chart"_s, u"pie"_s, u"--out"_s, u"OUT/p.png"_s, capture} << 2 << u"unknown chart"_s;
    QTest::newRow("an unknown extension is bad usage")
        << QStringList{u"--chart"_s, u"frame-size"_s, u"--out"_s, u"OUT/x.gif"_s, capture} << 2 << u".png"_s;
    QTest::newRow("no capture is bad usage")
        << QStringList{u"--chart"_s, u"frame-size"_s, u"--out"_s, u"OUT/n.png"_s} << 2 << u"no capture"_s;
    QTest::newRow("a missing connection is bad usage")
        << QStringList{u"--chart"_s, u"frame-size"_s, u"--connection"_s, u"99"_s, u"--out"_s, u"OUT/m.png"_s, capture}
        << 2 << u"no connection 99"_s;
    QTest::newRow("a silly width is bad usage")
        << QStringList{u"--chart"_s, u"frame-size"_s, u"--width"_s, u"ten"_s, u"--out"_s, u"OUT/w.png"_s, capture} << 2
        << u"--width"_s;
    QTest::newRow("an unreadable capture fails naming it")
        << QStringList{u"--chart"_s, u"frame-size"_s, u"--out"_s, u"OUT/u.png"_s, u"OUT/missing.pcap"_s} << 1
        << u"missing.pcap"_s;
    QTest::newRow("an unwritable output fails naming it")
        << QStringList{u"--chart"_s, u"frame-size"_s, u"--out"_s, u"OUT/no/such/dir/x.png"_s, capture} << 1
        << u"x.png"_s;
    QTest::newRow("an existing output is not overwritten")
        << QStringList{u"--chart"_s, u"frame-size"_s, u"--out"_s, u"OUT/exists.png"_s, capture} << 1 << u"--force"_s;
    QTest::newRow("an existing output is overwritten with --force")
        << QStringList{u"--chart"_s, u"frame-size"_s, u"--force"_s, u"--out"_s, u"OUT/exists.png"_s, capture} << 0
        << QString();
}

void TestExport::exportCommandExitCodes()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrContains);
    QTemporaryDir out;
    QVERIFY(out.isValid());
    QFile existing(out.filePath(u"exists.png"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("not a png");
    existing.close();
    for (QString &a : arguments)
        a.replace(u"OUT/"_s, out.path() + u'/');
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.remove(u"QT_QPA_PLATFORM"_s); // the command must choose offscreen by itself
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(OFFLOADLENS_BINARY), QStringList{u"export"_s} + arguments);
    QVERIFY(p.waitForFinished(60000));
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == exitCode, qPrintable(u"exit %1, stderr: %2"_s.arg(p.exitCode()).arg(err)));
    if (!stderrContains.isEmpty())
        QVERIFY2(err.contains(stderrContains), qPrintable(err));
    if (exitCode == 0) {
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const QString written = arguments[arguments.indexOf(u"--out"_s) + 1];
        QVERIFY(QFileInfo(written).size() > 1000);
    } else if (arguments.contains(out.filePath(u"exists.png"_s))) {
        QVERIFY(existing.open(QIODevice::ReadOnly));
        QCOMPARE(existing.readAll(), QByteArray("not a png")); // untouched
    }
}

void TestExport::exportCommandWritesADecodablePng()
{
    QTemporaryDir out;
    const QString path = out.filePath(u"annotated.png"_s);
    QProcess p;
    p.start(QStringLiteral(OFFLOADLENS_BINARY),
            {u"export"_s, u"--chart"_s, u"frame-size"_s, u"--annotate"_s, u"--width"_s, u"700"_s, u"--height"_s,
             u"450"_s, u"--scale"_s, u"2"_s, u"--out"_s, path, test::fixture(Sender)});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QImage image(path);
    QCOMPARE(image.size(), QSize(1400, 900));
}

namespace {
/// Runs "offloadlens export ARGS" headless; the exit code (-1 when it did not finish).
int runExport(const QStringList &arguments, QString *err = nullptr)
{
    QProcess p;
    p.start(QStringLiteral(OFFLOADLENS_BINARY), QStringList{u"export"_s} + arguments);
    if (!p.waitForFinished(120000))
        return -1;
    if (err)
        *err = QString::fromLocal8Bit(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

/// CSV rows as lists of cells, header first.
QList<QStringList> readCsv(const QString &path)
{
    QFile f(path);
    QList<QStringList> rows;
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return rows;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (!line.isEmpty())
            rows << line.split(u',');
    }
    return rows;
}

/// `tshark -r capture -Y filter -T fields -e ...`: a row of fields per matching frame.
QList<QStringList> tsharkRows(const QString &tshark, const QString &capture, const QString &filter,
                              const QStringList &fields)
{
    QStringList args{u"-r"_s, capture, u"-n"_s, u"-Y"_s, filter, u"-T"_s, u"fields"_s, u"-E"_s, u"separator=/t"_s};
    for (const QString &f : fields)
        args << u"-e"_s << f;
    QProcess p;
    p.start(tshark, args);
    p.waitForFinished(60000);
    QList<QStringList> rows;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n'))
        if (!line.isEmpty())
            rows << QString::fromUtf8(line).split(u'\t');
    return rows;
}

/// tshark's fields for every frame of a capture, keyed by frame number.
QHash<QString, QStringList> tsharkByFrame(const QString &tshark, const QString &capture, const QStringList &fields)
{
    QHash<QString, QStringList> byFrame;
    for (const QStringList &row : tsharkRows(tshark, capture, u"frame"_s, QStringList{u"frame.number"_s} + fields))
        byFrame.insert(row.value(0), row.mid(1));
    return byFrame;
}

const QString DemoA = u"1-sender-with-tso.pcap"_s; // the server with TSO
const QString DemoB = u"2-receiver-of-that-transfer.pcap"_s; // the client, downstream of the wire
} // namespace

void TestExport::compareAndLadderExportAsSvg_data()
{
    QTest::addColumn<QString>("chart");
    QTest::newRow("the compare chart") << u"compare"_s;
    QTest::newRow("the ladder") << u"ladder"_s;
}

void TestExport::compareAndLadderExportAsSvg()
{
    QFETCH(QString, chart);
    const QString out = m_dir.filePath(chart + u".svg"_s);
    QString err;
    QCOMPARE(runExport({u"--chart"_s, chart, u"--force"_s, u"--out"_s, out, QDir(demoDir()).filePath(DemoA),
                        QDir(demoDir()).filePath(DemoB)},
                       &err),
             0);
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    int elements = 0;
    QString text;
    bool svgRoot = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            svgRoot = svgRoot || (elements == 0 && xml.name() == u"svg"_s);
            ++elements;
        }
        if (xml.isCharacters())
            text += xml.text();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(svgRoot);
    QVERIFY(elements > 50); // axes, ticks, lanes: a drawing, not an empty page
    QVERIFY2(text.contains(u"OffloadLens"_s), qPrintable(text.left(200)));
}

void TestExport::compareCsvHasEverySegmentOfBothCaptures()
{
    OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
    const QString a = QDir(demoDir()).filePath(DemoA), b = QDir(demoDir()).filePath(DemoB);
    const QString out = m_dir.filePath(u"compare.csv"_s);
    QString err;
    QCOMPARE(runExport({u"--chart"_s, u"compare"_s, u"--force"_s, u"--out"_s, out, a, b}, &err), 0);
    const QList<QStringList> rows = readCsv(out);
    QVERIFY(!rows.isEmpty());
    QCOMPARE(rows[0],
             u"side,time_s,aligned_time_s,frame,direction,payload,ip_length,class,retransmission,lost"_s.split(u','));
    // Each demo file holds this one connection only: every TCP frame tshark sees is a row, with tshark's time
    // since the first frame and TCP payload length.
    const QStringList fields{u"frame.time_relative"_s, u"tcp.len"_s};
    const QHash<QString, QStringList> framesA = tsharkByFrame(tshark, a, fields);
    const QHash<QString, QStringList> framesB = tsharkByFrame(tshark, b, fields);
    QVERIFY(framesA.size() > 100 && framesB.size() > 100);
    int seen[2] = {0, 0};
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QStringList &r = rows[i];
        QCOMPARE(r.size(), 10);
        const int side = r[0] == u"a"_s ? 0 : 1;
        ++seen[side];
        const QStringList t = (side == 0 ? framesA : framesB).value(r[3]);
        QVERIFY2(!t.isEmpty(), qPrintable(r.join(u',')));
        QVERIFY2(std::abs(r[1].toDouble() - t[0].toDouble()) < 1e-6, qPrintable(r.join(u',') + u" tshark "_s + t[0]));
        QCOMPARE(r[5], t[1]);
    }
    QCOMPARE(seen[0], int(framesA.size()));
    QCOMPARE(seen[1], int(framesB.size()));
}

void TestExport::ladderCsvPairsTheSameSequenceNumbers()
{
    OL_REQUIRE_TOOL(tshark, "tshark", "tshark");
    const QString a = QDir(demoDir()).filePath(DemoA), b = QDir(demoDir()).filePath(DemoB);
    const QString out = m_dir.filePath(u"ladder.csv"_s);
    QString err;
    QCOMPARE(runExport({u"--chart"_s, u"ladder"_s, u"--force"_s, u"--out"_s, out, a, b}, &err), 0);
    const QList<QStringList> rows = readCsv(out);
    QVERIFY(!rows.isEmpty());
    QCOMPARE(rows[0],
             u"direction,group,sender,a_first_frame,a_last_frame,b_first_frame,b_last_frame,a_time_s,b_time_s,"
             "delay_ms,bytes,lost"_s.split(u','));
    // No NAT and no sequence randomizer between the two points: a group starts with the same raw sequence number
    // at both (tshark's tcp.seq_raw), and its bytes are the sender's frames' tcp.len.
    const QStringList fields{u"tcp.seq_raw"_s, u"tcp.len"_s, u"tcp.srcport"_s};
    const QHash<QString, QStringList> framesA = tsharkByFrame(tshark, a, fields);
    const QHash<QString, QStringList> framesB = tsharkByFrame(tshark, b, fields);
    int both = 0, serverData = 0;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QStringList &r = rows[i];
        QCOMPARE(r.size(), 12);
        if (r[3].isEmpty() || r[5].isEmpty())
            continue;
        ++both;
        QCOMPARE(framesA.value(r[3]).value(0), framesB.value(r[5]).value(0));
        if (r[0] == u"s>c"_s && r[10].toLongLong() > 0) {
            ++serverData;
            QCOMPARE(r[3], r[4]); // the server's capture holds each super-segment as one frame ...
            QCOMPARE(r[10], framesA.value(r[3]).value(1)); // ... whose bytes the group carries
            QVERIFY(r[9].toDouble() >= 0); // and B sees it after A, once the clocks are aligned
        }
    }
    QVERIFY(both > 10);
    // Every data frame the server sent is the start of one group (tshark's count on A).
    const qsizetype sent = tsharkRows(tshark, a, u"tcp.srcport==8080 && tcp.len > 0"_s, {u"frame.number"_s}).size();
    QCOMPARE(serverData, int(sent));
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
