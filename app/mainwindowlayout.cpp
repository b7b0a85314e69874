// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's layout (see mainwindow.h): the first start's size, the docks each page shows, and what is
// saved on close and restored on the next start (window geometry, dock layout, splitter, recent files, palette).
#include "mainwindow.h"

#include "chartspanel.h"
#include "comparepage.h"
#include "welcomepage.h"
#include "workspacepage.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>

namespace ol {

using namespace Qt::StringLiterals;

void MainWindow::setFirstStartGeometry()
{
    // Most of the screen the window opens on, centred, with room left for the desktop's panels.
    const QScreen *s = screen() ? screen() : QGuiApplication::primaryScreen();
    const QRect available = s ? s->availableGeometry() : QRect(0, 0, 1440, 900);
    const QSize size(available.width() * 92 / 100, available.height() * 90 / 100);
    resize(size);
    move(available.center() - QPoint(size.width() / 2, size.height() / 2));
}

void MainWindow::resetLayout()
{
    m_compareAction->setChecked(false);
    setWindowState(windowState() & ~(Qt::WindowMaximized | Qt::WindowFullScreen));
    setFirstStartGeometry();
    restoreState(m_defaultState, LayoutVersion);
    m_workspace->splitter()->restoreState(m_defaultSplitter);
    m_dockState.clear();
    m_dockLayoutSet = false;
    m_pageShown = false; // lays the page's docks out again
    updatePage();
}

QByteArray MainWindow::workspaceLayout() const
{
    // The docks as the user arranged them around the workspace; the welcome and Compare pages hide them.
    return m_stack->currentWidget() == m_workspace && m_dockLayoutSet ? saveState(LayoutVersion) : m_dockState;
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    m_recent = settings.value(u"recentFiles"_s).toStringList();
    updateRecentMenu();
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray()); // false on a first start: size kept
    // Applied when the workspace shows (updatePage): until a file is open the docks stay hidden.
    // Layouts of earlier versions were saved with the docks as the welcome page hides them: not restored.
    if (settings.value(u"window/stateVersion"_s).toInt() == LayoutVersion)
        m_dockState = settings.value(u"window/state"_s).toByteArray();
    m_workspace->splitter()->restoreState(settings.value(u"window/workspaceSplitter"_s).toByteArray());
    if (settings.value(u"view/dark"_s, false).toBool())
        setDarkPalette(true);
    updatePage();
}

int MainWindow::minimumDockWidth() const
{
    // 40 characters: an evidence sentence six words a line, a file name with its packet count.
    return fontMetrics().averageCharWidth() * 40;
}

void MainWindow::updatePage()
{
    const bool open = m_document->traceCount() > 0;
    m_compareAction->setEnabled(m_document->traceCount() >= 2 && m_compare->model()->traceA());
    if (!m_compareAction->isEnabled()) {
        const QSignalBlocker block(m_compareAction);
        m_compareAction->setChecked(false);
    }
    if (open && m_stack->currentWidget() == m_compare && m_document->traceCount() >= 2)
        return;
    QWidget *page = open ? static_cast<QWidget *>(m_workspace) : m_welcome;
    if (m_stack->currentWidget() == page && m_pageShown)
        return;
    m_pageShown = true;
    if (m_stack->currentWidget() == m_workspace && m_dockLayoutSet)
        m_dockState = saveState(LayoutVersion); // leaving the workspace: its docks come back as they are now
    m_stack->setCurrentWidget(page);
    m_dockLayoutSet = open;
    if (open) {
        showWorkspaceDocks();
        return;
    }
    // The docks explain an open file; on the welcome page they would only be empty frames.
    for (QDockWidget *dock : {m_filesDock, m_evidenceDock, m_problemsDock})
        dock->hide();
}

void MainWindow::showWorkspaceDocks()
{
    // As the user left them, in this session or the last one.
    if (!m_dockState.isEmpty() && restoreState(m_dockState, LayoutVersion))
        return;
    // The first layout, once the docks are visible: a short file list above a tall explanation.
    for (QDockWidget *dock : {m_filesDock, m_evidenceDock, m_problemsDock})
        dock->show();
    resizeDocks({m_evidenceDock}, {420}, Qt::Horizontal);
    // The file list shows six files (the demos) without scrolling.
    const int filesHeight = (fontMetrics().height() + 6) * 8;
    resizeDocks({m_filesDock, m_evidenceDock}, {filesHeight, height() - filesHeight}, Qt::Vertical);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_document->cancelLoading();
    if (!m_quiet) {
        QSettings settings;
        settings.setValue(u"window/geometry"_s, saveGeometry());
        settings.setValue(u"window/state"_s, workspaceLayout());
        settings.setValue(u"window/stateVersion"_s, LayoutVersion);
        settings.setValue(u"window/workspaceSplitter"_s, m_workspace->splitter()->saveState());
        settings.setValue(u"recentFiles"_s, m_recent);
        settings.setValue(u"view/dark"_s, m_darkAction->isChecked());
    }
    event->accept();
}

} // namespace ol
