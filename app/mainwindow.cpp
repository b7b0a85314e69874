// SPDX-License-Identifier: GPL-3.0-or-later
// The main window: pages, docks, menus and their wiring to the document (see mainwindow.h).
#include "mainwindow.h"

#include "annotationsessions.h"
#include "capturedialog.h"
#include "chartbase.h"
#include "chartspanel.h"
#include "comparepage.h"
#include "evidencepanel.h"
#include "exportactions.h"
#include "filelistpanel.h"
#include "framesizechart.h"
#include "learnpanel.h"
#include "loadprogresswidget.h"
#include "offloadtext.h"
#include "pairchart.h"
#include "problemspanel.h"
#include "qcp.h"
#include "sequencechart.h"
#include "welcomepage.h"
#include "workspacepage.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QUndoGroup>

#include <cstdio>
#include <utility>

#ifndef OFFLOADLENS_VERSION
#define OFFLOADLENS_VERSION "unknown"
#endif

namespace ol {

using namespace Qt::StringLiterals;

namespace {
constexpr int MaxRecent = 10;
const QString CaptureFilter = u"Captures (*.pcap *.pcapng *.cap *.pcap.gz);;All files (*)"_s;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_document(new TraceDocument(this))
    , m_stack(new QStackedWidget(this))
    , m_welcome(new WelcomePage(this))
    , m_workspace(new WorkspacePage(m_document, this))
    , m_compare(new ComparePage(this))
    , m_files(new FileListPanel(m_document, this))
    , m_evidence(new EvidencePanel(m_document, this))
    , m_filesDock(new QDockWidget(u"Files"_s, this))
    , m_evidenceDock(new QDockWidget(u"Evidence"_s, this))
    , m_sessions(new AnnotationSessions(m_document, this))
    , m_exports(new ExportActions(this, m_document, m_compare->model()))
    , m_learn(new LearnPanel(m_document, m_sessions, this))
    , m_learnDock(new QDockWidget(u"Learn"_s, this))
    , m_problems(new ProblemsPanel(m_document, this))
    , m_problemsDock(new QDockWidget(u"Problems"_s, this))
    , m_progress(new LoadProgressWidget(m_document, this))
    , m_status(new QLabel(this))
{
    setWindowTitle(u"OffloadLens"_s);
    setAcceptDrops(true);
    m_stack->addWidget(m_welcome);
    m_stack->addWidget(m_workspace);
    m_stack->addWidget(m_compare);
    setCentralWidget(m_stack);

    m_filesDock->setObjectName(u"filesDock"_s);
    m_filesDock->setWidget(m_files);
    m_evidenceDock->setObjectName(u"evidenceDock"_s);
    m_evidenceDock->setWidget(m_evidence);
    // Both docks on the right, the short file list above the explanation: the charts get the width.
    addDockWidget(Qt::RightDockWidgetArea, m_filesDock);
    addDockWidget(Qt::RightDockWidgetArea, m_evidenceDock);
    splitDockWidget(m_filesDock, m_evidenceDock, Qt::Vertical);
    // The lessons share the explanation's place; opening them raises their tab.
    m_learnDock->setObjectName(u"learnDock"_s);
    m_learnDock->setWidget(m_learn);
    addDockWidget(Qt::RightDockWidgetArea, m_learnDock);
    tabifyDockWidget(m_evidenceDock, m_learnDock);
    m_learnDock->hide();
    // What went wrong: beside the explanation; a selected problem zooms the charts to it.
    m_problemsDock->setObjectName(u"problemsDock"_s);
    m_problemsDock->setWidget(m_problems);
    addDockWidget(Qt::RightDockWidgetArea, m_problemsDock);
    tabifyDockWidget(m_evidenceDock, m_problemsDock);
    m_evidenceDock->raise();
    // The docks stay readable whatever opens: the main area gives way first (its charts wrap their legends and
    // cut their title), so that a large capture cannot squeeze the explanation to a word per line.
    for (QDockWidget *dock : {m_filesDock, m_evidenceDock, m_learnDock, m_problemsDock})
        dock->widget()->setMinimumWidth(minimumDockWidth());
    connect(m_problems, &ProblemsPanel::zoomRequested, m_workspace->charts(), &ChartsPanel::zoomToTime);
    // What is loaded and what is selected, always in view (a passing message covers it for its few seconds).
    m_status->setAccessibleName(u"Status"_s);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    for (auto signal : {&TraceDocument::currentTraceChanged, &TraceDocument::currentConnectionChanged,
                        &TraceDocument::traceAdded, &TraceDocument::traceRemoved})
        connect(m_document, signal, this, &MainWindow::updateStatus);
    connect(m_document, &TraceDocument::currentSegmentChanged, this, &MainWindow::updateStatus);

    m_sessions->attach(m_workspace->charts()->frameSizeChart(), Annotation::Chart::FrameSize);
    m_sessions->attach(m_workspace->charts()->sequenceChart(), Annotation::Chart::Sequence);
    connect(m_sessions, &AnnotationSessions::warning, this, [this](const QString &text) {
        if (m_quiet)
            std::fprintf(stderr, "offloadlens: %s\n", qPrintable(text));
        statusBar()->showMessage(text, 15000);
    });
    connect(m_sessions, &AnnotationSessions::exportRequested, m_exports, &ExportActions::exportChart);
    connect(m_compare, &ComparePage::exportRequested, m_exports, &ExportActions::exportPairChart);
    connect(m_exports, &ExportActions::saved, this,
            [this](const QString &text) { statusBar()->showMessage(text, 5000); });

    createMenus();

    connect(m_welcome, &WelcomePage::openRequested, this, &MainWindow::showOpenDialog);
    connect(m_welcome, &WelcomePage::filesRequested, this, &MainWindow::openFiles);
    connect(m_welcome, &WelcomePage::learnRequested, this, [this] { showLearn(); });
    connect(m_files, &FileListPanel::closeRequested, m_document, &TraceDocument::close);
    connect(m_document, &TraceDocument::loadFailed, this, &MainWindow::showLoadError);
    connect(m_document, &TraceDocument::loadCancelled, this, [this](const QString &path) {
        statusBar()->showMessage(u"Loading %1 cancelled"_s.arg(QFileInfo(path).fileName()), 5000);
    });
    connect(m_document, &TraceDocument::traceAdded, this, [this](int index) {
        addRecent(QString::fromStdString(m_document->trace(index)->path));
        updatePage();
    });
    connect(m_document, &TraceDocument::traceRemoved, this, &MainWindow::updatePage);
    connect(m_document, &TraceDocument::traceReplaced, this, &MainWindow::updateStatus);
    connect(m_document, &TraceDocument::loadingFinished, this, [this] {
        const QString first = std::exchange(m_showWhenLoaded, QString());
        if (const int index = first.isEmpty() ? -1 : m_document->indexOf(first); index >= 0)
            m_document->setCurrentTrace(index);
        if (m_comparePending)
            showCompare();
    });
    // A lesson shown on its demo chose the file to look at.
    connect(m_learn, &LearnPanel::lessonShown, this, [this] { m_showWhenLoaded.clear(); });
    connect(m_document, &TraceDocument::currentTraceChanged, this, [this] {
        const auto t = m_document->currentTrace();
        setWindowTitle(t ? QFileInfo(QString::fromStdString(t->path)).fileName() + u" — OffloadLens"_s
                         : u"OffloadLens"_s);
        m_closeAction->setEnabled(t != nullptr);
        m_exportFrames->setEnabled(t != nullptr);
        m_exportSequence->setEnabled(t != nullptr);
        m_exportReport->setEnabled(t != nullptr);
        m_exportPcapng->setEnabled(t != nullptr);
        m_autoAnnotate->setEnabled(t != nullptr);
    });

    // What View → Reset Layout goes back to: the docks where they were put above, the splitter's first sizes.
    m_defaultState = saveState(LayoutVersion);
    m_defaultSplitter = m_workspace->splitter()->saveState();
    setFirstStartGeometry();
    updateRecentMenu();
    updatePage();
    updateStatus();
}

QString MainWindow::statusText() const
{
    return m_status->text();
}

void MainWindow::updateStatus()
{
    const auto trace = m_document->currentTrace();
    if (!trace) {
        m_status->setText(
            u"No capture open: File → Open (Ctrl+O) or drop a file on the window. F1 opens the lessons."_s);
        return;
    }
    QStringList parts;
    if (m_document->traceCount() > 1)
        parts << u"%1 files open"_s.arg(m_document->traceCount());
    const std::size_t connections = trace->connections.size();
    parts << u"%1: %2 packets, %3 TCP connection%4"_s.arg(
        QFileInfo(QString::fromStdString(trace->path)).fileName(), text::thousands(trace->counts.packets),
        text::thousands(connections), connections == 1 ? QString() : u"s"_s);
    if (trace->partial)
        parts << text::partialText(*trace);
    if (const Connection *c = m_document->currentConnection()) {
        parts << u"connection #%1 (%2 ⇄ %3, %4 packets)"_s.arg(
            QString::number(c->id), text::fromStd(c->client.toString()), text::fromStd(c->server.toString()),
            text::thousands(c->packets));
        const SegmentRef ref = m_document->currentSegment();
        const auto &segments = ref.isValid() ? c->directions[ref.direction].segments : c->directions[0].segments;
        if (ref.isValid() && ref.index < qint64(segments.size())) {
            const Segment &seg = segments[std::size_t(ref.index)];
            parts << u"frame %1 selected (%2, %3 bytes of payload, %4)"_s.arg(
                QString::number(seg.frame), text::directionName(ref.direction), text::thousands(seg.payload),
                text::className(seg.segmentClass()));
        } else {
            parts << u"click a point in a chart to explain it"_s;
        }
    } else if (connections == 0) {
        parts << u"nothing to chart"_s;
    }
    m_status->setText(parts.join(u" · "_s));
}

MainWindow::~MainWindow() = default;

CaptureDialog *MainWindow::showCaptureDialog(const QString &startOnInterface)
{
    if (!m_captureDialog) {
        m_captureDialog = new CaptureDialog(m_document, this);
        // Beside the charts, not over them: the lower right corner of the window.
        m_captureDialog->adjustSize();
        const QRect g = geometry();
        m_captureDialog->move(g.right() - m_captureDialog->width() - 40, g.bottom() - m_captureDialog->height() - 60);
    }
    m_captureDialog->show();
    m_captureDialog->raise();
    if (!startOnInterface.isEmpty())
        m_captureDialog->startOn(startOnInterface);
    return m_captureDialog;
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(u"&File"_s);
    QAction *open = file->addAction(u"&Open…"_s, this, &MainWindow::showOpenDialog);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(u"Open &Recent"_s);
    QAction *compare = file->addAction(u"Com&pare Two Traces…"_s, this, &MainWindow::showCompareDialog);
    compare->setShortcut(u"Ctrl+Shift+O"_s);
    compare->setToolTip(u"Open a client-side and a server-side capture of the same connections side by side"_s);
    QAction *capture = file->addAction(u"Capture &Live…"_s, this, [this] { showCaptureDialog(); });
    capture->setShortcut(u"Ctrl+Shift+L"_s);
    capture->setToolTip(u"Capture on an interface of this host and see its traffic and offload settings live"_s);
    m_closeAction = file->addAction(u"&Close"_s, this, [this] { m_document->close(m_document->currentTraceIndex()); });
    m_closeAction->setShortcut(QKeySequence::Close);
    m_closeAction->setEnabled(false);
    file->addSeparator();
    m_exportFrames = file->addAction(u"Export &Frame-Size Chart…"_s, this,
                                     [this] { m_exports->exportChart(m_workspace->charts()->frameSizeChart()); });
    // The lower chart as chosen: time-sequence, round-trip time, throughput, bytes in flight or window.
    m_exportSequence = file->addAction(u"Export &Lower Chart…"_s, this,
                                       [this] { m_exports->exportChart(m_workspace->charts()->lowerChart()); });
    m_exportSequence->setToolTip(u"Export the chart below the frame sizes (time-sequence or a stream graph)"_s);
    m_exportReport = file->addAction(u"Export &Report (JSON)…"_s, m_exports, &ExportActions::exportReport);
    m_exportPcapng = file->addAction(u"Export &Annotated pcapng for Wireshark…"_s, this,
                                     [this] { m_exports->exportAnnotatedPcapng(m_sessions->currentStore()); });
    m_exportPcapng->setToolTip(u"A copy of the capture with a comment on every frame OffloadLens classified or "
                               "you annotated, for Wireshark's packet list and Expert Info"_s);
    m_exportFrames->setShortcut(u"Ctrl+E"_s);
    m_exportSequence->setShortcut(u"Ctrl+Shift+E"_s);
    for (QAction *a : {m_exportFrames, m_exportSequence, m_exportReport, m_exportPcapng})
        a->setEnabled(false);
    file->addSeparator();
    QAction *quit = file->addAction(u"&Quit"_s, this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(u"&Edit"_s);
    QAction *undo = m_sessions->undoGroup()->createUndoAction(this, u"&Undo"_s);
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_sessions->undoGroup()->createRedoAction(this, u"&Redo"_s);
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    ChartsPanel *charts = m_workspace->charts();
    QMenu *view = menuBar()->addMenu(u"&View"_s);
    QAction *reset = view->addAction(u"&Reset Zoom"_s, charts, &ChartsPanel::resetZoom);
    reset->setShortcut(u"Ctrl+0"_s);
    m_wireAction = view->addAction(u"&Wire View"_s);
    m_wireAction->setCheckable(true);
    m_wireAction->setShortcut(u"Ctrl+Shift+W"_s);
    m_wireAction->setToolTip(u"Show send-offload super-segments as the segments the NIC put on the wire"_s);
    connect(m_wireAction, &QAction::toggled, charts, &ChartsPanel::setWireView);
    connect(charts, &ChartsPanel::wireViewChanged, m_wireAction, &QAction::setChecked);

    QMenu *yAxis = view->addMenu(u"&Y Axis"_s);
    m_yModeGroup = new QActionGroup(this);
    QAction *payload = yAxis->addAction(u"TCP &Payload"_s);
    QAction *ipLength = yAxis->addAction(u"&IP Length"_s);
    for (QAction *a : {payload, ipLength}) {
        a->setCheckable(true);
        m_yModeGroup->addAction(a);
    }
    payload->setChecked(true);
    connect(payload, &QAction::triggered, charts, [charts] { charts->setYMode(ChartSeries::YMode::Payload); });
    connect(ipLength, &QAction::triggered, charts, [charts] { charts->setYMode(ChartSeries::YMode::IpLength); });
    connect(charts, &ChartsPanel::yModeChanged, this, [payload, ipLength](ChartSeries::YMode mode) {
        (mode == ChartSeries::YMode::IpLength ? ipLength : payload)->setChecked(true);
    });
    m_autoAnnotate = view->addAction(u"Add &Automatic Annotations"_s, m_sessions,
                                     &AnnotationSessions::addAutomaticAnnotations);
    m_autoAnnotate->setToolTip(u"Mark the largest super-segment, the first retransmission and the MSS line"_s);
    m_autoAnnotate->setEnabled(false);
    m_compareAction = view->addAction(u"&Compare Page"_s);
    m_compareAction->setCheckable(true);
    m_compareAction->setShortcut(u"Ctrl+Shift+C"_s);
    m_compareAction->setEnabled(false);
    connect(m_compareAction, &QAction::toggled, this, [this](bool on) {
        // The docks explain one file; the Compare page gets the whole width, and they come back as they were.
        if (on && m_dockLayoutSet)
            m_dockState = saveState(LayoutVersion);
        m_stack->setCurrentWidget(on ? static_cast<QWidget *>(m_compare) : m_workspace);
        m_dockLayoutSet = !on;
        if (!on) {
            showWorkspaceDocks();
            return;
        }
        for (QDockWidget *dock : {m_filesDock, m_evidenceDock, m_problemsDock})
            dock->hide();
    });
    view->addSeparator();
    m_darkAction = view->addAction(u"&Dark Palette"_s);
    m_darkAction->setCheckable(true);
    m_darkAction->setShortcut(u"Ctrl+Shift+D"_s);
    connect(m_darkAction, &QAction::toggled, this, &MainWindow::setDarkPalette);
    view->addSeparator();
    // Alt+number shows or hides a dock, as panes are toggled in IDEs.
    int number = 1;
    for (QDockWidget *dock : {m_filesDock, m_evidenceDock, m_problemsDock}) {
        QAction *toggle = dock->toggleViewAction();
        toggle->setShortcut(QKeySequence(u"Alt+%1"_s.arg(number++)));
        view->addAction(toggle);
    }
    QAction *learn = m_learnDock->toggleViewAction();
    learn->setShortcut(QKeySequence::HelpContents);
    view->addAction(learn);
    QAction *resetLayout = view->addAction(u"Reset &Layout"_s, this, &MainWindow::resetLayout);
    resetLayout->setToolTip(u"Window size and docks as on the first start"_s);

    QMenu *help = menuBar()->addMenu(u"&Help"_s);
    help->addAction(u"&About OffloadLens"_s, this, &MainWindow::showAbout);
    help->addAction(u"About &Qt"_s, qApp, &QApplication::aboutQt);

    // Menus show each shortcut beside its item; tooltips (shown in the menus too) say it as well.
    for (QMenu *menu : {file, edit, view, yAxis, help}) {
        menu->setToolTipsVisible(true);
        for (QAction *a : menu->actions()) {
            const QString key = a->shortcut().toString(QKeySequence::NativeText);
            if (!key.isEmpty() && !a->toolTip().contains(key))
                a->setToolTip(u"%1 (%2)"_s.arg(a->toolTip(), key));
        }
    }
}

void MainWindow::openFiles(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    // Each file is shown as it loads; once they all have, the first one given is the one to look at (the
    // demos open on "1-sender-with-tso", not on the last of them).
    m_showWhenLoaded = paths.size() > 1 ? QFileInfo(paths.first()).absoluteFilePath() : QString();
    m_document->open(paths);
}

void MainWindow::setDemoFiles(const QStringList &paths)
{
    m_welcome->setDemoFiles(paths);
    m_learn->setDemoFiles(paths);
}

void MainWindow::showOpenDialog()
{
    QSettings settings;
    const QString dir = settings.value(u"lastDirectory"_s).toString();
    const QStringList paths = QFileDialog::getOpenFileNames(this, u"Open Captures"_s, dir, CaptureFilter);
    if (paths.isEmpty())
        return;
    settings.setValue(u"lastDirectory"_s, QFileInfo(paths.first()).absolutePath());
    openFiles(paths);
}

void MainWindow::showCompareDialog()
{
    if (m_document->traceCount() < 2) {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, u"Compare Two Traces (A, then B)"_s, QSettings().value(u"lastDirectory"_s).toString(), CaptureFilter);
        if (paths.size() + m_document->traceCount() < 2)
            return;
        openFiles(paths.mid(0, 2 - m_document->traceCount()));
    }
    showCompare();
}

void MainWindow::showCompare()
{
    // Files still loading: compare once they are in.
    m_comparePending = m_document->isLoading() || m_document->traceCount() < 2;
    if (m_comparePending)
        return;
    m_compare->setTraces(m_document->trace(0), m_document->trace(1));
    m_compareAction->setEnabled(true);
    m_compareAction->setChecked(true);
}

void MainWindow::showLoadError(const QString &path, const QString &error)
{
    // The core's error already starts with the path; name the file once, plainly.
    QString reason = error;
    if (reason.startsWith(path + u": "_s))
        reason = reason.mid(path.size() + 2);
    if (m_quiet) {
        std::fprintf(stderr, "offloadlens: %s: %s\n", qPrintable(path), qPrintable(reason));
        return;
    }
    auto *box = new QMessageBox(
        QMessageBox::Warning, u"Cannot open capture"_s,
        u"OffloadLens could not read <b>%1</b>."_s.arg(QFileInfo(path).fileName().toHtmlEscaped()), QMessageBox::Ok,
        this);
    box->setInformativeText(reason);
    box->setDetailedText(path);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal, does not block the loads still queued
    m_recent.removeAll(path);
    updateRecentMenu();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, u"About OffloadLens"_s,
        u"<h3>OffloadLens %1</h3>"_s
        u"<p>Frames bigger than the MTU, explained: TCP frame sizes against the MSS, and whether a capture was "_s
        u"taken on a host doing segmentation offload (LSO/TSO/GSO) or receive coalescing (LRO/GRO).</p>"_s
        u"<p>OffloadLens is free software under the GNU General Public License, version 3 or later "_s
        u"(GPL-3.0-or-later).</p><p>It uses:<br>QCustomPlot %2 — GPL-3.0<br>Qt %3 — LGPL-3.0<br>"_s
        u"libpcap — BSD license</p>"_s.arg(QString::fromLatin1(OFFLOADLENS_VERSION),
                                           QString::fromLatin1(QCUSTOMPLOT_VERSION_STR),
                                           QString::fromLatin1(qVersion())));
}

void MainWindow::addRecent(const QString &path)
{
    m_recent.removeAll(path);
    m_recent.prepend(path);
    while (m_recent.size() > MaxRecent)
        m_recent.removeLast();
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    for (const QString &path : std::as_const(m_recent)) {
        QAction *a = m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openFiles({path}); });
        a->setToolTip(path);
    }
    if (!m_recent.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(u"Clear List"_s, this, [this] {
            m_recent.clear();
            updateRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!m_recent.isEmpty());
    m_welcome->setRecentFiles(m_recent);
}

void MainWindow::setDarkPalette(bool dark)
{
    if (m_darkAction->isChecked() != dark) {
        m_darkAction->setChecked(dark); // re-enters through toggled
        return;
    }
    // Fusion draws both palettes faithfully; platform styles may ignore a dark palette.
    if (dark) {
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QPalette p;
        p.setColor(QPalette::Window, QColor(45, 47, 51));
        p.setColor(QPalette::WindowText, QColor(230, 230, 230));
        p.setColor(QPalette::Base, QColor(30, 32, 35));
        p.setColor(QPalette::AlternateBase, QColor(40, 42, 46));
        p.setColor(QPalette::Text, QColor(230, 230, 230));
        p.setColor(QPalette::Button, QColor(55, 57, 62));
        p.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        p.setColor(QPalette::Highlight, QColor(60, 120, 200));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::ToolTipBase, QColor(30, 32, 35));
        p.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
        p.setColor(QPalette::Link, QColor(110, 170, 255));
        p.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
        // Disabled labels and check boxes too (the chart options of a file without connections): without it
        // they kept the bright enabled text.
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
        QApplication::setPalette(p);
    } else {
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
}

void MainWindow::setWireView(bool on)
{
    m_workspace->charts()->setWireView(on);
}

void MainWindow::showLearn(int lesson)
{
    m_learnDock->show();
    m_learnDock->raise();
    if (lesson > 0) {
        m_learn->setCurrentLesson(lesson - 1);
        m_learn->showMe();
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    openFiles(paths);
    event->acceptProposedAction();
}

} // namespace ol
