// SPDX-License-Identifier: GPL-3.0-or-later
// The welcome page (see welcomepage.h).
#include "welcomepage.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ol {

using namespace Qt::StringLiterals;

namespace {
/// What each bundled demo capture (resources/demo/README.md) shows.
QString demoDescription(const QString &fileName)
{
    if (fileName.startsWith(u"1-"_s))
        return u"Captured on the sender with TSO: frames up to 45 × MSS leaving the host"_s;
    if (fileName.startsWith(u"2-"_s))
        return u"The same transfer at the receiver: nothing larger than the MSS"_s;
    if (fileName.startsWith(u"3-"_s))
        return u"Captured on a receiver with GRO: coalesced frames arriving"_s;
    if (fileName.startsWith(u"4-"_s))
        return u"No offload anywhere: every frame as it was on the wire"_s;
    if (fileName.startsWith(u"5-"_s))
        return u"A PMTU black hole: full-size retransmissions with back-off, then smaller segments"_s;
    if (fileName.startsWith(u"6-"_s))
        return u"A router clamps the MSS to 1,200: segments below the MSS the receiver announced"_s;
    return {};
}
} // namespace

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_demoHeading(new QLabel(u"<b>Demo captures</b>"_s, this))
    , m_learnButton(new QPushButton(u"&Learn how offload shows in a capture…"_s, this))
    , m_demoList(new QVBoxLayout)
    , m_recentHeading(new QLabel(u"<b>Recent files</b>"_s, this))
    , m_recentList(new QVBoxLayout)
{
    setAccessibleName(u"Welcome"_s);
    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(u":/offloadlens/offloadlens.svg"_s).pixmap(96, 96));
    icon->setAlignment(Qt::AlignCenter);
    auto *title = new QLabel(u"<h1>OffloadLens</h1>"_s, this);
    title->setAlignment(Qt::AlignCenter);
    auto *intro = new QLabel(
        u"Open a packet capture of TCP traffic to see each frame's size against the connection's MSS and whether "_s
        u"the capture was taken on a host doing segmentation offload (TSO/GSO/LSO) or receive coalescing "_s
        u"(GRO/LRO) — with the evidence spelled out. You can also drop files on this window."_s,
        this);
    intro->setWordWrap(true);
    intro->setAlignment(Qt::AlignCenter);
    // No alignment flag in the layout: a word-wrapped label only gets its height for the width it is given.
    intro->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    auto *open = new QPushButton(u"&Open a capture…"_s, this);
    open->setAccessibleName(u"Open a capture"_s);
    open->setDefault(true);
    open->setMinimumHeight(36);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openRequested);
    m_learnButton->setToolTip(u"Seven short lessons that open these demo captures and highlight what they explain"_s);
    connect(static_cast<QPushButton *>(m_learnButton), &QPushButton::clicked, this, &WelcomePage::learnRequested);

    auto *column = new QVBoxLayout;
    column->addStretch(2);
    column->addWidget(icon);
    column->addWidget(title);
    column->addWidget(intro);
    column->addSpacing(12);
    column->addWidget(open, 0, Qt::AlignHCenter);
    column->addSpacing(18);
    column->addWidget(m_demoHeading);
    column->addLayout(m_demoList);
    column->addWidget(m_learnButton, 0, Qt::AlignLeft);
    column->addSpacing(12);
    column->addWidget(m_recentHeading);
    column->addLayout(m_recentList);
    column->addStretch(3);

    auto *outer = new QHBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(column, 2);
    outer->addStretch(1);
    setDemoFiles({});
    setRecentFiles({});
}

void WelcomePage::fillList(QVBoxLayout *layout, QLabel *heading, const QStringList &paths, bool withAllButton)
{
    while (QLayoutItem *item = layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    heading->setVisible(!paths.isEmpty());
    for (const QString &path : paths) {
        // The bundled demos say what they show; other files say where they are.
        const QString description = withAllButton ? demoDescription(QFileInfo(path).fileName()) : QString();
        auto *button = new QCommandLinkButton(
            QFileInfo(path).fileName(), description.isEmpty() ? QFileInfo(path).absolutePath() : description, this);
        button->setToolTip(path);
        button->setAccessibleName(u"Open "_s + QFileInfo(path).fileName());
        connect(button, &QPushButton::clicked, this, [this, path] { emit filesRequested({path}); });
        layout->addWidget(button);
    }
    if (withAllButton && paths.size() > 1) {
        auto *all = new QPushButton(u"Open all demo captures"_s, this);
        connect(all, &QPushButton::clicked, this, [this, paths] { emit filesRequested(paths); });
        layout->addWidget(all, 0, Qt::AlignLeft);
    }
}

void WelcomePage::setDemoFiles(const QStringList &paths)
{
    fillList(m_demoList, m_demoHeading, paths, true);
    m_learnButton->setVisible(!paths.isEmpty());
}

void WelcomePage::setRecentFiles(const QStringList &paths)
{
    fillList(m_recentList, m_recentHeading, paths.mid(0, 6), false);
}

} // namespace ol
