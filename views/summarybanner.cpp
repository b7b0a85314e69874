// SPDX-License-Identifier: GPL-3.0-or-later
// Verdict banner of the selected file (see summarybanner.h).
#include "summarybanner.h"

#include "offloadtext.h"

#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>

namespace ol {

using namespace Qt::StringLiterals;

SummaryBanner::SummaryBanner(TraceDocument *document, QWidget *parent)
    : QFrame(parent)
    , m_document(document)
    , m_badge(new QLabel(this))
    , m_detail(new QLabel(this))
{
    setAccessibleName(u"Verdict banner"_s);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_badge->setAccessibleName(u"Verdict"_s);
    m_detail->setAccessibleName(u"Verdict details"_s);
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont f = m_badge->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_badge->setFont(f);
    m_badge->setContentsMargins(8, 2, 8, 2);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_badge);
    layout->addWidget(m_detail, 1);
    connect(document, &TraceDocument::currentTraceChanged, this, &SummaryBanner::refresh);
    refresh();
}

QString SummaryBanner::badgeText() const
{
    return m_badge->text();
}
QString SummaryBanner::detailText() const
{
    return m_detail->text();
}

void SummaryBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        refresh();
}

void SummaryBanner::refresh()
{
    const auto trace = m_document->currentTrace();
    if (!trace) {
        m_badge->setText(QString());
        m_detail->setText(u"No capture selected."_s);
        m_badge->setStyleSheet(QString());
        return;
    }
    // A file without connections has no offload to judge: the banner says why it has none.
    const QString empty = text::noConnectionsText(*trace);
    m_badge->setText(text::fileBadge(*trace));
    QString summary = empty.isEmpty() ? QString::fromStdString(trace->offload.summary) : empty;
    // A snapshot of a file still loading says so first: its verdict may still change.
    if (trace->partial)
        summary = text::partialText(*trace) + u": "_s + summary;
    m_detail->setText(QFileInfo(QString::fromStdString(trace->path)).fileName() + u" — "_s + summary);
    m_detail->setToolTip(summary);
    // The badge colour repeats the chart's offload colours: orange-ish for offload, neutral for none.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    QString colour;
    if (!empty.isEmpty()) {
        m_badge->setStyleSheet(QString());
        return;
    }
    switch (trace->offload.verdict) {
    case OffloadVerdict::SendOffload:
    case OffloadVerdict::ReceiveOffload:
    case OffloadVerdict::Both:
        colour = dark ? u"#7a4a10"_s : u"#ffe2b8"_s;
        break;
    case OffloadVerdict::None:
        colour = dark ? u"#24492c"_s : u"#d7f0dc"_s;
        break;
    }
    m_badge->setStyleSheet(u"QLabel { background: %1; border-radius: 4px; }"_s.arg(colour));
}

} // namespace ol
