// SPDX-License-Identifier: GPL-3.0-or-later
// Undo commands over an AnnotationStore: add, remove, edit (text or position). QUndoStack lives in QtGui,
// so the commands live here in the views layer; the store itself stays QtCore.
#pragma once

#include "annotation.h"

#include <QUndoCommand>

namespace ol {

class AddAnnotationCommand : public QUndoCommand
{
public:
    AddAnnotationCommand(AnnotationStore *store, const Annotation &annotation, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    /// The id the annotation got (valid after the first redo()).
    quint64 annotationId() const { return m_annotation.id; }

private:
    AnnotationStore *m_store;
    Annotation m_annotation;
};

class RemoveAnnotationCommand : public QUndoCommand
{
public:
    RemoveAnnotationCommand(AnnotationStore *store, const Annotation &annotation, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    AnnotationStore *m_store;
    Annotation m_annotation;
};

class EditAnnotationCommand : public QUndoCommand
{
public:
    /// `what` names the edit in the Edit menu ("Move Note", "Edit Note").
    EditAnnotationCommand(AnnotationStore *store, const Annotation &before, const Annotation &after,
                          const QString &what, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    AnnotationStore *m_store;
    Annotation m_before;
    Annotation m_after;
};

} // namespace ol
