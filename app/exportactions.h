// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's export actions: a chart to PNG (with size and scale), SVG, PDF or CSV, and the JSON report of the
// open captures. Kept out of the main window so that it stays an orchestrator.
#pragma once

#include <QObject>

class QWidget;

namespace ol {

class ChartBase;
class TraceDocument;

class ExportActions : public QObject
{
    Q_OBJECT
public:
    ExportActions(QWidget *window, TraceDocument *document);

    /// Asks for a file (QFileDialog confirms overwriting) and, for PNG, the size and scale; then writes.
    void exportChart(ChartBase *chart);
    /// Asks for a file and writes the JSON report of the open captures (with their alignment for two).
    void exportReport();

signals:
    void saved(const QString &text);

private:
    QString askPath(const QString &caption, const QString &filters, const QString &defaultSuffix);

    QWidget *m_window;
    TraceDocument *m_document;
};

} // namespace ol
