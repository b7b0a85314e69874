// SPDX-License-Identifier: GPL-3.0-or-later
// Annotations: JSON and sidecar round trips, the sidecar next to a capture (written on change, reloaded on
// open, the capture untouched), a damaged sidecar (warning, capture still opens, kept as .bak on the first
// change), undo/redo of add/move/delete, automatic annotations, and the Learn panel's "Show me".
#include "annotationlayer.h"
#include "annotationsessions.h"
#include "chartspanel.h"
#include "framesizechart.h"
#include "guitestutil.h"
#include "learnpanel.h"
#include "sequencechart.h"
#include "sessionfile.h"
#include "tracedocument.h"

#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using namespace ol;
using namespace Qt::StringLiterals;

namespace {
const char *Sender = "gen_tso_on_gro_off_server.pcap";

QByteArray sha(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

QList<Annotation> oneOfEachKind()
{
    Annotation note;
    note.text = u"a note"_s;
    note.textPos = QPointF(0.01, 2000);
    Annotation arrow;
    arrow.kind = Annotation::Kind::Arrow;
    arrow.direction = 1;
    arrow.frame = 12;
    arrow.text = u"an arrow, with \"quotes\"\nand two lines"_s;
    arrow.textPos = QPointF(0.02, 40000);
    arrow.automatic = true;
    Annotation range;
    range.kind = Annotation::Kind::TimeRange;
    range.chart = Annotation::Chart::Sequence;
    range.t0 = 0.005;
    range.t1 = 0.01;
    range.text = u"slow start"_s;
    range.textPos = QPointF(0.0075, 1e6);
    return {note, arrow, range};
}
} // namespace

class TestAnnotations : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void annotationsRoundTripThroughTheSidecar();
    void sidecarIsWrittenOnChangeAndReloadedWithTheCapture();
    void aDamagedSidecarWarnsAndTheCaptureStillOpens();
    void undoAndRedoReverseAddMoveAndDelete();
    void draggingANoteMovesItAsOneUndoStep();
    void pressingANoteThatIsNoLongerStoredDoesNothing();
    void rightClickOffersTheAnnotationActions();
    void automaticAnnotationsNameTheLargestSuperSegment();
    void showMeOpensTheDemoAndHighlightsTheSuperSegment();

private:
    void openAndWait(const QString &path);

    QTemporaryDir *m_dir = nullptr;
    QString m_capture;
    QWidget *m_window = nullptr;
    TraceDocument *m_doc = nullptr;
    ChartsPanel *m_charts = nullptr;
    AnnotationSessions *m_sessions = nullptr;
    AnnotationLayer *m_layer = nullptr;
};

void TestAnnotations::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    // A copy: sidecars are written next to the capture, never into the source tree.
    m_capture = m_dir->filePath(u"sender.pcap"_s);
    QVERIFY(QFile::copy(test::fixture(Sender), m_capture));
    m_window = new QWidget;
    m_window->resize(1100, 800);
    m_doc = new TraceDocument(m_window);
    m_charts = new ChartsPanel(m_doc, m_window);
    m_charts->resize(1000, 700);
    m_sessions = new AnnotationSessions(m_doc, m_window);
    m_layer = m_sessions->attach(m_charts->frameSizeChart(), Annotation::Chart::FrameSize);
    m_sessions->attach(m_charts->sequenceChart(), Annotation::Chart::Sequence);
    m_window->show();
}

void TestAnnotations::cleanup()
{
    delete m_window;
    m_window = nullptr;
    delete m_dir;
    m_dir = nullptr;
}

void TestAnnotations::openAndWait(const QString &path)
{
    QSignalSpy finished(m_doc, &TraceDocument::loadingFinished);
    m_doc->open({path});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(m_doc->currentConnection());
    QTRY_VERIFY(m_charts->frameSizeChart()->series());
}

void TestAnnotations::annotationsRoundTripThroughTheSidecar()
{
    Session session;
    session.annotations = oneOfEachKind();
    for (int i = 0; i < session.annotations.size(); ++i)
        session.annotations[i].id = quint64(i + 1);
    session.selectedConnection = 3;
    QString error;
    QVERIFY2(SessionFile::save(m_capture, session, false, &error), qPrintable(error));
    QVERIFY(QFile::exists(m_capture + u".offloadlens.json"_s));
    const SessionFile::LoadResult r = SessionFile::load(m_capture);
    QVERIFY(r.exists);
    QVERIFY(!r.damaged);
    QCOMPARE(r.skipped, 0);
    QCOMPARE(r.session.selectedConnection, qint64(3));
    QCOMPARE(r.session.annotations.size(), session.annotations.size());
    for (int i = 0; i < session.annotations.size(); ++i)
        QVERIFY2(r.session.annotations[i] == session.annotations[i], qPrintable(QString::number(i)));
}

void TestAnnotations::sidecarIsWrittenOnChangeAndReloadedWithTheCapture()
{
    const QByteArray before = sha(m_capture);
    openAndWait(m_capture);
    const QString sidecar = SessionFile::sidecarPath(m_capture);
    QVERIFY2(!QFile::exists(sidecar), "opening and browsing writes nothing");
    const QPointF centre = m_charts->frameSizeChart()->plot()->axisRect()->rect().center();
    const quint64 id = m_layer->addAnnotation(m_layer->noteAt(centre, u"remember this"_s));
    QVERIFY(id);
    QVERIFY(QFile::exists(sidecar));
    QCOMPARE(sha(m_capture), before); // the capture is never modified
    QCOMPARE(SessionFile::load(m_capture).session.selectedConnection, qint64(m_doc->currentConnection()->id));

    // Close and open again: the note comes back.
    m_doc->closeAll();
    QVERIFY(!m_layer->store());
    openAndWait(m_capture);
    QVERIFY(m_sessions->currentStore());
    QCOMPARE(m_sessions->currentStore()->annotations().size(), 1);
    QCOMPARE(m_sessions->currentStore()->annotations().first().text, u"remember this"_s);
    QVERIFY(m_layer->textItem(m_sessions->currentStore()->annotations().first().id));
    QCOMPARE(sha(m_capture), before);
}

void TestAnnotations::aDamagedSidecarWarnsAndTheCaptureStillOpens()
{
    const QString sidecar = SessionFile::sidecarPath(m_capture);
    const QByteArray damaged = "{ \"format\": \"offloadlens-session\", \"annotations\": [ {";
    {
        QFile f(sidecar);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(damaged);
    }
    QSignalSpy warnings(m_sessions, &AnnotationSessions::warning);
    openAndWait(m_capture);
    QCOMPARE(m_doc->traceCount(), 1);
    QCOMPARE(warnings.count(), 1);
    QVERIFY(warnings.first().first().toString().contains(u"offloadlens.json"_s));
    QVERIFY(m_sessions->currentStore()->annotations().isEmpty());
    {
        QFile f(sidecar);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), damaged); // left in place until the user changes something
    }
    m_layer->addAutomaticAnnotations();
    QFile backup(sidecar + u".bak"_s);
    QVERIFY(backup.open(QIODevice::ReadOnly));
    QCOMPARE(backup.readAll(), damaged);
    const SessionFile::LoadResult r = SessionFile::load(m_capture);
    QVERIFY(!r.damaged);
    QVERIFY(!r.session.annotations.isEmpty());
}

void TestAnnotations::undoAndRedoReverseAddMoveAndDelete()
{
    openAndWait(m_capture);
    AnnotationStore *store = m_sessions->currentStore();
    QUndoStack *stack = m_sessions->currentUndoStack();
    QVERIFY(store && stack);
    QCOMPARE(m_sessions->undoGroup()->activeStack(), stack);
    const QPointF centre = m_charts->frameSizeChart()->plot()->axisRect()->rect().center();
    const quint64 id = m_layer->addAnnotation(m_layer->noteAt(centre, u"undo me"_s));
    QCOMPARE(store->annotations().size(), 1);
    const QPointF start = store->find(id)->textPos;
    m_layer->moveAnnotation(id, start + QPointF(0.001, 1000));
    QCOMPARE(store->find(id)->textPos, start + QPointF(0.001, 1000));
    m_layer->editText(id, u"edited"_s);
    m_layer->removeAnnotation(id);
    QVERIFY(store->annotations().isEmpty());
    QCOMPARE(stack->count(), 4);

    stack->undo(); // delete
    QCOMPARE(store->find(id)->text, u"edited"_s);
    QVERIFY(m_layer->textItem(id));
    stack->undo(); // edit
    QCOMPARE(store->find(id)->text, u"undo me"_s);
    stack->undo(); // move
    QCOMPARE(store->find(id)->textPos, start);
    stack->undo(); // add
    QVERIFY(store->annotations().isEmpty());
    QVERIFY(!m_layer->textItem(id));

    stack->redo();
    stack->redo();
    QCOMPARE(store->find(id)->textPos, start + QPointF(0.001, 1000));
    stack->redo();
    stack->redo();
    QVERIFY(store->annotations().isEmpty());
    // The sidecar follows the last state.
    QVERIFY(SessionFile::load(m_capture).session.annotations.isEmpty());
}

void TestAnnotations::draggingANoteMovesItAsOneUndoStep()
{
    openAndWait(m_capture);
    QCustomPlot *plot = m_charts->frameSizeChart()->plot();
    QTRY_VERIFY(plot->axisRect()->width() > 300);
    const QPoint centre = plot->axisRect()->rect().center();
    const quint64 id = m_layer->addAnnotation(m_layer->noteAt(QPointF(centre.x(), centre.y() + 80), u"drag me"_s));
    plot->replot(QCustomPlot::rpImmediateRefresh);
    QCPItemText *item = m_layer->textItem(id);
    QVERIFY(item);
    const QPoint grab = ((item->topLeft->pixelPosition() + item->bottomRight->pixelPosition()) / 2).toPoint();
    QCOMPARE(m_layer->annotationAt(grab), id);
    const QPointF before = m_sessions->currentStore()->find(id)->textPos;
    const int steps = m_sessions->currentUndoStack()->count();
    QTest::mousePress(plot, Qt::LeftButton, {}, grab);
    QTest::mouseMove(plot, grab + QPoint(40, -30));
    QTest::mouseMove(plot, grab + QPoint(80, -60));
    QTest::mouseRelease(plot, Qt::LeftButton, {}, grab + QPoint(80, -60));
    const QPointF after = m_sessions->currentStore()->find(id)->textPos;
    QVERIFY(after.x() > before.x());
    QVERIFY(after.y() > before.y()); // up on screen is more bytes
    QCOMPARE(m_sessions->currentUndoStack()->count(), steps + 1);
    m_sessions->currentUndoStack()->undo();
    QCOMPARE(m_sessions->currentStore()->find(id)->textPos, before);
    // Delete removes the selected note.
    plot->replot(QCustomPlot::rpImmediateRefresh);
    QCPItemText *moved = m_layer->textItem(id);
    QTest::mouseClick(plot, Qt::LeftButton, {},
                      ((moved->topLeft->pixelPosition() + moved->bottomRight->pixelPosition()) / 2).toPoint());
    QTest::keyClick(plot, Qt::Key_Delete);
    QVERIFY(!m_sessions->currentStore()->find(id));
}

void TestAnnotations::pressingANoteThatIsNoLongerStoredDoesNothing()
{
    openAndWait(m_capture);
    QCustomPlot *plot = m_charts->frameSizeChart()->plot();
    QTRY_VERIFY(plot->axisRect()->width() > 300);
    const QPoint centre = plot->axisRect()->rect().center();
    const quint64 id = m_layer->addAnnotation(m_layer->noteAt(QPointF(centre), u"soon gone"_s));
    plot->replot(QCustomPlot::rpImmediateRefresh);
    QCPItemText *item = m_layer->textItem(id);
    QVERIFY(item);
    const QPoint grab = ((item->topLeft->pixelPosition() + item->bottomRight->pixelPosition()) / 2).toPoint();
    QCOMPARE(m_layer->annotationAt(grab), id);
    // The store loses the note without telling the layer: its text is still drawn where the press lands.
    {
        const QSignalBlocker quiet(m_sessions->currentStore());
        QVERIFY(m_sessions->currentStore()->remove(id));
    }
    QCOMPARE(m_layer->annotationAt(grab), id);
    QTest::mousePress(plot, Qt::LeftButton, {}, grab);
    QTest::mouseMove(plot, grab + QPoint(40, -30));
    QTest::mouseRelease(plot, Qt::LeftButton, {}, grab + QPoint(40, -30));
    QVERIFY(!m_sessions->currentStore()->find(id));
}

void TestAnnotations::rightClickOffersTheAnnotationActions()
{
    openAndWait(m_capture);
    QCustomPlot *plot = m_charts->frameSizeChart()->plot();
    QTRY_VERIFY(plot->axisRect()->width() > 300);
    QStringList texts;
    QTimer::singleShot(200, this, [&texts] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        for (QAction *a : menu->actions())
            if (!a->isSeparator())
                texts << a->text().remove(u'&') + (a->isEnabled() ? QString() : u" (disabled)"_s);
        menu->close();
    });
    const QPoint p = plot->axisRect()->rect().center();
    QTest::mousePress(plot, Qt::RightButton, {}, p);
    QTest::mouseRelease(plot, Qt::RightButton, {}, p);
    QVERIFY2(texts.contains(u"Add Note Here…"_s), qPrintable(texts.join(u" | "_s)));
    QVERIFY(texts.contains(u"Annotate Time Range…"_s));
    QVERIFY(texts.contains(u"Add Automatic Annotations"_s));
    QVERIFY(texts.contains(u"Export Chart…"_s));
    QVERIFY(std::any_of(texts.begin(), texts.end(), [](const QString &t) { return t.startsWith(u"Add Arrow"_s); }));
    QVERIFY(m_sessions->currentStore()->annotations().isEmpty()); // a closed menu changes nothing
}

void TestAnnotations::automaticAnnotationsNameTheLargestSuperSegment()
{
    openAndWait(m_capture);
    m_sessions->addAutomaticAnnotations();
    QCOMPARE(m_sessions->currentUndoStack()->count(), 1); // one step for both charts
    QStringList texts;
    for (const Annotation &a : m_sessions->currentStore()->annotations())
        texts << a.text;
    const QString all = texts.join(u'|');
    QVERIFY2(all.contains(u"65,160 bytes = 45 × 1,448-byte segments"_s), qPrintable(all));
    QVERIFY2(all.contains(u"MSS 1,460 − 12 bytes of options = 1,448"_s), qPrintable(all));
    const int count = m_sessions->currentStore()->annotations().size();
    m_sessions->addAutomaticAnnotations(); // replaces, does not pile up
    QCOMPARE(m_sessions->currentStore()->annotations().size(), count);
    QVERIFY(m_layer->drawnCount() >= 2);
}

void TestAnnotations::showMeOpensTheDemoAndHighlightsTheSuperSegment()
{
    const QDir demo(QStringLiteral(OFFLOADLENS_TEST_DATA "/../../resources/demo"));
    // The demo folder is read-only for this test: copy it so that nothing is written into the source tree.
    QStringList demos;
    for (const QString &f : demo.entryList({u"*.pcap"_s}, QDir::Files, QDir::Name)) {
        QVERIFY(QFile::copy(demo.filePath(f), m_dir->filePath(f)));
        demos << m_dir->filePath(f);
    }
    QCOMPARE(demos.size(), 6); // resources/demo: 1-4 offload, 5-6 problems (lesson 8)
    LearnPanel learn(m_doc, m_sessions);
    learn.setDemoFiles(demos);
    QCOMPARE(learn.lessonCount(), 8);
    learn.setCurrentLesson(1); // TSO
    QVERIFY(learn.lessonText().contains(u"segmentation offload"_s));
    QSignalSpy shown(&learn, &LearnPanel::lessonShown);
    learn.showMe();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 20000);
    QVERIFY(QString::fromStdString(m_doc->currentTrace()->path).endsWith(u"1-sender-with-tso.pcap"_s));
    QVERIFY(m_doc->currentSegment().isValid());
    QTRY_VERIFY(m_layer->drawnCount() >= 1);
    QVERIFY(!QFile::exists(SessionFile::sidecarPath(demos.first()))); // highlights are not saved
    // Another capture does not inherit the highlights.
    m_doc->open({m_capture});
    QTRY_COMPARE_WITH_TIMEOUT(m_doc->traceCount(), 2, 20000);
    QTRY_COMPARE(m_layer->drawnCount(), 0);
}

QTEST_MAIN(TestAnnotations)
#include "tst_annotations.moc"
