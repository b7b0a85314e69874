// SPDX-License-Identifier: GPL-3.0-or-later
// The document: the loaded traces (several files), the loader that fills it, and the current selection
// (file, connection, segment) that every page follows.
#pragma once

#include "trace.h"
#include "traceloader.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

namespace ol {

/// A segment picked in a chart: which direction of the current connection and its index there.
struct SegmentRef {
    int direction = -1;
    qint64 index = -1;
    bool isValid() const { return direction >= 0 && index >= 0; }
    friend bool operator==(const SegmentRef &, const SegmentRef &) = default;
};

class TraceDocument : public QObject
{
    Q_OBJECT
public:
    explicit TraceDocument(QObject *parent = nullptr);
    ~TraceDocument() override;

    /// Starts loading files in the background; each one ends in traceAdded, loadFailed or loadCancelled.
    /// A large file is shown while it loads: its snapshots (Trace::partial) come in by traceAdded (the first)
    /// and traceReplaced, the final trace replaces the last of them (traceReplaced), and a cancelled or failed
    /// load removes it again.
    void open(const QStringList &paths);
    void cancelLoading();
    bool isLoading() const;
    /// Closes one file.
    void close(int traceIndex);
    /// Shows a trace that did not come from open(): a live capture. One with the same path (the capture's
    /// previous snapshot) is replaced, keeping the selected connection when the new one has it.
    void addOrReplace(std::shared_ptr<const Trace> trace);
    void closeAll();

    int traceCount() const { return int(m_traces.size()); }
    std::shared_ptr<const Trace> trace(int index) const;
    const std::vector<std::shared_ptr<const Trace>> &traces() const { return m_traces; }
    /// Index of an open file by path, -1 if not open.
    int indexOf(const QString &path) const;

    int currentTraceIndex() const { return m_currentTrace; }
    std::shared_ptr<const Trace> currentTrace() const { return trace(m_currentTrace); }
    /// Index into currentTrace()->connections, -1 for none.
    int currentConnectionIndex() const { return m_currentConnection; }
    const Connection *currentConnection() const;
    SegmentRef currentSegment() const { return m_currentSegment; }

    void setCurrentTrace(int index);
    void setCurrentConnection(int connectionIndex);
    void setCurrentSegment(SegmentRef segment);
    /// The first connection of the current trace with oversized segments (else the busiest one), -1 if none.
    int interestingConnection() const;
    /// The same choice for any trace (the headless export draws it by default).
    static int interestingConnection(const Trace &trace);

    TraceLoader *loader() const { return m_loader; }

signals:
    void loadStarted(const QString &path, int remaining);
    void loadProgressed(const QString &path, quint64 bytes, quint64 fileSize, quint64 packets);
    void loadFailed(const QString &path, const QString &error);
    void loadCancelled(const QString &path);
    /// All queued loads are done.
    void loadingFinished();
    void traceAdded(int index);
    /// The trace at index was replaced by a newer one of the same file (a snapshot by the next, or by the final
    /// trace). When it was the current trace, currentTraceChanged follows.
    void traceReplaced(int index);
    void traceAboutToBeRemoved(int index);
    void traceRemoved(int index);
    void currentTraceChanged(int index);
    void currentConnectionChanged(int connectionIndex);
    void currentSegmentChanged(const ol::SegmentRef &segment);

private:
    void onLoaded(quint64 jobId, const QString &path, std::shared_ptr<const Trace> trace);
    /// Adds a trace at the end of the list and makes it current.
    void append(std::shared_ptr<const Trace> trace);
    /// Puts trace in place of the one at index; the selected connection stays (by id) unless it was the
    /// document's own pick, which is made again on the new trace.
    void replaceAt(int index, std::shared_ptr<const Trace> trace);
    /// Closes the snapshot of a load that ended without a final trace.
    void dropPartial(const QString &path);

    TraceLoader *m_loader;
    std::vector<std::shared_ptr<const Trace>> m_traces;
    int m_currentTrace = -1;
    int m_currentConnection = -1;
    SegmentRef m_currentSegment;
    int m_pickedConnection = -1; // the connection setCurrentTrace chose itself (not the user), -1 for none
};

} // namespace ol

Q_DECLARE_METATYPE(ol::SegmentRef)
