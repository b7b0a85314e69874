// SPDX-License-Identifier: GPL-3.0-or-later
// The Learn panel (see learnpanel.h).
#include "learnpanel.h"

#include "annotationsessions.h"
#include "chartseries.h"
#include "offload.h"
#include "offloadtext.h"

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

struct Lesson {
    QString id;
    QString title;
    int demo; // number prefix of the demo capture it shows
    int alsoOpen; // another demo opened with it (-1: none)
};

const QList<Lesson> &lessons()
{
    static const QList<Lesson> list{
        {u"mss"_s, u"1. What the MSS is"_s, 4, -1},
        {u"tso"_s, u"2. What LSO/TSO/GSO does"_s, 1, -1},
        {u"gro"_s, u"3. What LRO/GRO does"_s, 3, -1},
        {u"mtu"_s, u"4. Why a sender's capture shows frames larger than the MTU"_s, 1, -1},
        {u"mismatch"_s, u"5. Why mismatched offload settings do not matter on the wire"_s, 2, 1},
        {u"where"_s, u"6. How to tell where a trace was taken"_s, 3, -1},
        {u"wireshark"_s, u"7. Not Wireshark's \"TCP segment of a reassembled PDU\""_s, 4, -1},
        {u"problems"_s, u"8. What can go wrong"_s, 5, 6},
    };
    return list;
}

/// An arrow to segment i of direction d on a chart, text placed towards the middle.
Annotation arrow(const Connection &c, TimeNs origin, Annotation::Chart chart, int d, std::size_t i, const QString &text)
{
    const Segment &s = c.directions[d].segments[i];
    const double duration = std::max(double(c.lastTime - origin) / 1e9, 1e-3);
    const double t = double(s.time - origin) / 1e9;
    const bool sequence = chart == Annotation::Chart::Sequence;
    const FlowDirection &fd = c.directions[d];
    const double top = sequence ? double(fd.segments.back().endSeq()) : double(fd.stats.maxPayload);
    const double y = sequence ? double(s.endSeq()) : double(s.payload);
    Annotation a = arrowToSegment(c, d, i, chart, text);
    const double x = t < duration / 2 ? t + 0.25 * duration : t - 0.25 * duration;
    const double ty = sequence ? y - 0.25 * top : (y > 0.6 * top ? y - 0.3 * top : y + 0.3 * top);
    a.textPos = QPointF(x, std::clamp(ty, 0.1 * top, 0.9 * top));
    return a;
}

/// Index of the first full-size segment (else the first with payload) of a direction.
std::optional<std::size_t> firstFullSize(const FlowDirection &fd)
{
    std::optional<std::size_t> any;
    for (std::size_t i = 0; i < fd.segments.size(); ++i) {
        const SegmentClass k = fd.segments[i].segmentClass();
        if (k == SegmentClass::FullSize)
            return i;
        if (!any && fd.segments[i].payload)
            any = i;
    }
    return any;
}

/// Index of the largest segment of a direction.
std::optional<std::size_t> largest(const FlowDirection &fd)
{
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < fd.segments.size(); ++i)
        if (fd.segments[i].payload && (!best || fd.segments[i].payload > fd.segments[*best].payload))
            best = i;
    return best;
}

} // namespace

QList<Annotation> lessonHighlights(const QString &id, const Connection &c, TimeNs origin, int sequenceDirection)
{
    QList<Annotation> out;
    const int d = ChartSeries::busiestDirection(c);
    const FlowDirection &fd = c.directions[d];
    const std::uint32_t eff = fd.offload.effectiveMss;
    const QString dirName = text::directionName(d);
    auto both = [&](std::size_t i, const QString &frameText, const QString &sequenceText) {
        out << arrow(c, origin, Annotation::Chart::FrameSize, d, i, frameText);
        if (d == sequenceDirection)
            out << arrow(c, origin, Annotation::Chart::Sequence, d, i, sequenceText);
    };
    if (id == u"mss"_s || id == u"mismatch"_s || id == u"wireshark"_s) {
        const auto i = firstFullSize(fd);
        if (!i)
            return out;
        const std::uint32_t payload = fd.segments[*i].payload;
        QString frameText;
        if (id == u"mss"_s)
            frameText = u"A full segment: %1 bytes of payload\n= MSS %2 − %3 bytes of TCP options"_s.arg(
                text::thousands(payload), text::thousands(fd.offload.mss), QString::number(fd.offload.mss - eff));
        else if (id == u"mismatch"_s)
            frameText = u"The receiver's copy of the same transfer:\nno frame above %1 bytes — the sender's TSO\n"_s
                        u"left no trace on the wire"_s.arg(text::thousands(eff));
        else
            frameText = u"Wireshark may label this \"TCP segment of a reassembled PDU\":\nthat is about an HTTP "_s
                        u"response spanning segments,\nnot about offload — the size is a normal %1 bytes"_s.arg(
                            text::thousands(payload));
        both(*i, frameText, u"one segment = one bar: %1 bytes of sequence space"_s.arg(text::thousands(payload)));
        if (id == u"mss"_s)
            for (const Annotation &a : automaticAnnotations(c, origin, Annotation::Chart::FrameSize))
                if (a.kind == Annotation::Kind::Note)
                    out << a; // the MSS line explained
        return out;
    }
    if (id == u"problems"_s) {
        // The first retransmission of a full-size segment: the black hole's first visible symptom.
        for (std::size_t k = 0; k < fd.segments.size(); ++k) {
            const Segment &s = fd.segments[k];
            if (s.has(Segment::Retransmission) && eff && s.payload * 10 >= eff * 9) {
                both(k,
                     u"The same %1-byte segment sent again: no ACK and no ICMP\ncame back. Its packets are "_s
                     u"too big for the path."_s.arg(text::thousands(s.payload)),
                     u"no progress: retransmissions with back-off"_s);
                break;
            }
        }
        return out;
    }
    const auto i = largest(fd);
    if (!i || !eff || fd.segments[*i].payload <= eff)
        return out;
    const QString phrase = QString::fromStdString(segmentsPhrase(fd.segments[*i].payload, eff));
    if (id == u"tso"_s)
        both(*i, u"One send by the server's TCP: %1.\nThe NIC cut it up after the capture tap saw it."_s.arg(phrase),
             u"one super-segment spans %1 MSS of sequence space"_s.arg(fd.segments[*i].payload / eff));
    else if (id == u"gro"_s)
        both(*i, u"Merged on arrival: %1.\nGRO joined the wire segments before the capture tap."_s.arg(phrase),
             u"one coalesced frame spans %1 wire segments"_s.arg((fd.segments[*i].payload + eff - 1) / eff));
    else if (id == u"mtu"_s)
        both(*i,
             u"%1 bytes in one frame on a 1,500-byte MTU:\nthe capture was taken before the NIC "_s
             u"segmented it"_s.arg(text::thousands(fd.segments[*i].payload)),
             u"this frame never crossed the wire as one packet"_s);
    else if (id == u"where"_s)
        both(*i,
             u"%1 frames larger than the MSS, arriving (%2):\nmerged on this host → captured at the "_s
             u"receiver"_s.arg(text::thousands(fd.offload.oversized()), dirName),
             u"coalesced inbound data: a receiver-side capture"_s);
    return out;
}

LearnPanel::LearnPanel(TraceDocument *document, AnnotationSessions *sessions, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_sessions(sessions)
    , m_lessons(new QComboBox(this))
    , m_text(new QTextBrowser(this))
    , m_showMe(new QPushButton(u"&Show me"_s, this))
    , m_previous(new QPushButton(u"‹ &Previous"_s, this))
    , m_next(new QPushButton(u"N&ext ›"_s, this))
    , m_status(new QLabel(this))
{
    setAccessibleName(u"Learn"_s);
    for (const Lesson &l : lessons())
        m_lessons->addItem(l.title, l.id);
    m_lessons->setAccessibleName(u"Lesson"_s);
    // Long lesson titles must not widen the dock (and the window) beyond what the explanation needs.
    m_lessons->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_lessons->setMinimumContentsLength(24);
    m_text->setOpenExternalLinks(true);
    m_text->setAccessibleName(u"Lesson text"_s);
    m_showMe->setToolTip(u"Open the demo capture of this lesson and highlight what it explains in the charts"_s);
    m_status->setWordWrap(true);

    auto *nav = new QHBoxLayout;
    nav->addWidget(m_previous);
    nav->addWidget(m_next);
    nav->addStretch(1);
    nav->addWidget(m_showMe);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_lessons);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_status);
    layout->addLayout(nav);

    connect(m_lessons, &QComboBox::currentIndexChanged, this, [this](int index) {
        QFile file(u":/offloadlens/learn/%1.html"_s.arg(lessons().value(index).id));
        m_text->setHtml(file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll())
                                                       : u"<p>Lesson text missing.</p>"_s);
        m_status->clear();
        updateButtons();
    });
    connect(m_previous, &QPushButton::clicked, this, [this] { setCurrentLesson(currentLesson() - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setCurrentLesson(currentLesson() + 1); });
    connect(m_showMe, &QPushButton::clicked, this, &LearnPanel::showMe);
    connect(document, &TraceDocument::loadingFinished, this, [this] {
        if (m_pendingLesson >= 0) {
            const int lesson = m_pendingLesson;
            m_pendingLesson = -1;
            apply(lesson);
        }
    });
    // Highlights belong to one capture: another capture (same connection ids) must not show them.
    connect(document, &TraceDocument::currentTraceChanged, this, [this] {
        const auto t = m_document->currentTrace();
        if (!m_highlightedPath.isEmpty() && (!t || QString::fromStdString(t->path) != m_highlightedPath)) {
            m_highlightedPath.clear();
            m_sessions->setHighlights({});
        }
    });
    m_lessons->setCurrentIndex(-1);
    m_lessons->setCurrentIndex(0);
}

int LearnPanel::lessonCount() const
{
    return int(lessons().size());
}
int LearnPanel::currentLesson() const
{
    return m_lessons->currentIndex();
}

void LearnPanel::setCurrentLesson(int index)
{
    if (index >= 0 && index < lessonCount())
        m_lessons->setCurrentIndex(index);
}

QString LearnPanel::lessonText() const
{
    return m_text->toPlainText();
}

void LearnPanel::setDemoFiles(const QStringList &paths)
{
    m_demoFiles = paths;
    updateButtons();
}

QString LearnPanel::demoPath(int number) const
{
    const QString prefix = QString::number(number) + u'-';
    for (const QString &p : m_demoFiles)
        if (QFileInfo(p).fileName().startsWith(prefix))
            return QFileInfo(p).absoluteFilePath();
    return {};
}

void LearnPanel::updateButtons()
{
    const int i = currentLesson();
    m_previous->setEnabled(i > 0);
    m_next->setEnabled(i >= 0 && i + 1 < lessonCount());
    const bool haveDemo = i >= 0 && !demoPath(lessons()[i].demo).isEmpty();
    m_showMe->setEnabled(haveDemo);
    if (!haveDemo)
        m_showMe->setToolTip(u"The demo captures were not found (resources/demo, or share/offloadlens/demo when "_s
                             u"installed)"_s);
}

void LearnPanel::showMe()
{
    const int index = currentLesson();
    if (index < 0)
        return;
    const Lesson &lesson = lessons()[index];
    QStringList paths;
    if (lesson.alsoOpen > 0 && !demoPath(lesson.alsoOpen).isEmpty())
        paths << demoPath(lesson.alsoOpen);
    paths << demoPath(lesson.demo);
    bool allOpen = true;
    for (const QString &p : std::as_const(paths))
        allOpen = allOpen && m_document->indexOf(p) >= 0;
    if (allOpen) {
        apply(index);
        return;
    }
    m_pendingLesson = index;
    m_status->setText(u"Opening %1…"_s.arg(QFileInfo(paths.last()).fileName()));
    m_document->open(paths);
}

void LearnPanel::apply(int index)
{
    const Lesson &lesson = lessons()[index];
    const QString path = demoPath(lesson.demo);
    const int trace = m_document->indexOf(path);
    if (trace < 0) {
        m_status->setText(u"Could not open %1."_s.arg(QFileInfo(path).fileName()));
        return;
    }
    m_document->setCurrentTrace(trace);
    m_document->setCurrentConnection(m_document->interestingConnection());
    const Connection *c = m_document->currentConnection();
    if (!c)
        return;
    const int seqDir = ChartSeries::busiestDirection(*c);
    const QList<Annotation> highlights = lessonHighlights(lesson.id, *c, c->firstTime, seqDir);
    m_highlightedPath = QString::fromStdString(m_document->currentTrace()->path);
    m_sessions->setHighlights(highlights);
    // Select the highlighted segment too: the Evidence panel then explains it in words.
    for (const Annotation &a : highlights)
        if (a.pinnedToSegment()) {
            const qint64 i = segmentIndexOfFrame(c->directions[a.direction], a.frame);
            if (i >= 0) {
                m_document->setCurrentSegment({a.direction, i});
                break;
            }
        }
    m_status->setText(u"Showing %1 — highlights in purple."_s.arg(QFileInfo(path).fileName()));
    emit lessonShown(index);
}

} // namespace ol
