// SPDX-License-Identifier: GPL-3.0-or-later
// The connection table of the current file with a filter by address or port; the selected row becomes the
// document's current connection.
#pragma once

#include "tracedocument.h"

#include <QWidget>

class QLineEdit;
class QMenu;
class QModelIndex;
class QSortFilterProxyModel;
class QTreeView;

namespace ol {

class ConnectionModel;

class ConnectionsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionsPanel(TraceDocument *document, QWidget *parent = nullptr);
    ConnectionModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QLineEdit *filterEdit() const { return m_filter; }
    QTreeView *view() const { return m_view; }
    /// The Wireshark actions for the connection in a row of the view (the context menu; tests fill their own).
    void fillContextMenu(QMenu *menu, const QModelIndex &index) const;

private:
    void reload();
    void selectCurrent();

    TraceDocument *m_document;
    ConnectionModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTreeView *m_view;
};

} // namespace ol
