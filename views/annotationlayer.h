// SPDX-License-Identifier: GPL-3.0-or-later
// Draws the annotations of the shown connection on one chart (QCPItemText/Line/Rect anchored to plot
// coordinates, so they follow zoom and pan) and edits them: the chart's context menu adds notes, arrows and
// time ranges; drag moves, double-click edits, Delete removes. Every edit is an undo command on the stack
// of the capture's session. Transient highlights (Learn panel) are drawn the same way but are never saved.
#pragma once

#include "annotation.h"
#include "tracedocument.h"

#include <QList>
#include <QObject>
#include <QPointer>

class QCPAbstractItem;
class QCPItemText;
class QCustomPlot;
class QUndoStack;

namespace ol {

class ChartBase;

class AnnotationLayer : public QObject
{
    Q_OBJECT
public:
    AnnotationLayer(ChartBase *chart, Annotation::Chart kind, QObject *parent = nullptr);

    /// The annotations to draw and edit (null: none, read-only chart). The stack records edits (may be null:
    /// edits then apply directly, as in the headless export).
    void setStore(AnnotationStore *store, QUndoStack *undoStack);
    AnnotationStore *store() const { return m_store; }
    /// Lesson highlights, drawn in their own colour and not saved; empty clears them.
    void setHighlights(const QList<Annotation> &highlights);
    Annotation::Chart kind() const { return m_kind; }
    ChartBase *chart() const { return m_chart; }
    /// Connection id of the shown series, -1 if none.
    qint64 connectionId() const;

    /// Adds (or replaces) the automatic annotations of the shown connection as one undo step.
    void addAutomaticAnnotations();
    /// Edits through the undo stack (the context menu and tests use these).
    quint64 addAnnotation(const Annotation &annotation);
    void moveAnnotation(quint64 id, const QPointF &textPos);
    void editText(quint64 id, const QString &text);
    void removeAnnotation(quint64 id);

    /// The text item drawn for an annotation (or highlight), null if not drawn.
    QCPItemText *textItem(quint64 id) const;
    /// Annotations and highlights drawn now.
    int drawnCount() const { return int(m_drawn.size()); }
    /// The annotation whose text is under a position in plot pixels, 0 if none.
    quint64 annotationAt(const QPointF &pos) const;
    /// A new note, arrow or range at a pixel position (pinned to the segment there if any), not yet added.
    Annotation noteAt(const QPointF &pos, const QString &text) const;
    Annotation arrowTo(SegmentRef segment, const QPointF &pos, const QString &text) const;
    Annotation timeRange(double t0, double t1, const QString &text) const;

public slots:
    void redraw();

signals:
    /// "Export Chart…" was chosen in the chart's context menu.
    void exportRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Drawn {
        quint64 id = 0;
        bool highlight = false;
        QPointer<QCPItemText> text;
        QList<QPointer<QCPAbstractItem>> others;
    };
    void draw(const Annotation &annotation, bool highlight);
    void clearDrawn();
    void showContextMenu(const QPoint &pos, const QPoint &globalPos);
    void editInteractively(quint64 id);
    void addRangeInteractively(double time);
    void select(quint64 id);
    QColor colour(bool highlight) const;

    ChartBase *m_chart;
    // The chart's plot, kept apart from m_chart: the plot dies among the chart's children, after ~ChartBase has
    // run, and the events it sends the filter meanwhile (hide, child removed) must not reach into the chart.
    QCustomPlot *m_plot;
    Annotation::Chart m_kind;
    QPointer<AnnotationStore> m_store;
    QPointer<QUndoStack> m_undo;
    QList<Annotation> m_highlights;
    std::vector<Drawn> m_drawn;
    quint64 m_selected = 0;
    quint64 m_dragId = 0;
    QPointF m_dragGrab; // pixel offset from the text anchor to where it was grabbed
    QPoint m_pressPos;
    QPoint m_rightPressPos;
    bool m_dragMoved = false;
};

} // namespace ol
