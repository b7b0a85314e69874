// SPDX-License-Identifier: GPL-3.0-or-later
// The explanation panel (see evidencepanel.h).
#include "evidencepanel.h"

#include "evidencemodel.h"
#include "offload.h"
#include "offloadtext.h"

#include <QEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>

namespace ol {

using namespace Qt::StringLiterals;

namespace {
QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}
QString esc(const std::string &s)
{
    return QString::fromStdString(s).toHtmlEscaped();
}
} // namespace

EvidencePanel::EvidencePanel(TraceDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_text(new QTextBrowser(this))
    , m_table(new QTableView(this))
    , m_model(new EvidenceModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setAccessibleName(u"Evidence panel"_s);
    m_text->setAccessibleName(u"Explanation"_s);
    m_text->setOpenLinks(false);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(EvidenceModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setAccessibleName(u"Evidence items"_s);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setShowGrid(false);
    m_table->setSortingEnabled(true);
    m_table->setWordWrap(true);
    m_table->setAlternatingRowColors(true);
    m_table->setColumnHidden(EvidenceModel::KindColumn, true);
    m_table->setColumnHidden(EvidenceModel::WeightColumn, true); // in the tooltip; the dock is narrow
    m_table->viewport()->installEventFilter(this);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setTextElideMode(Qt::ElideNone);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // What an item is about is one or two words: sized to them (fitScopeColumn), the sentences get the rest.
    m_table->horizontalHeader()->setSectionResizeMode(EvidenceModel::ScopeColumn, QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionResizeMode(EvidenceModel::WeightColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(EvidenceModel::TextColumn, QHeaderView::Stretch);
    m_table->sortByColumn(EvidenceModel::ScopeColumn, Qt::AscendingOrder);
    // Evidence sentences are long: rows grow to show them whole whenever the text or the width changes.
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &EvidencePanel::scheduleRowResize);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &EvidencePanel::scheduleRowResize);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_text);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(document, &TraceDocument::currentTraceChanged, this, &EvidencePanel::refresh);
    connect(document, &TraceDocument::currentConnectionChanged, this, &EvidencePanel::refresh);
    connect(document, &TraceDocument::currentSegmentChanged, this, &EvidencePanel::refresh);
    refresh();
}

void EvidencePanel::scheduleRowResize()
{
    // After the header has laid out its stretched column, so that rows wrap at the width they are shown in.
    QTimer::singleShot(0, m_table, &QTableView::resizeRowsToContents);
}

void EvidencePanel::fitScopeColumn()
{
    // At most a third of the table: in a narrow dock "capture point" wraps onto two lines instead.
    m_table->resizeColumnToContents(EvidenceModel::ScopeColumn);
    const int cap = m_table->viewport()->width() / 3;
    if (cap > 0 && m_table->columnWidth(EvidenceModel::ScopeColumn) > cap)
        m_table->setColumnWidth(EvidenceModel::ScopeColumn, cap);
}

bool EvidencePanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize) {
        fitScopeColumn();
        scheduleRowResize();
    }
    return QWidget::eventFilter(watched, event);
}

QString EvidencePanel::plainText() const
{
    return m_text->toPlainText();
}

QString EvidencePanel::segmentHtml() const
{
    const Connection *c = m_document->currentConnection();
    const SegmentRef ref = m_document->currentSegment();
    if (!c || !ref.isValid() || ref.index >= qint64(c->directions[ref.direction].segments.size()))
        return QString();
    const Segment &s = c->directions[ref.direction].segments[std::size_t(ref.index)];
    return u"<h3>Selected segment</h3>"_s + text::segmentTooltip(*c, ref.direction, s, c->firstTime);
}

void EvidencePanel::refresh()
{
    const auto trace = m_document->currentTrace();
    m_model->setSource(trace, m_document->currentConnectionIndex());
    fitScopeColumn();
    m_segmentText.clear();
    if (!trace) {
        m_text->setHtml(u"<p><i>Open a capture to see what its frame sizes say about offload.</i></p>"_s);
        return;
    }
    QString html;
    const QString name = QFileInfo(QString::fromStdString(trace->path)).fileName();
    if (const QString empty = text::noConnectionsText(*trace); !empty.isEmpty()) {
        // No connection, no verdict to explain: only why there is none.
        m_text->setHtml(
            u"<h4>%1</h4><p><b>%2</b></p><p>%3</p>"_s.arg(esc(name), esc(text::fileBadge(*trace)), esc(empty)));
        return;
    }
    html += u"<h4>%1</h4><p><b>%2</b></p><p>%3</p>"_s.arg(esc(name), esc(text::fileBadge(*trace)),
                                                          esc(trace->offload.summary));
    const CapturePoint &cp = trace->offload.capturePoint;
    if (cp.known)
        html += u"<p>Capture point: <b>%1</b>%2 — confidence %3 %.</p>"_s.arg(
            esc(cp.host), cp.role.empty() ? QString() : u" (the "_s + esc(cp.role) + u')',
            QString::number(qRound(cp.confidence * 100)));
    else
        html += u"<p>Capture point: not clear from this trace.</p>"_s;

    const SegmentRef seg = m_document->currentSegment();
    const QString segHtml = segmentHtml();
    if (!segHtml.isEmpty()) {
        const Connection *c = m_document->currentConnection();
        m_segmentText = text::segmentWhy(*c, seg.direction,
                                         c->directions[seg.direction].segments[std::size_t(seg.index)]);
        html += segHtml;
    }

    if (const Connection *c = m_document->currentConnection()) {
        html += u"<h3>Connection #%1</h3><p>%2 ⇄ %3%4</p>"_s.arg(
            QString::number(c->id), esc(c->client.toString()), esc(c->server.toString()),
            c->midstream ? u" — the capture started after the connection did (no SYN)"_s : QString());
        for (int d = 0; d < 2; ++d) {
            const FlowDirection &fd = c->directions[d];
            const DirectionOffload &o = fd.offload;
            html += u"<p><b>%1</b> (%2): %3 data segments, %4 bytes, largest %5 bytes. %6. "_s.arg(
                text::directionName(d), esc(text::directionEndpoints(*c, d)), text::thousands(fd.stats.dataSegments),
                text::thousands(fd.stats.payloadBytes), text::thousands(fd.stats.maxPayload),
                esc(text::mssLabel(o, d)));
            if (o.oversized())
                html += u"<b>%1 oversized</b> (send offload %2, receive coalescing %3, unexplained %4)."_s.arg(
                    text::thousands(o.oversized()), text::thousands(o.sendOffload), text::thousands(o.receiveOffload),
                    text::thousands(o.unexplained));
            else if (fd.stats.dataSegments)
                html += u"No frame larger than the MSS."_s;
            html += u"</p>"_s;
        }
        html += u"<p><i>The evidence behind these verdicts is listed below.</i></p>"_s;
    } else {
        html += u"<p><i>Select a connection to see its evidence.</i></p>"_s;
    }
    m_text->setHtml(html);
}

} // namespace ol
