// SPDX-License-Identifier: GPL-3.0-or-later
// The list of open capture files (see filelistpanel.h).
#include "filelistpanel.h"

#include "columnfit.h"

#include "tracelistmodel.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

namespace ol {

using namespace Qt::StringLiterals;

namespace {
/// A cut file name keeps its start and its extension ("3-receiver…h-gro.pcap"); the verdict beside it is cut at
/// the end as usual.
class MiddleElidingDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideMiddle;
    }
};
} // namespace

FileListPanel::FileListPanel(TraceDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_model(new TraceListModel(this))
    , m_view(new QTreeView(this))
{
    setAccessibleName(u"Open files"_s);
    m_view->setAccessibleName(u"Open capture files"_s);
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(true);
    m_view->setItemDelegateForColumn(TraceListModel::FileColumn, new MiddleElidingDelegate(m_view));
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *close = new QAction(u"Close File"_s, m_view);
    connect(close, &QAction::triggered, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid())
            emit closeRequested(current.row());
    });
    m_view->addAction(close);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_document->setCurrentTrace(current.row());
            });
    connect(document, &TraceDocument::traceAdded, this, &FileListPanel::reload);
    connect(document, &TraceDocument::traceRemoved, this, &FileListPanel::reload);
    connect(document, &TraceDocument::traceReplaced, this, &FileListPanel::reload);
    connect(document, &TraceDocument::currentTraceChanged, this, &FileListPanel::selectCurrent);
}

void FileListPanel::reload()
{
    m_model->setTraces(m_document->traces());
    // A long file name is cut in the middle (its tooltip has the path): the counts beside it stay in view.
    fitColumns(m_view, TraceListModel::VerdictColumn, 24);
    selectCurrent();
}

void FileListPanel::selectCurrent()
{
    const int row = m_document->currentTraceIndex();
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_model->index(row, 0);
    if (m_view->currentIndex().row() != row)
        m_view->selectionModel()->setCurrentIndex(index,
                                                  QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

} // namespace ol
