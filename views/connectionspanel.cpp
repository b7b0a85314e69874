// SPDX-License-Identifier: GPL-3.0-or-later
// The connection table with its filter (see connectionspanel.h).
#include "connectionspanel.h"

#include "columnfit.h"

#include "connectionmodel.h"
#include "wiresharkactions.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace ol {

using namespace Qt::StringLiterals;

ConnectionsPanel::ConnectionsPanel(TraceDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_model(new ConnectionModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
{
    setAccessibleName(u"Connections"_s);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ConnectionModel::SortRole);
    m_proxy->setFilterRole(ConnectionModel::FilterRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(0);

    m_filter->setPlaceholderText(u"Filter by address or port, e.g. 10.0.0.2 or :443"_s);
    m_filter->setAccessibleName(u"Connection filter"_s);
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setModel(m_proxy);
    m_view->setAccessibleName(u"Connection table"_s);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->sortByColumn(ConnectionModel::IdColumn, Qt::AscendingOrder);
    m_view->header()->setStretchLastSection(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_document->setCurrentConnection(current.data(ConnectionModel::ConnectionIndexRole).toInt());
            });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(m_view);
        fillContextMenu(&menu, m_view->indexAt(pos));
        if (!menu.isEmpty())
            menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(document, &TraceDocument::currentTraceChanged, this, &ConnectionsPanel::reload);
    connect(document, &TraceDocument::currentConnectionChanged, this, &ConnectionsPanel::selectCurrent);
}

void ConnectionsPanel::reload()
{
    m_model->setTrace(m_document->currentTrace());
    fitColumns(m_view, ConnectionModel::VerdictColumn, 40); // an IPv6 address and port fit
    selectCurrent();
}

void ConnectionsPanel::fillContextMenu(QMenu *menu, const QModelIndex &index) const
{
    const auto trace = m_document->currentTrace();
    if (!trace || !index.isValid())
        return;
    const int i = index.data(ConnectionModel::ConnectionIndexRole).toInt();
    if (i < 0 || std::size_t(i) >= trace->connections.size())
        return;
    const Connection &c = *trace->connections[std::size_t(i)];
    wireshark::addOpenAction(menu, QString::fromStdString(trace->path), wireshark::firstFrame(c));
    wireshark::addCopyFilterActions(menu, c);
}

void ConnectionsPanel::selectCurrent()
{
    const int row = m_model->rowOf(m_document->currentConnectionIndex());
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid() || m_view->currentIndex().row() == index.row())
        return;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

} // namespace ol
