// SPDX-License-Identifier: GPL-3.0-or-later
// The main window: an orchestrator that arranges the pages and docks, owns the menus and wires them to the
// document. Analysis and drawing live in model/ and views/.
#pragma once

#include "tracedocument.h"

#include <QMainWindow>
#include <QStringList>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;

namespace ol {

class CaptureDialog;

class AnnotationSessions;
class ComparePage;
class EvidencePanel;
class ExportActions;
class FileListPanel;
class LearnPanel;
class ProblemsPanel;
class LoadProgressWidget;
class WelcomePage;
class WorkspacePage;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    TraceDocument *document() const { return m_document; }
    WorkspacePage *workspace() const { return m_workspace; }
    EvidencePanel *evidence() const { return m_evidence; }
    WelcomePage *welcome() const { return m_welcome; }
    AnnotationSessions *annotations() const { return m_sessions; }
    LearnPanel *learn() const { return m_learn; }
    ProblemsPanel *problems() const { return m_problems; }
    QDockWidget *problemsDock() const { return m_problemsDock; }
    ComparePage *comparePage() const { return m_compare; }
    /// The status bar's line: what is loaded and what is selected.
    QString statusText() const;
    /// The narrowest a dock gets, however wide the main area would like to be.
    int minimumDockWidth() const;

    /// Window geometry, dock layout, recent files and palette from the last session.
    void restoreSettings();
    /// View → Reset Layout: the first start's window size and dock layout.
    void resetLayout();
    /// Opens capture files (loading runs in the background).
    void openFiles(const QStringList &paths);
    /// File → Capture…: the live capture dialog (made on first use), shown; with an interface name, that
    /// interface is chosen and the capture started at once.
    CaptureDialog *showCaptureDialog(const QString &startOnInterface = QString());
    /// Demo captures offered on the welcome page.
    void setDemoFiles(const QStringList &paths);
    /// Errors go to stderr instead of message boxes, and nothing is written to the settings (screenshots, tests).
    void setQuiet(bool quiet) { m_quiet = quiet; }
    void setDarkPalette(bool dark);
    void setWireView(bool on);
    /// Opens the Learn panel; with a lesson number (1-based) also shows that lesson on its demo capture.
    void showLearn(int lesson = 0);
    /// Shows the Compare page for the first two open files (or, when fewer are open, once two have loaded).
    void showCompare();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // Saved with the dock layout; a layout of another version is not restored (version 1 saved the welcome
    // page's hidden docks). The layout functions live in mainwindowlayout.cpp.
    static constexpr int LayoutVersion = 2;

    void createMenus();
    void showOpenDialog();
    void showCompareDialog();
    void showAbout();
    void showLoadError(const QString &path, const QString &error);
    void addRecent(const QString &path);
    void updateRecentMenu();
    void updatePage();
    void updateStatus();
    void showWorkspaceDocks();
    void setFirstStartGeometry();
    /// The dock layout to save: the workspace's as it is, or as it was when another page took its place.
    QByteArray workspaceLayout() const;

    TraceDocument *m_document;
    QStackedWidget *m_stack;
    WelcomePage *m_welcome;
    WorkspacePage *m_workspace;
    ComparePage *m_compare;
    FileListPanel *m_files;
    EvidencePanel *m_evidence;
    QDockWidget *m_filesDock;
    QDockWidget *m_evidenceDock;
    AnnotationSessions *m_sessions;
    ExportActions *m_exports;
    LearnPanel *m_learn;
    QDockWidget *m_learnDock;
    ProblemsPanel *m_problems;
    QDockWidget *m_problemsDock;
    LoadProgressWidget *m_progress;
    QLabel *m_status;
    QMenu *m_recentMenu = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_exportFrames = nullptr;
    QAction *m_exportSequence = nullptr;
    QAction *m_exportReport = nullptr;
    QAction *m_exportPcapng = nullptr;
    QAction *m_autoAnnotate = nullptr;
    QAction *m_wireAction = nullptr;
    QAction *m_darkAction = nullptr;
    QAction *m_compareAction = nullptr;
    CaptureDialog *m_captureDialog = nullptr;
    QActionGroup *m_yModeGroup = nullptr;
    QStringList m_recent;
    QString m_showWhenLoaded; // of several files opened together, the first: shown once they have loaded
    QByteArray m_defaultState, m_defaultSplitter; // the first layout, for Reset Layout
    QByteArray m_dockState; // the workspace's docks to restore when it shows next

    bool m_quiet = false;
    bool m_pageShown = false;
    bool m_dockLayoutSet = false; // the workspace shows, its dock layout applied
    bool m_comparePending = false;
};

} // namespace ol
