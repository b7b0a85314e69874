// SPDX-License-Identifier: GPL-3.0-or-later
// The Learn panel (a dock): lessons on MSS, send offload, receive coalescing and capture points, each with a
// "Show me" that opens the bundled demo capture it speaks about, selects the connection and the segment, and
// highlights them in the charts. Lesson texts are HTML in resources/learn, compiled into the binary.
#pragma once

#include "annotation.h"
#include "tracedocument.h"

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace ol {

class AnnotationSessions;

class LearnPanel : public QWidget
{
    Q_OBJECT
public:
    LearnPanel(TraceDocument *document, AnnotationSessions *sessions, QWidget *parent = nullptr);

    /// The bundled demo captures ("1-sender-with-tso.pcap", ...), found by their number prefix.
    void setDemoFiles(const QStringList &paths);
    int lessonCount() const;
    int currentLesson() const;
    void setCurrentLesson(int index);
    /// Opens the lesson's demo capture(s) and highlights what the lesson speaks about.
    void showMe();
    /// Plain text of the lesson shown (tests, accessibility).
    QString lessonText() const;

signals:
    /// A lesson's highlights are on the charts (after its capture loaded).
    void lessonShown(int index);

private:
    void updateButtons();
    void apply(int lesson);
    QString demoPath(int number) const;

    TraceDocument *m_document;
    AnnotationSessions *m_sessions;
    QComboBox *m_lessons;
    QTextBrowser *m_text;
    QPushButton *m_showMe;
    QPushButton *m_previous;
    QPushButton *m_next;
    QLabel *m_status;
    QStringList m_demoFiles;
    QString m_highlightedPath; // capture the highlights belong to
    int m_pendingLesson = -1; // waiting for its capture to load
};

/// The highlights of a lesson on one connection (exposed for tests): arrows and notes for both charts.
QList<Annotation> lessonHighlights(const QString &lessonId, const Connection &connection, TimeNs origin,
                                   int sequenceDirection);

} // namespace ol
