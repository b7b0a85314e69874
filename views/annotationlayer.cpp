// SPDX-License-Identifier: GPL-3.0-or-later
// Drawing and editing annotations on a chart (see annotationlayer.h).
#include "annotationlayer.h"

#include "annotationcommands.h"
#include "chartbase.h"
#include "wiresharkactions.h"

#include <QContextMenuEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QToolTip>
#include <QUndoStack>

#include <algorithm>

namespace ol {

using namespace Qt::StringLiterals;

AnnotationLayer::AnnotationLayer(ChartBase *chart, Annotation::Chart kind, QObject *parent)
    : QObject(parent ? parent : chart)
    , m_chart(chart)
    , m_plot(chart->plot())
    , m_kind(kind)
{
    // Installed after ChartBase's own filter, so it sees mouse events first and can keep a drag from panning.
    m_plot->installEventFilter(this);
    connect(chart, &ChartBase::plotRebuilt, this, &AnnotationLayer::redraw);
}

void AnnotationLayer::setStore(AnnotationStore *store, QUndoStack *undoStack)
{
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    m_undo = undoStack;
    m_selected = 0;
    if (store)
        connect(store, &AnnotationStore::changed, this, &AnnotationLayer::redraw);
    redraw();
}

void AnnotationLayer::setHighlights(const QList<Annotation> &highlights)
{
    m_highlights = highlights;
    for (qsizetype i = 0; i < m_highlights.size(); ++i)
        m_highlights[i].id = quint64(1) << 62 | quint64(i); // never collides with stored ids
    redraw();
}

qint64 AnnotationLayer::connectionId() const
{
    const auto s = m_chart->series();
    return s && s->isValid() ? qint64(s->connection()->id) : -1;
}

QColor AnnotationLayer::colour(bool highlight) const
{
    const bool dark = m_chart->palette().color(QPalette::Window).lightness() < 128;
    // Neutral ink for the user's notes (the data colours keep their meaning), purple for lesson highlights.
    if (highlight)
        return dark ? QColor(205, 160, 255) : QColor(110, 40, 180);
    return dark ? QColor(235, 235, 235) : QColor(35, 35, 40);
}

void AnnotationLayer::clearDrawn()
{
    QCustomPlot *plot = m_chart->plot();
    for (Drawn &d : m_drawn) {
        // Items already deleted by the chart's rebuild are null here.
        for (const QPointer<QCPAbstractItem> &item : std::as_const(d.others))
            if (item)
                plot->removeItem(item.data());
        if (d.text)
            plot->removeItem(d.text.data());
    }
    m_drawn.clear();
}

void AnnotationLayer::redraw()
{
    clearDrawn();
    const qint64 conn = connectionId();
    if (conn >= 0) {
        if (m_store)
            for (const Annotation &a : m_store->annotations())
                if (a.connectionId == quint32(conn) && a.chart == m_kind)
                    draw(a, false);
        for (const Annotation &a : std::as_const(m_highlights))
            if (a.connectionId == quint32(conn) && a.chart == m_kind)
                draw(a, true);
    }
    m_chart->plot()->replot(QCustomPlot::rpQueuedReplot);
}

void AnnotationLayer::draw(const Annotation &a, bool highlight)
{
    QCustomPlot *plot = m_chart->plot();
    const auto series = m_chart->series();
    const QColor accent = colour(highlight);
    Drawn drawn;
    drawn.id = a.id;
    drawn.highlight = highlight;

    double key = 0, value = 0;
    bool hasTarget = false;
    if (a.pinnedToSegment()) {
        const qint64 index = segmentIndexOfFrame(series->connection()->directions[a.direction], a.frame);
        hasTarget = index >= 0 && m_chart->segmentPoint({a.direction, index}, key, value);
        if (!hasTarget && a.kind == Annotation::Kind::Arrow)
            return; // the segment is not on this chart (other sequence direction)
    }
    if (a.kind == Annotation::Kind::TimeRange) {
        auto *rect = new QCPItemRect(plot);
        rect->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
        rect->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
        rect->topLeft->setCoords(std::min(a.t0, a.t1), 0);
        rect->bottomRight->setCoords(std::max(a.t0, a.t1), 1);
        QColor fill = accent;
        fill.setAlpha(35);
        QColor edge = accent;
        edge.setAlpha(140);
        rect->setBrush(fill);
        rect->setPen(QPen(edge, 1, Qt::DashLine));
        rect->setSelectable(false);
        drawn.others << rect;
    }
    if (a.kind == Annotation::Kind::Arrow && hasTarget) {
        auto *line = new QCPItemLine(plot);
        line->start->setCoords(a.textPos);
        line->end->setCoords(key, value);
        line->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 10, 12));
        line->setPen(QPen(accent, 1.6));
        line->setSelectable(false);
        drawn.others << line;
    }
    if (a.kind == Annotation::Kind::Note && hasTarget) {
        // A note pinned to a segment rings it, so the reader sees which one it speaks about.
        auto *ring = new QCPItemEllipse(plot);
        ring->topLeft->setType(QCPItemPosition::ptAbsolute);
        ring->bottomRight->setType(QCPItemPosition::ptAbsolute);
        auto *centre = new QCPItemTracer(plot);
        centre->position->setCoords(key, value);
        centre->setStyle(QCPItemTracer::tsNone);
        ring->topLeft->setParentAnchor(centre->position);
        ring->bottomRight->setParentAnchor(centre->position);
        ring->topLeft->setCoords(-7, -7);
        ring->bottomRight->setCoords(7, 7);
        ring->setPen(QPen(accent, 1.6));
        ring->setSelectable(false);
        centre->setSelectable(false);
        drawn.others << centre << ring;
    }
    auto *text = new QCPItemText(plot);
    text->position->setCoords(a.textPos);
    text->setPositionAlignment(a.kind == Annotation::Kind::Note && !hasTarget ? Qt::AlignLeft | Qt::AlignBottom
                                                                              : Qt::AlignCenter);
    text->setTextAlignment(Qt::AlignLeft);
    text->setText(a.text);
    text->setColor(accent);
    QFont font = m_chart->font();
    font.setPointSizeF(font.pointSizeF() * 0.95);
    font.setBold(a.kind != Annotation::Kind::Note || hasTarget);
    text->setFont(font);
    QColor box = m_chart->palette().color(QPalette::Base);
    box.setAlpha(225);
    text->setBrush(box);
    text->setPen(QPen(accent, a.id == m_selected && !highlight ? 2.2 : 1));
    text->setPadding(QMargins(6, 3, 6, 3));
    text->setSelectable(false);
    drawn.text = text;
    m_drawn.push_back(drawn);
}

QCPItemText *AnnotationLayer::textItem(quint64 id) const
{
    for (const Drawn &d : m_drawn)
        if (d.id == id)
            return d.text.data();
    return nullptr;
}

quint64 AnnotationLayer::annotationAt(const QPointF &pos) const
{
    // Topmost first: the last drawn. QCustomPlot scores a point inside the box as 0.99 × its selection
    // tolerance and one outside by its distance, so the tolerance is also the grab margin around the box.
    const double tolerance = m_chart->plot()->selectionTolerance();
    for (auto it = m_drawn.rbegin(); it != m_drawn.rend(); ++it) {
        if (it->highlight || !it->text)
            continue;
        const double d = it->text->selectTest(pos, false);
        if (d >= 0 && d <= tolerance)
            return it->id;
    }
    return 0;
}

Annotation AnnotationLayer::noteAt(const QPointF &pos, const QString &text) const
{
    const QCustomPlot *plot = m_chart->plot();
    Annotation a;
    a.kind = Annotation::Kind::Note;
    a.chart = m_kind;
    a.connectionId = quint32(std::max<qint64>(connectionId(), 0));
    a.text = text;
    const SegmentRef seg = m_chart->segmentAt(pos);
    if (seg.isValid()) {
        a.direction = seg.direction;
        a.frame = m_chart->series()->segment(seg.direction, std::uint32_t(seg.index))->frame;
        // The text goes beside the ringed segment, not on top of it.
        a.textPos = QPointF(plot->xAxis->pixelToCoord(pos.x() + 30), plot->yAxis->pixelToCoord(pos.y() - 30));
    } else {
        a.textPos = QPointF(plot->xAxis->pixelToCoord(pos.x()), plot->yAxis->pixelToCoord(pos.y()));
    }
    return a;
}

Annotation AnnotationLayer::arrowTo(SegmentRef segment, const QPointF &pos, const QString &text) const
{
    const QCustomPlot *plot = m_chart->plot();
    Annotation a = noteAt(pos, text);
    a.kind = Annotation::Kind::Arrow;
    a.direction = segment.direction;
    a.frame = m_chart->series()->segment(segment.direction, std::uint32_t(segment.index))->frame;
    // Text up and towards the middle of the plot from the segment, so that the arrow has room.
    const QRect r = plot->axisRect()->rect();
    const double dx = pos.x() < r.center().x() ? 110 : -110;
    const double dy = pos.y() > r.top() + 80 ? -60 : 60;
    a.textPos = QPointF(plot->xAxis->pixelToCoord(pos.x() + dx), plot->yAxis->pixelToCoord(pos.y() + dy));
    return a;
}

Annotation AnnotationLayer::timeRange(double t0, double t1, const QString &text) const
{
    const QCustomPlot *plot = m_chart->plot();
    Annotation a;
    a.kind = Annotation::Kind::TimeRange;
    a.chart = m_kind;
    a.connectionId = quint32(std::max<qint64>(connectionId(), 0));
    a.t0 = std::min(t0, t1);
    a.t1 = std::max(t0, t1);
    a.text = text;
    const QCPRange y = plot->yAxis->range();
    a.textPos = QPointF((a.t0 + a.t1) / 2, y.lower + 0.9 * y.size());
    return a;
}

quint64 AnnotationLayer::addAnnotation(const Annotation &annotation)
{
    if (!m_store)
        return 0;
    if (!m_undo)
        return m_store->add(annotation);
    auto *command = new AddAnnotationCommand(m_store, annotation);
    m_undo->push(command); // runs redo(), which assigns the id
    return command->annotationId();
}

void AnnotationLayer::moveAnnotation(quint64 id, const QPointF &textPos)
{
    const Annotation *a = m_store ? m_store->find(id) : nullptr;
    if (!a)
        return;
    Annotation after = *a;
    after.textPos = textPos;
    if (m_undo)
        m_undo->push(new EditAnnotationCommand(m_store, *a, after, u"Move Annotation"_s));
    else
        m_store->update(after);
}

void AnnotationLayer::editText(quint64 id, const QString &text)
{
    const Annotation *a = m_store ? m_store->find(id) : nullptr;
    if (!a || a->text == text)
        return;
    Annotation after = *a;
    after.text = text;
    after.automatic = false; // edited by hand: no longer replaced by "Add automatic annotations"
    if (m_undo)
        m_undo->push(new EditAnnotationCommand(m_store, *a, after, u"Edit Annotation"_s));
    else
        m_store->update(after);
}

void AnnotationLayer::removeAnnotation(quint64 id)
{
    const Annotation *a = m_store ? m_store->find(id) : nullptr;
    if (!a)
        return;
    if (m_selected == id)
        m_selected = 0;
    if (m_undo)
        m_undo->push(new RemoveAnnotationCommand(m_store, *a));
    else
        m_store->remove(id);
}

void AnnotationLayer::addAutomaticAnnotations()
{
    const auto series = m_chart->series();
    if (!m_store || !series || !series->isValid())
        return;
    const Connection &c = *series->connection();
    int seqDir = 1;
    if (m_kind == Annotation::Chart::Sequence) {
        // The sequence chart shows one direction: annotate that one.
        double k = 0, v = 0;
        for (int d = 0; d < 2; ++d)
            if (!c.directions[d].segments.empty() && m_chart->segmentPoint({d, 0}, k, v))
                seqDir = d;
    }
    const QList<Annotation> fresh = automaticAnnotations(c, series->origin(), m_kind, seqDir);
    QList<Annotation> old;
    for (const Annotation &a : m_store->forChart(c.id, m_kind))
        if (a.automatic)
            old << a;
    if (!m_undo) {
        for (const Annotation &a : std::as_const(old))
            m_store->remove(a.id);
        for (const Annotation &a : fresh)
            m_store->add(a);
        return;
    }
    m_undo->beginMacro(u"Add Automatic Annotations"_s);
    for (const Annotation &a : std::as_const(old))
        m_undo->push(new RemoveAnnotationCommand(m_store, a));
    for (const Annotation &a : fresh)
        m_undo->push(new AddAnnotationCommand(m_store, a));
    m_undo->endMacro();
}

void AnnotationLayer::select(quint64 id)
{
    if (id == m_selected)
        return;
    m_selected = id;
    for (const Drawn &d : m_drawn)
        if (d.text && !d.highlight)
            d.text->setPen(QPen(colour(false), d.id == m_selected ? 2.2 : 1));
    m_chart->plot()->replot(QCustomPlot::rpQueuedReplot);
}

void AnnotationLayer::editInteractively(quint64 id)
{
    const Annotation *a = m_store ? m_store->find(id) : nullptr;
    if (!a)
        return;
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(m_chart, u"Edit Annotation"_s, u"Text:"_s, a->text, &ok);
    if (ok && !text.trimmed().isEmpty())
        editText(id, text.trimmed());
}

void AnnotationLayer::addRangeInteractively(double time)
{
    const QCPRange visible = m_chart->plot()->xAxis->range();
    QDialog dialog(m_chart);
    dialog.setWindowTitle(u"Annotate Time Range"_s);
    auto *from = new QDoubleSpinBox(&dialog);
    auto *to = new QDoubleSpinBox(&dialog);
    for (QDoubleSpinBox *box : {from, to}) {
        box->setDecimals(6);
        box->setRange(-1e6, 1e6);
        box->setSuffix(u" s"_s);
        box->setSingleStep(std::max(visible.size() / 100, 1e-6));
    }
    from->setValue(std::max(visible.lower, time - 0.05 * visible.size()));
    to->setValue(std::min(visible.upper, time + 0.05 * visible.size()));
    auto *text = new QPlainTextEdit(&dialog);
    text->setPlaceholderText(u"What happens in this time range"_s);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *form = new QFormLayout(&dialog);
    form->addRow(u"From:"_s, from);
    form->addRow(u"To:"_s, to);
    form->addRow(u"Text:"_s, text);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted || text->toPlainText().trimmed().isEmpty())
        return;
    addAnnotation(timeRange(from->value(), to->value(), text->toPlainText().trimmed()));
}

void AnnotationLayer::showContextMenu(const QPoint &pos, const QPoint &globalPos)
{
    const bool usable = m_store && connectionId() >= 0;
    const quint64 hit = annotationAt(pos);
    const SegmentRef seg = usable ? m_chart->segmentAt(pos) : SegmentRef{};
    const double time = m_chart->plot()->xAxis->pixelToCoord(pos.x());
    QMenu menu(m_chart);
    if (hit) {
        select(hit);
        menu.addAction(u"&Edit Annotation…"_s, this, [this, hit] { editInteractively(hit); });
        QAction *del = menu.addAction(u"&Delete Annotation"_s, this, [this, hit] { removeAnnotation(hit); });
        del->setShortcut(QKeySequence::Delete);
        menu.addSeparator();
    }
    QAction *note = menu.addAction(u"Add &Note Here…"_s, this, [this, pos] {
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(m_chart, u"Add Note"_s, u"Text:"_s, {}, &ok);
        if (ok && !text.trimmed().isEmpty())
            addAnnotation(noteAt(pos, text.trimmed()));
    });
    QAction *arrow = menu.addAction(u"Add &Arrow to This Segment…"_s, this, [this, seg, pos] {
        bool ok = false;
        const QString text = QInputDialog::getMultiLineText(m_chart, u"Add Arrow"_s, u"Text:"_s, {}, &ok);
        if (ok && !text.trimmed().isEmpty())
            addAnnotation(arrowTo(seg, pos, text.trimmed()));
    });
    QAction *range = menu.addAction(u"Annotate &Time Range…"_s, this, [this, time] { addRangeInteractively(time); });
    menu.addSeparator();
    QAction *automatic = menu.addAction(u"Add A&utomatic Annotations"_s, this,
                                        &AnnotationLayer::addAutomaticAnnotations);
    automatic->setToolTip(u"The largest super-segment, the first retransmission and the MSS line"_s);
    menu.addSeparator();
    QAction *exportChart = menu.addAction(u"E&xport Chart…"_s, this, &AnnotationLayer::exportRequested);
    exportChart->setEnabled(connectionId() >= 0);
    menu.addAction(u"&Reset Zoom"_s, m_chart, &ChartBase::resetZoom);
    wireshark::addChartActions(&menu, m_chart, seg.isValid() ? seg : m_chart->segmentAt(pos));
    note->setEnabled(usable);
    arrow->setEnabled(usable && seg.isValid());
    if (usable && !seg.isValid())
        arrow->setText(u"Add &Arrow to a Segment (right-click a point)"_s);
    range->setEnabled(usable);
    automatic->setEnabled(usable);
    menu.exec(globalPos);
}

bool AnnotationLayer::eventFilter(QObject *watched, QEvent *event)
{
    // No call into m_chart before the event is known to be one we handle: the plot also sends events while the
    // chart is being destroyed, when m_chart is no longer a ChartBase (UBSan: "member call ... not ChartBase").
    if (watched != m_plot)
        return QObject::eventFilter(watched, event);
    QCustomPlot *plot = m_plot;
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() == Qt::RightButton) {
            m_rightPressPos = e->position().toPoint();
            break;
        }
        if (e->button() != Qt::LeftButton || (e->modifiers() & Qt::ShiftModifier))
            break;
        const quint64 id = annotationAt(e->position());
        // The drawn items can outlive their annotation (a store changed with its signals blocked, or gone):
        // a note that is no longer stored cannot be grabbed.
        const Annotation *a = id && m_store ? m_store->find(id) : nullptr;
        select(a ? id : 0);
        if (!a)
            break;
        // Grabbing a note: no pan, no rubber band.
        const QPointF anchor(plot->xAxis->coordToPixel(a->textPos.x()), plot->yAxis->coordToPixel(a->textPos.y()));
        m_dragId = id;
        m_dragGrab = e->position() - anchor;
        m_pressPos = e->position().toPoint();
        m_dragMoved = false;
        return true;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->buttons() == Qt::NoButton) {
            // Over a note: say what it is and how to change it (instead of the segment tooltip beneath).
            if (const quint64 id = annotationAt(e->position())) {
                const Annotation *a = m_store ? m_store->find(id) : nullptr;
                QToolTip::showText(
                    e->globalPosition().toPoint(),
                    u"<b>%1</b><br>Drag to move · double-click to edit · Delete to remove · "_s
                    u"right-click for more"_s.arg(a && a->automatic ? u"Automatic annotation"_s : u"Your annotation"_s),
                    plot);
                return true;
            }
            break;
        }
        if (!m_dragId || !(e->buttons() & Qt::LeftButton))
            break;
        if ((e->position().toPoint() - m_pressPos).manhattanLength() >= 3)
            m_dragMoved = true;
        const QPointF p = e->position() - m_dragGrab;
        const QPointF coords(plot->xAxis->pixelToCoord(p.x()), plot->yAxis->pixelToCoord(p.y()));
        for (const Drawn &d : m_drawn)
            if (d.id == m_dragId && d.text) {
                d.text->position->setCoords(coords);
                for (const QPointer<QCPAbstractItem> &item : d.others)
                    if (auto *line = qobject_cast<QCPItemLine *>(item.data()))
                        line->start->setCoords(coords);
            }
        plot->replot(QCustomPlot::rpQueuedReplot);
        return true;
    }
    case QEvent::MouseButtonRelease: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() == Qt::RightButton && (e->position().toPoint() - m_rightPressPos).manhattanLength() < 4) {
            showContextMenu(e->position().toPoint(), e->globalPosition().toPoint());
            break; // QCustomPlot still sees the release and drops its zoom rectangle
        }
        if (e->button() != Qt::LeftButton || !m_dragId)
            break;
        const quint64 id = m_dragId;
        m_dragId = 0;
        if (m_dragMoved) {
            const QPointF p = e->position() - m_dragGrab;
            moveAnnotation(id, QPointF(plot->xAxis->pixelToCoord(p.x()), plot->yAxis->pixelToCoord(p.y())));
        }
        return true;
    }
    case QEvent::MouseButtonDblClick: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (const quint64 id = annotationAt(e->position())) {
            editInteractively(id);
            return true;
        }
        break;
    }
    case QEvent::ContextMenu: {
        auto *e = static_cast<QContextMenuEvent *>(event);
        if (e->reason() == QContextMenuEvent::Keyboard) {
            const QPoint centre = plot->axisRect()->rect().center();
            showContextMenu(centre, plot->mapToGlobal(centre));
            return true;
        }
        break;
    }
    case QEvent::KeyPress: {
        auto *e = static_cast<QKeyEvent *>(event);
        if (m_selected && (e->key() == Qt::Key_Delete || e->key() == Qt::Key_Backspace)) {
            removeAnnotation(m_selected);
            return true;
        }
        break;
    }
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace ol
