// SPDX-License-Identifier: GPL-3.0-or-later
// The page shown with no capture open: what the app does, "Open a capture…", the bundled demo captures
// (when installed) and recent files.
#pragma once

#include <QStringList>
#include <QWidget>

class QVBoxLayout;
class QLabel;

namespace ol {

class WelcomePage : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);

    /// Demo captures offered with one click; none hides the section.
    void setDemoFiles(const QStringList &paths);
    void setRecentFiles(const QStringList &paths);

signals:
    void openRequested();
    void filesRequested(const QStringList &paths);
    /// "Learn how offload shows in a capture" was clicked.
    void learnRequested();

private:
    void fillList(QVBoxLayout *layout, QLabel *heading, const QStringList &paths, bool withAllButton);

    QLabel *m_demoHeading;
    QWidget *m_learnButton;
    QVBoxLayout *m_demoList;
    QLabel *m_recentHeading;
    QVBoxLayout *m_recentList;
};

} // namespace ol
