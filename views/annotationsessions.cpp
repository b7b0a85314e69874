// SPDX-License-Identifier: GPL-3.0-or-later
// Annotation sessions of the open captures (see annotationsessions.h).
#include "annotationsessions.h"

#include "annotationlayer.h"
#include "chartbase.h"
#include "sessionfile.h"

#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <QUndoGroup>
#include <QUndoStack>

namespace ol {

using namespace Qt::StringLiterals;

struct AnnotationSessions::Session {
    QString path;
    AnnotationStore *store = nullptr;
    QUndoStack *stack = nullptr;
    bool damaged = false; // the sidecar on disk could not be read: keep it until the first change
    bool hasSidecar = false; // a sidecar exists (and is ours to update)
    bool warnedWrite = false; // the "cannot write" warning was given once
    qint64 selectedConnection = -1;
};

AnnotationSessions::AnnotationSessions(TraceDocument *document, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_group(new QUndoGroup(this))
{
    connect(document, &TraceDocument::traceAdded, this, &AnnotationSessions::onTraceAdded);
    connect(document, &TraceDocument::traceAboutToBeRemoved, this, &AnnotationSessions::onTraceAboutToBeRemoved);
    connect(document, &TraceDocument::currentTraceChanged, this, &AnnotationSessions::onCurrentTraceChanged);
    connect(document, &TraceDocument::currentConnectionChanged, this, [this] {
        Session *s = sessionFor(m_document->currentTraceIndex());
        const Connection *c = m_document->currentConnection();
        if (!s || !c || qint64(c->id) == s->selectedConnection)
            return;
        s->selectedConnection = c->id;
        // Remember the connection only in a sidecar that exists already: browsing creates no files.
        if (s->hasSidecar && !s->damaged)
            save(s);
    });
}

AnnotationSessions::~AnnotationSessions() = default;

AnnotationLayer *AnnotationSessions::attach(ChartBase *chart, Annotation::Chart kind)
{
    auto *layer = new AnnotationLayer(chart, kind, this);
    m_layers.push_back(layer);
    connect(layer, &AnnotationLayer::exportRequested, this, [this, chart] { emit exportRequested(chart); });
    if (Session *s = sessionFor(m_document->currentTraceIndex()))
        layer->setStore(s->store, s->stack);
    return layer;
}

AnnotationSessions::Session *AnnotationSessions::sessionFor(int traceIndex) const
{
    const auto t = m_document->trace(traceIndex);
    if (!t)
        return nullptr;
    const QString path = QFile::decodeName(QByteArray::fromStdString(t->path));
    for (const auto &s : m_sessions)
        if (s->path == path)
            return s.get();
    return nullptr;
}

AnnotationStore *AnnotationSessions::currentStore() const
{
    const Session *s = sessionFor(m_document->currentTraceIndex());
    return s ? s->store : nullptr;
}

QUndoStack *AnnotationSessions::currentUndoStack() const
{
    const Session *s = sessionFor(m_document->currentTraceIndex());
    return s ? s->stack : nullptr;
}

void AnnotationSessions::onTraceAdded(int index)
{
    const auto t = m_document->trace(index);
    auto session = std::make_unique<Session>();
    session->path = QFile::decodeName(QByteArray::fromStdString(t->path));
    session->store = new AnnotationStore(this);
    session->stack = new QUndoStack(this);
    m_group->addStack(session->stack);
    const SessionFile::LoadResult r = SessionFile::load(session->path);
    session->hasSidecar = r.exists && !r.damaged;
    session->damaged = r.damaged;
    if (r.damaged)
        emit warning(u"Annotations not loaded: %1. The file is kept until you change an annotation; it is then "_s
                     u"saved as .bak."_s.arg(r.error));
    else if (!r.error.isEmpty())
        emit warning(r.error);
    session->store->reset(r.session.annotations);
    Session *s = session.get();
    connect(s->store, &AnnotationStore::changed, this, [this, s] { save(s); });
    m_sessions.push_back(std::move(session));

    // The document makes the new trace current right after traceAdded, picking its own connection;
    // the session's choice wins once that is done.
    if (r.session.selectedConnection >= 0) {
        const qint64 wanted = r.session.selectedConnection;
        const QString path = s->path;
        QTimer::singleShot(0, this, [this, wanted, path] {
            const int current = m_document->currentTraceIndex();
            const auto trace = m_document->trace(current);
            if (!trace || QFile::decodeName(QByteArray::fromStdString(trace->path)) != path)
                return;
            for (std::size_t i = 0; i < trace->connections.size(); ++i)
                if (qint64(trace->connections[i]->id) == wanted)
                    m_document->setCurrentConnection(int(i));
        });
    }
}

void AnnotationSessions::onTraceAboutToBeRemoved(int index)
{
    Session *s = sessionFor(index);
    if (!s)
        return;
    for (AnnotationLayer *layer : m_layers)
        if (layer->store() == s->store)
            layer->setStore(nullptr, nullptr);
    m_group->removeStack(s->stack);
    delete s->stack;
    delete s->store;
    std::erase_if(m_sessions, [s](const auto &p) { return p.get() == s; });
}

void AnnotationSessions::onCurrentTraceChanged()
{
    Session *s = sessionFor(m_document->currentTraceIndex());
    m_group->setActiveStack(s ? s->stack : nullptr);
    for (AnnotationLayer *layer : m_layers)
        layer->setStore(s ? s->store : nullptr, s ? s->stack : nullptr);
}

void AnnotationSessions::save(Session *s)
{
    QString error;
    const bool ok = SessionFile::save(s->path, {s->store->annotations(), s->selectedConnection}, s->damaged, &error);
    if (!ok) {
        if (!s->warnedWrite)
            emit warning(u"Annotations not saved: %1"_s.arg(error));
        s->warnedWrite = true;
        return;
    }
    if (s->damaged)
        emit warning(u"Saved a new %1; the damaged one is kept as %1.bak"_s.arg(
            QFileInfo(SessionFile::sidecarPath(s->path)).fileName()));
    s->damaged = false;
    s->hasSidecar = true;
    s->warnedWrite = false;
}

void AnnotationSessions::addAutomaticAnnotations()
{
    // One undo step for all charts.
    QUndoStack *stack = currentUndoStack();
    if (stack)
        stack->beginMacro(u"Add Automatic Annotations"_s);
    for (AnnotationLayer *layer : m_layers)
        layer->addAutomaticAnnotations();
    if (stack)
        stack->endMacro();
}

void AnnotationSessions::setHighlights(const QList<Annotation> &highlights)
{
    for (AnnotationLayer *layer : m_layers)
        layer->setHighlights(highlights);
}

} // namespace ol
