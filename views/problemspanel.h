// SPDX-License-Identifier: GPL-3.0-or-later
// The Problems panel: what went wrong in the current trace (model/core/problems.h), one row per problem.
// Selecting one selects its connection and first frame and asks the charts to zoom to its time range.
#pragma once

#include "jobrunner.h"
#include "problems.h"
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
    /// Traces with fewer segments are diagnosed on the GUI thread at once; larger ones on a worker.
    static constexpr std::size_t DefaultInlineLimit = 1'000'000;
    void setInlineLimit(std::size_t segments) { m_inlineLimit = segments; }
    /// Selects a row as a click would (for tests and screenshots); while a large trace is still being diagnosed,
    /// once its rows are there.
    void selectRow(int row);
    /// The Wireshark actions for the problem in a row: open at its first example frame, its connection's filters.
    void fillContextMenu(QMenu *menu, int row) const;

signals:
    /// Seconds since the selected connection's start, the range the charts should show.
    void zoomRequested(double lower, double upper);

private:
    void refresh();
    void showReport(const Trace &trace, ProblemReport report);
    void showSelected();

    TraceDocument *m_document;
    ProblemModel *m_model;
    QTreeView *m_view;
    QTextBrowser *m_detail;
    JobRunner *m_runner;
    int m_pendingRow = -1;
    std::size_t m_inlineLimit = DefaultInlineLimit;
};

} // namespace ol
