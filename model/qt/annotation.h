// SPDX-License-Identifier: GPL-3.0-or-later
// Chart annotations pinned to data (a segment by connection id, direction and frame number, or a time range),
// the store that holds them for one capture, their JSON form, and the automatic annotations of a connection.
#pragma once

#include "annotatedpcapng.h"
#include "connection.h"
#include "types.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QString>

#include <optional>

namespace ol {

struct Annotation {
    enum class Kind { Note, Arrow, TimeRange };
    /// Which chart draws it: the value axis differs (bytes of payload or sequence numbers).
    enum class Chart { FrameSize, Sequence };

    quint64 id = 0;
    Kind kind = Kind::Note;
    Chart chart = Chart::FrameSize;
    quint32 connectionId = 0;
    /// The segment it is pinned to (direction 0 = client→server; frame 0 = none).
    int direction = -1;
    quint32 frame = 0;
    /// Time range in seconds since the connection's first packet (TimeRange only).
    double t0 = 0;
    double t1 = 0;
    /// Where the text sits, in plot coordinates (seconds, chart unit). Arrows point from here to the segment.
    QPointF textPos;
    QString text;
    /// Made by "Add automatic annotations" (replaced when they are added again).
    bool automatic = false;

    bool pinnedToSegment() const { return direction >= 0 && frame > 0; }
    QJsonObject toJson() const;
    /// Reads one annotation; nullopt when a required key is missing or has the wrong type.
    static std::optional<Annotation> fromJson(const QJsonObject &object);
    static QString chartName(Chart chart);
    static std::optional<Chart> chartFromName(const QString &name);
    friend bool operator==(const Annotation &, const Annotation &) = default;
};

/// The annotations of one capture file. Views draw from it; edits go through it (the undo commands call
/// add/update/remove) and each edit emits changed().
class AnnotationStore : public QObject
{
    Q_OBJECT
public:
    explicit AnnotationStore(QObject *parent = nullptr);

    const QList<Annotation> &annotations() const { return m_items; }
    /// The annotation with this id, or null.
    const Annotation *find(quint64 id) const;
    /// Adds an annotation; gives it a fresh id when it has none. Returns the id.
    quint64 add(Annotation annotation);
    /// Replaces the annotation with the same id; false if there is none.
    bool update(const Annotation &annotation);
    bool remove(quint64 id);
    /// Replaces everything (loading a session).
    void reset(const QList<Annotation> &annotations);
    /// The annotations of one connection and chart.
    QList<Annotation> forChart(quint32 connectionId, Annotation::Chart chart) const;

signals:
    void changed();

private:
    QList<Annotation> m_items;
    quint64 m_nextId = 1;
};

/// Automatic annotations of one connection for one chart: the largest super-segment ("65,160 bytes = 45 ×
/// 1,448-byte segments"), the first retransmission and (frame-size chart) the MSS line. Times are seconds since
/// `origin`; `sequenceDirection` is the direction the sequence chart shows.
QList<Annotation> automaticAnnotations(const Connection &connection, TimeNs origin, Annotation::Chart chart,
                                       int sequenceDirection = 1);

/// An arrow pinned to segment `index` of direction `direction`; the caller places its text (textPos).
Annotation arrowToSegment(const Connection &connection, int direction, std::size_t index, Annotation::Chart chart,
                          const QString &text);

/// Index of the segment with this frame number in a direction, -1 if none (segments are in frame order).
qint64 segmentIndexOfFrame(const FlowDirection &direction, quint32 frame);

/// The user's annotations as packet comments for an annotated pcapng: a note or arrow on the frame it is pinned
/// to, a time range on the first frame of its connection inside the range. Automatic annotations are left out
/// (the analysis comments say the same). Added to `comments`.
void addAnnotationComments(const Trace &trace, const QList<Annotation> &annotations, FrameComments &comments);

} // namespace ol
