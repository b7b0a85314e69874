// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's export actions: a chart to PNG (with size and scale), SVG, PDF or CSV, the JSON report of the
// open captures and the annotated pcapng copy for Wireshark. Kept out of the main window so that it stays an orchestrator.
#pragma once

#include <QObject>

class QWidget;

namespace ol {

class AnnotationStore;
class ChartBase;
class PairChart;
class CompareModel;
class JobRunner;
class TraceDocument;

class ExportActions : public QObject
{
    Q_OBJECT
public:
    /// `compare` (may be null) supplies the alignment of two open captures when it already has it.
    ExportActions(QWidget *window, TraceDocument *document, const CompareModel *compare = nullptr);

    /// Asks for a file (QFileDialog confirms overwriting) and, for PNG, the size and scale; then writes.
    void exportChart(ChartBase *chart);
    /// The compare chart or the ladder: PNG, SVG or PDF as drawn, or CSV of the pair's data (comparecsv.h).
    void exportPairChart(PairChart *chart);
    /// Asks for a file and writes the JSON report of the open captures (with their alignment for two: the
    /// compare page's when it aligned the same two, else computed off the GUI thread). saved() follows.
    void exportReport();
    /// Writes the report to a path without asking (exportReport() after the dialog).
    void writeReport(const QString &path);
    /// Asks for a file (QFileDialog confirms overwriting) and writes the current capture as pcapng for Wireshark,
    /// with a comment on every frame OffloadLens classified and on each annotated one (`store`, may be null).
    void exportAnnotatedPcapng(const AnnotationStore *store);
    /// Writes the annotated pcapng to a path without asking, off the GUI thread; saved() or a warning follows.
    void writeAnnotatedPcapng(const QString &path, const AnnotationStore *store);

signals:
    void saved(const QString &text);

private:
    QString askPath(const QString &caption, const QString &filters, const QString &defaultSuffix);

    QWidget *m_window;
    TraceDocument *m_document;
    const CompareModel *m_compare;
    JobRunner *m_runner;
    JobRunner *m_copies; // pcapng copies: a report export started meanwhile does not cancel one
};

} // namespace ol
