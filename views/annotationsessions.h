// SPDX-License-Identifier: GPL-3.0-or-later
// One annotation session per open capture: its AnnotationStore, its undo stack (in a QUndoGroup that the
// Edit menu follows) and its sidecar file, read when the capture opens and written after each change. A
// damaged sidecar is reported and left alone until the first change, which keeps it as ".bak".
#pragma once

#include "annotation.h"
#include "tracedocument.h"

#include <QObject>

#include <memory>
#include <vector>

class QUndoGroup;
class QUndoStack;

namespace ol {

class AnnotationLayer;
class ChartBase;

class AnnotationSessions : public QObject
{
    Q_OBJECT
public:
    explicit AnnotationSessions(TraceDocument *document, QObject *parent = nullptr);
    ~AnnotationSessions() override;

    /// Draws and edits the current capture's annotations on a chart of this kind.
    AnnotationLayer *attach(ChartBase *chart, Annotation::Chart kind);
    const std::vector<AnnotationLayer *> &layers() const { return m_layers; }
    QUndoGroup *undoGroup() const { return m_group; }
    /// The current capture's annotations and undo stack (null when no capture is current).
    AnnotationStore *currentStore() const;
    QUndoStack *currentUndoStack() const;
    /// Adds the automatic annotations to every attached chart (one undo step each).
    void addAutomaticAnnotations();
    /// Lesson highlights on every chart, not saved; empty clears them.
    void setHighlights(const QList<Annotation> &highlights);

signals:
    /// Something the user should know (damaged sidecar, sidecar not writable); for the status bar.
    void warning(const QString &text);
    /// A chart's context menu asked to export that chart.
    void exportRequested(ol::ChartBase *chart);

private:
    struct Session;
    void onTraceAdded(int index);
    void onTraceAboutToBeRemoved(int index);
    void onCurrentTraceChanged();
    void save(Session *session);
    Session *sessionFor(int traceIndex) const;

    TraceDocument *m_document;
    QUndoGroup *m_group;
    std::vector<std::unique_ptr<Session>> m_sessions;
    std::vector<AnnotationLayer *> m_layers;
};

} // namespace ol
