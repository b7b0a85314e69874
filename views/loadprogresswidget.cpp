// SPDX-License-Identifier: GPL-3.0-or-later
// Load progress in the status bar (see loadprogresswidget.h).
#include "loadprogresswidget.h"

#include "offloadtext.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace ol {

using namespace Qt::StringLiterals;

namespace {
QString megabytes(quint64 bytes)
{
    return QString::number(double(bytes) / 1e6, 'f', 1) + u" MB"_s;
}
} // namespace

LoadProgressWidget::LoadProgressWidget(TraceDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_label(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_cancel(new QPushButton(u"Cancel"_s, this))
{
    setAccessibleName(u"Loading progress"_s);
    m_bar->setAccessibleName(u"Load progress"_s);
    m_cancel->setAccessibleName(u"Cancel loading"_s);
    m_bar->setRange(0, 1000);
    m_bar->setMaximumWidth(220);
    m_bar->setTextVisible(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    hide();

    connect(m_cancel, &QPushButton::clicked, document, &TraceDocument::cancelLoading);
    connect(document, &TraceDocument::loadStarted, this, [this](const QString &path, int remaining) {
        m_file = QFileInfo(path).fileName();
        m_remaining = remaining;
        m_bar->setValue(0);
        m_label->setText(u"Loading %1…"_s.arg(m_file));
        show();
    });
    connect(document, &TraceDocument::loadProgressed, this,
            [this](const QString &, quint64 bytes, quint64 size, quint64 packets) {
                m_bar->setValue(size ? int(qMin<quint64>(1000, bytes * 1000 / size)) : 0);
                QString t = u"Loading %1: %2 of %3, %4 packets"_s.arg(m_file, megabytes(bytes), megabytes(size),
                                                                      text::thousands(packets));
                if (m_remaining > 0)
                    t += u" (%1 more queued)"_s.arg(m_remaining);
                m_label->setText(t);
            });
    connect(document, &TraceDocument::loadingFinished, this, &QWidget::hide);
}

QString LoadProgressWidget::statusText() const
{
    return m_label->text();
}

} // namespace ol
