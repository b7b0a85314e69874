// SPDX-License-Identifier: GPL-3.0-or-later
// The page shown once a capture is open: the verdict banner, the connection table and the two charts.
#pragma once

#include "tracedocument.h"

#include <QWidget>

class QSplitter;

namespace ol {

class ChartsPanel;
class ConnectionsPanel;
class SummaryBanner;

class WorkspacePage : public QWidget
{
    Q_OBJECT
public:
    explicit WorkspacePage(TraceDocument *document, QWidget *parent = nullptr);

    SummaryBanner *banner() const { return m_banner; }
    ConnectionsPanel *connections() const { return m_connections; }
    ChartsPanel *charts() const { return m_charts; }
    QSplitter *splitter() const { return m_splitter; }

private:
    SummaryBanner *m_banner;
    ConnectionsPanel *m_connections;
    ChartsPanel *m_charts;
    QSplitter *m_splitter;
};

} // namespace ol
