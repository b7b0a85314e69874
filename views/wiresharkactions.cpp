// SPDX-License-Identifier: GPL-3.0-or-later
// Wireshark menu actions (see wiresharkactions.h).
#include "wiresharkactions.h"

#include "chartbase.h"
#include "displayfilter.h"

#include <QAction>
#include <QClipboard>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMenu>
#include <QProcess>
#include <QStandardPaths>

namespace ol::wireshark {

using namespace Qt::StringLiterals;

QString executable()
{
    return QStandardPaths::findExecutable(u"wireshark"_s);
}

QStringList arguments(const QString &capture, quint32 frame)
{
    return {u"-r"_s, capture, u"-g"_s, QString::number(frame)};
}

bool open(const QString &capture, quint32 frame)
{
    const QString program = executable();
    return !program.isEmpty() && frame > 0 && QProcess::startDetached(program, arguments(capture, frame));
}

QAction *addOpenAction(QMenu *menu, const QString &capture, quint32 frame)
{
    menu->setToolTipsVisible(true);
    QAction *a = menu->addAction(frame ? u"Open in &Wireshark at Frame %1"_s.arg(frame) : u"Open in &Wireshark"_s);
    const bool installed = !executable().isEmpty();
    const bool file = QFileInfo(capture).isFile(); // a live capture still being written has no file to open yet
    a->setEnabled(installed && frame > 0 && file);
    if (!installed)
        a->setToolTip(u"Wireshark is not installed (no \"wireshark\" on PATH; apt-get install wireshark-qt)"_s);
    else if (!file)
        a->setToolTip(u"The capture is not a file Wireshark can open"_s);
    else if (!frame)
        a->setToolTip(u"No frame here: right-click a point"_s);
    else
        a->setToolTip(u"wireshark -r %1 -g %2"_s.arg(QFileInfo(capture).fileName()).arg(frame));
    QObject::connect(a, &QAction::triggered, a, [capture, frame] { open(capture, frame); });
    return a;
}

void addCopyFilterActions(QMenu *menu, const Connection &connection)
{
    menu->setToolTipsVisible(true);
    const QString all = QString::fromStdString(connectionDisplayFilter(connection));
    const QString oversized = QString::fromStdString(oversizedDisplayFilter(connection));
    const bool hasOversized = connection.directions[0].offload.oversized()
        + connection.directions[1].offload.oversized();
    QAction *a = menu->addAction(u"Copy Display &Filter"_s, menu,
                                 [all] { QGuiApplication::clipboard()->setText(all); });
    a->setToolTip(all);
    QAction *o = menu->addAction(u"Copy Display Filter for &Oversized Segments"_s, menu,
                                 [oversized] { QGuiApplication::clipboard()->setText(oversized); });
    o->setEnabled(hasOversized && !oversized.isEmpty());
    o->setToolTip(o->isEnabled() ? oversized : u"This connection has no oversized segments"_s);
}

quint32 firstFrame(const Connection &connection)
{
    quint32 first = 0;
    for (const FlowDirection &d : connection.directions)
        if (!d.segments.empty() && (!first || d.segments[0].frame < first))
            first = d.segments[0].frame;
    return first;
}

void addChartActions(QMenu *menu, const ChartBase *chart, SegmentRef underCursor)
{
    const auto series = chart->series();
    if (!series || !series->isValid())
        return;
    const Connection &c = *series->connection();
    const SegmentRef seg = underCursor.isValid() ? underCursor : chart->selectedSegment();
    quint32 frame = firstFrame(c);
    if (seg.isValid() && seg.direction < 2 && std::size_t(seg.index) < c.directions[seg.direction].segments.size())
        frame = c.directions[seg.direction].segments[std::size_t(seg.index)].frame;
    menu->addSeparator();
    addOpenAction(menu, QString::fromStdString(series->trace()->path), frame);
    addCopyFilterActions(menu, c);
}

} // namespace ol::wireshark
