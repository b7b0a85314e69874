// SPDX-License-Identifier: GPL-3.0-or-later
// The list of open capture files with their verdict badges; selecting one makes it current.
#pragma once

#include "tracedocument.h"

#include <QWidget>

class QTreeView;

namespace ol {

class TraceListModel;

class FileListPanel : public QWidget
{
    Q_OBJECT
public:
    explicit FileListPanel(TraceDocument *document, QWidget *parent = nullptr);
    TraceListModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }

signals:
    void closeRequested(int traceIndex);

private:
    void reload();
    void selectCurrent();

    TraceDocument *m_document;
    TraceListModel *m_model;
    QTreeView *m_view;
};

} // namespace ol
