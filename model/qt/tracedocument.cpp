// SPDX-License-Identifier: GPL-3.0-or-later
// The document that owns loaded traces and the current selection (see tracedocument.h).
#include "tracedocument.h"

#include <QFile>
#include <QFileInfo>

#include <utility>

namespace ol {

TraceDocument::TraceDocument(QObject *parent)
    : QObject(parent)
    , m_loader(new TraceLoader(this))
{
    connect(m_loader, &TraceLoader::loadStarted, this,
            [this](quint64, const QString &path) { emit loadStarted(path, m_loader->queuedCount()); });
    connect(m_loader, &TraceLoader::loadProgressed, this,
            [this](quint64, const QString &path, quint64 bytes, quint64 size, quint64 packets) {
                emit loadProgressed(path, bytes, size, packets);
            });
    connect(m_loader, &TraceLoader::loadFinished, this, &TraceDocument::onLoaded);
    connect(m_loader, &TraceLoader::loadPartial, this, &TraceDocument::onLoaded); // a snapshot, or the whole file
    connect(m_loader, &TraceLoader::loadFailed, this, [this](quint64, const QString &path, const QString &error) {
        dropPartial(path);
        emit loadFailed(path, error);
    });
    connect(m_loader, &TraceLoader::loadCancelled, this, [this](quint64, const QString &path) {
        dropPartial(path);
        emit loadCancelled(path);
    });
    connect(m_loader, &TraceLoader::idle, this, &TraceDocument::loadingFinished);
}

TraceDocument::~TraceDocument() = default;

void TraceDocument::open(const QStringList &paths)
{
    QStringList fresh;
    for (const QString &p : paths) {
        const QString abs = QFileInfo(p).absoluteFilePath();
        const int existing = indexOf(abs);
        if (existing >= 0)
            setCurrentTrace(existing); // opening an open file again just shows it
        else if (!fresh.contains(abs))
            fresh << abs;
    }
    if (!fresh.isEmpty())
        m_loader->load(fresh);
}

void TraceDocument::cancelLoading()
{
    m_loader->cancelAll();
}

bool TraceDocument::isLoading() const
{
    return m_loader->isBusy();
}

void TraceDocument::onLoaded(quint64, const QString &path, std::shared_ptr<const Trace> trace)
{
    if (!trace)
        return;
    if (const int index = indexOf(path); index >= 0) {
        // A snapshot of this load gives way to the next snapshot or to the final trace; a final trace already
        // open (the file queued twice quickly) stays: keep the first.
        if (m_traces[std::size_t(index)]->partial)
            replaceAt(index, std::move(trace));
        return;
    }
    append(std::move(trace));
}

void TraceDocument::append(std::shared_ptr<const Trace> trace)
{
    m_traces.push_back(std::move(trace));
    const int index = int(m_traces.size()) - 1;
    emit traceAdded(index);
    setCurrentTrace(index);
}

void TraceDocument::replaceAt(int index, std::shared_ptr<const Trace> trace)
{
    // The old trace lives until the views have moved to the new one.
    const std::shared_ptr<const Trace> old = std::exchange(m_traces[std::size_t(index)], std::move(trace));
    emit traceReplaced(index);
    if (index != m_currentTrace)
        return;
    const Trace &t = *m_traces[std::size_t(index)];
    // The connection to show, chosen before anything changes, so that the views switch once: a connection the
    // user chose stays (by id); the document's own pick stays too unless the new pick is clearly better (it
    // shows offload and the old one does not, or it has twice the packets), so that snapshots a second apart do
    // not make the charts jump between connections of about the same size.
    int show = interestingConnection(t);
    const Connection *selected = m_currentConnection >= 0 && m_currentConnection < int(old->connections.size())
        ? old->connections[std::size_t(m_currentConnection)].get()
        : nullptr;
    const bool userChoice = selected && m_currentConnection != m_pickedConnection;
    int keep = -1;
    for (std::size_t i = 0; i < t.connections.size() && selected; ++i)
        if (t.connections[i]->id == selected->id)
            keep = int(i);
    if (keep >= 0 && show >= 0 && keep != show) {
        const auto oversized = [](const Connection &c) {
            return c.directions[0].offload.oversized() + c.directions[1].offload.oversized() > 0;
        };
        const Connection &kept = *t.connections[std::size_t(keep)], &pick = *t.connections[std::size_t(show)];
        const bool better = (oversized(pick) && !oversized(kept)) || pick.packets > 2 * kept.packets;
        if (userChoice || !better)
            show = keep;
    } else if (keep >= 0) {
        show = keep;
    }
    // Like setCurrentTrace, without passing through "no trace" (the charts would drop the points they show).
    setCurrentSegment({});
    m_currentConnection = show;
    m_pickedConnection = userChoice && show == keep ? -1 : show;
    emit currentTraceChanged(index);
    emit currentConnectionChanged(show);
}

void TraceDocument::dropPartial(const QString &path)
{
    const int index = indexOf(path);
    if (index >= 0 && m_traces[std::size_t(index)]->partial)
        close(index);
}

void TraceDocument::addOrReplace(std::shared_ptr<const Trace> trace)
{
    if (!trace)
        return;
    // By the trace's own name: a live capture's is not a file path (indexOf compares absolute paths).
    int old = -1;
    for (int i = 0; i < traceCount(); ++i)
        if (m_traces[std::size_t(i)]->path == trace->path)
            old = i;
    const int keep = old >= 0 && old == m_currentTrace ? m_currentConnection : -1;
    if (old >= 0)
        close(old);
    append(std::move(trace));
    if (keep >= 0 && keep < int(m_traces.back()->connections.size()))
        setCurrentConnection(keep);
}

void TraceDocument::close(int index)
{
    if (index < 0 || index >= traceCount())
        return;
    // Closing a file still loading stops its load (its next snapshot would bring it back).
    if (m_traces[std::size_t(index)]->partial && m_loader->isBusy() && indexOf(m_loader->currentPath()) == index) {
        m_loader->cancelCurrent(); // loadCancelled closes the snapshot
        return;
    }
    const bool wasCurrent = index == m_currentTrace;
    if (wasCurrent)
        setCurrentTrace(-1);
    emit traceAboutToBeRemoved(index);
    m_traces.erase(m_traces.begin() + index);
    if (m_currentTrace > index) {
        --m_currentTrace;
        emit currentTraceChanged(m_currentTrace);
    }
    emit traceRemoved(index);
    if (wasCurrent && traceCount() > 0)
        setCurrentTrace(std::min(index, traceCount() - 1));
}

void TraceDocument::closeAll()
{
    while (traceCount() > 0)
        close(traceCount() - 1);
}

std::shared_ptr<const Trace> TraceDocument::trace(int index) const
{
    if (index < 0 || index >= traceCount())
        return nullptr;
    return m_traces[std::size_t(index)];
}

int TraceDocument::indexOf(const QString &path) const
{
    const std::string p = QFile::encodeName(QFileInfo(path).absoluteFilePath()).toStdString();
    for (std::size_t i = 0; i < m_traces.size(); ++i)
        if (m_traces[i]->path == p)
            return int(i);
    return -1;
}

const Connection *TraceDocument::currentConnection() const
{
    const auto t = currentTrace();
    if (!t || m_currentConnection < 0 || m_currentConnection >= int(t->connections.size()))
        return nullptr;
    return t->connections[std::size_t(m_currentConnection)].get();
}

void TraceDocument::setCurrentTrace(int index)
{
    if (index >= traceCount())
        index = -1;
    if (index == m_currentTrace)
        return;
    setCurrentSegment({});
    m_currentConnection = -1;
    m_currentTrace = index;
    emit currentTraceChanged(index);
    emit currentConnectionChanged(-1);
    const int pick = interestingConnection();
    setCurrentConnection(pick);
    m_pickedConnection = pick;
}

void TraceDocument::setCurrentConnection(int connectionIndex)
{
    const auto t = currentTrace();
    if (!t || connectionIndex >= int(t->connections.size()))
        connectionIndex = -1;
    if (connectionIndex == m_currentConnection)
        return;
    setCurrentSegment({});
    m_currentConnection = connectionIndex;
    emit currentConnectionChanged(connectionIndex);
}

void TraceDocument::setCurrentSegment(SegmentRef segment)
{
    if (segment == m_currentSegment)
        return;
    m_currentSegment = segment;
    emit currentSegmentChanged(segment);
}

int TraceDocument::interestingConnection() const
{
    const auto t = currentTrace();
    return t ? interestingConnection(*t) : -1;
}

int TraceDocument::interestingConnection(const Trace &t)
{
    if (t.connections.empty())
        return -1;
    int busiest = 0;
    for (std::size_t i = 0; i < t.connections.size(); ++i) {
        const Connection &c = *t.connections[i];
        if (c.directions[0].offload.oversized() || c.directions[1].offload.oversized())
            return int(i);
        if (c.packets > t.connections[std::size_t(busiest)]->packets)
            busiest = int(i);
    }
    return busiest;
}

} // namespace ol
