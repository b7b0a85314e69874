// SPDX-License-Identifier: GPL-3.0-or-later
// Undo commands over an AnnotationStore (see annotationcommands.h).
#include "annotationcommands.h"

namespace ol {

using namespace Qt::StringLiterals;

namespace {
QString noun(const Annotation &a)
{
    switch (a.kind) {
    case Annotation::Kind::Arrow:
        return u"Arrow"_s;
    case Annotation::Kind::TimeRange:
        return u"Time Range"_s;
    case Annotation::Kind::Note:
        break;
    }
    return u"Note"_s;
}
} // namespace

AddAnnotationCommand::AddAnnotationCommand(AnnotationStore *store, const Annotation &annotation, QUndoCommand *parent)
    : QUndoCommand(u"Add "_s + noun(annotation), parent)
    , m_store(store)
    , m_annotation(annotation)
{ }

void AddAnnotationCommand::redo()
{
    m_annotation.id = m_store->add(m_annotation);
}

void AddAnnotationCommand::undo()
{
    m_store->remove(m_annotation.id);
}

RemoveAnnotationCommand::RemoveAnnotationCommand(AnnotationStore *store, const Annotation &annotation,
                                                 QUndoCommand *parent)
    : QUndoCommand(u"Delete "_s + noun(annotation), parent)
    , m_store(store)
    , m_annotation(annotation)
{ }

void RemoveAnnotationCommand::redo()
{
    m_store->remove(m_annotation.id);
}

void RemoveAnnotationCommand::undo()
{
    m_store->add(m_annotation);
} // keeps its id: it is free again

EditAnnotationCommand::EditAnnotationCommand(AnnotationStore *store, const Annotation &before, const Annotation &after,
                                             const QString &what, QUndoCommand *parent)
    : QUndoCommand(what, parent)
    , m_store(store)
    , m_before(before)
    , m_after(after)
{ }

void EditAnnotationCommand::redo()
{
    m_store->update(m_after);
}

void EditAnnotationCommand::undo()
{
    m_store->update(m_before);
}

} // namespace ol
