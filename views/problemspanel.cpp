// SPDX-License-Identifier: GPL-3.0-or-later
// The Problems panel (see problemspanel.h).
#include "problemspanel.h"

#include "columnfit.h"

#include "problemmodel.h"
#include "wiresharkactions.h"

#include <QHeaderView>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace ol {

using namespace Qt::StringLiterals;

ProblemsPanel::ProblemsPanel(TraceDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_model(new ProblemModel(this))
    , m_view(new QTreeView(this))
    , m_detail(new QTextBrowser(this))
    , m_runner(new JobRunner(this))
{
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(true);
    m_detail->setOpenExternalLinks(false);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(m_view);
        const QModelIndex index = m_view->indexAt(pos);
        fillContextMenu(&menu, index.isValid() ? index.row() : -1);
        if (!menu.isEmpty())
            menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(document, &TraceDocument::currentTraceChanged, this, &ProblemsPanel::refresh);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ProblemsPanel::showSelected);
    refresh();
}

void ProblemsPanel::refresh()
{
    const auto t = m_document->currentTrace();
    m_runner->cancel(); // a diagnosis of the trace shown before is not wanted any more
    if (!t) {
        m_model->setProblems({}, 0, {});
        m_detail->clear();
        return;
    }
    // Not on snapshots of a file still loading: they come every second, and the diagnosis of a part could name
    // problems (a loss burst cut at the end) that the whole file does not have.
    if (t->partial) {
        m_model->setProblems({}, t->firstTime, u"<p>Problems are diagnosed once the whole file has loaded.</p>"_s);
        m_detail->setHtml(u"<p>Problems are diagnosed once the whole file has loaded.</p>"_s);
        return;
    }
    // One pass over the segments, the payload comparison of two files not run here: a few milliseconds on a small
    // capture, done at once; on a large one 0.2 s and more (21M frames: 150-240 ms), too long for the GUI thread.
    std::size_t segments = 0;
    for (const auto &c : t->connections)
        segments += c->directions[0].segments.size() + c->directions[1].segments.size();
    if (segments < m_inlineLimit) {
        showReport(*t, diagnoseProblems(*t));
        return;
    }
    m_model->setProblems({}, t->firstTime, u"<p>Looking for problems…</p>"_s);
    m_detail->setHtml(u"<p>Looking for problems…</p>"_s);
    m_runner->run([t](const JobControl &) { return diagnoseProblems(*t); },
                  [this, t](ProblemReport r) {
                      if (m_document->currentTrace() == t)
                          showReport(*t, std::move(r));
                  });
}

void ProblemsPanel::showReport(const Trace &t, ProblemReport r)
{
    QString checked;
    for (const std::string &c : r.checked)
        checked += (checked.isEmpty() ? u""_s : u", "_s) + QString::fromStdString(c);
    const QString settings = QString::fromStdString(r.settings).toHtmlEscaped();
    const QString empty = u"<p>No problems found: checked %1.</p>"_s.arg(checked)
        + (settings.isEmpty() ? QString() : u"<p>%1</p>"_s.arg(settings));
    m_model->setProblems(std::move(r.problems), t.firstTime, empty);
    fitColumns(m_view, ProblemModel::TextColumn);
    m_detail->setHtml(m_model->rowCount()
                          ? u"<p>%1 problem(s). Select one to see it on the charts.</p>"_s.arg(m_model->rowCount())
                              + (settings.isEmpty() ? QString() : u"<p>%1</p>"_s.arg(settings))
                          : empty);
    if (m_pendingRow >= 0 && m_pendingRow < m_model->rowCount())
        selectRow(std::exchange(m_pendingRow, -1));
}

void ProblemsPanel::selectRow(int row)
{
    // Still being diagnosed: the row is selected once it is there.
    m_pendingRow = m_runner->isBusy() ? row : -1;
    m_view->setCurrentIndex(m_model->index(row, 0));
}

void ProblemsPanel::fillContextMenu(QMenu *menu, int row) const
{
    const Problem *p = m_model->problem(row);
    const auto t = m_document->currentTrace();
    if (!p || !t)
        return;
    wireshark::addOpenAction(menu, QString::fromStdString(t->path), p->frames.empty() ? 0 : p->frames.front());
    if (p->connection >= 0)
        if (const Connection *c = t->connectionById(std::uint32_t(p->connection)))
            wireshark::addCopyFilterActions(menu, *c);
}

void ProblemsPanel::showSelected()
{
    const Problem *p = m_model->problem(m_view->currentIndex().row());
    const auto t = m_document->currentTrace();
    if (!p || !t)
        return;
    m_detail->setHtml(
        m_model->data(m_model->index(m_view->currentIndex().row(), 0), ProblemModel::DetailRole).toString());
    int index = -1;
    for (std::size_t i = 0; i < t->connections.size(); ++i)
        if (std::int64_t(t->connections[i]->id) == p->connection)
            index = int(i);
    if (index < 0)
        return;
    m_document->setCurrentConnection(index);
    const Connection &c = *t->connections[std::size_t(index)];
    // Mark the first example frame that is a segment of this connection.
    for (const std::uint32_t f : p->frames) {
        bool found = false;
        for (int d = 0; d < 2 && !found; ++d) {
            const auto &segs = c.directions[d].segments;
            for (std::size_t i = 0; i < segs.size(); ++i)
                if (segs[i].frame == f) {
                    m_document->setCurrentSegment({d, qint64(i)});
                    found = true;
                    break;
                }
        }
        if (found)
            break;
    }
    const double lower = double(p->firstTime - c.firstTime) / 1e9, upper = double(p->lastTime - c.firstTime) / 1e9;
    const double margin = std::max(0.1 * (upper - lower), 0.002);
    emit zoomRequested(std::max(0.0, lower - margin), upper + margin);
}

} // namespace ol
