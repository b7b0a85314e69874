// SPDX-License-Identifier: GPL-3.0-or-later
// The Problems panel: what went wrong in the current trace (model/core/problems.h), one row per problem.
// Selecting one selects its connection and first frame and asks the charts to zoom to its time range.
#pragma once

#include "tracedocument.h"

#include <QWidget>

class QMenu;
class QTextBrowser;
class QTreeView;

namespace ol {

class ProblemModel;

class ProblemsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProblemsPanel(TraceDocument *document, QWidget *parent = nullptr);

    ProblemModel *model() const { return m_model; }
    /// Selects a row as a click would (for tests and screenshots).
    void selectRow(int row);
    /// The Wireshark actions for the problem in a row: open at its first example frame, its connection's filters.
    void fillContextMenu(QMenu *menu, int row) const;

signals:
    /// Seconds since the selected connection's start, the range the charts should show.
    void zoomRequested(double lower, double upper);

private:
    void refresh();
    void showSelected();

    TraceDocument *m_document;
    ProblemModel *m_model;
    QTreeView *m_view;
    QTextBrowser *m_detail;
};

} // namespace ol
