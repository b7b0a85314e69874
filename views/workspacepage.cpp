// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace page (see workspacepage.h).
#include "workspacepage.h"

#include "chartspanel.h"
#include "connectionspanel.h"
#include "summarybanner.h"

#include <QSplitter>
#include <QVBoxLayout>

namespace ol {

using namespace Qt::StringLiterals;

WorkspacePage::WorkspacePage(TraceDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_banner(new SummaryBanner(document, this))
    , m_connections(new ConnectionsPanel(document, this))
    , m_charts(new ChartsPanel(document, this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
{
    setAccessibleName(u"Workspace"_s);
    m_splitter->setObjectName(u"workspaceSplitter"_s);
    m_splitter->addWidget(m_connections);
    m_splitter->addWidget(m_charts);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 4);
    m_splitter->setSizes({150, 650});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
}

} // namespace ol
