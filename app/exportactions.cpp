// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's export actions (see exportactions.h).
#include "exportactions.h"

#include "alignment.h"
#include "annotatedpcapng.h"
#include "annotation.h"
#include "chartbase.h"
#include "chartexport.h"
#include "chartfactory.h"
#include "comparemodel.h"
#include "jobrunner.h"
#include "pairchart.h"
#include "report.h"
#include "sequencechart.h"
#include "streamseries.h"
#include "tracedocument.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QSpinBox>

#include <memory>

namespace ol {

using namespace Qt::StringLiterals;

ExportActions::ExportActions(QWidget *window, TraceDocument *document, const CompareModel *compare)
    : QObject(window)
    , m_window(window)
    , m_document(document)
    , m_compare(compare)
    , m_runner(new JobRunner(this))
    , m_copies(new JobRunner(this))
{ }

QString ExportActions::askPath(const QString &caption, const QString &filters, const QString &defaultSuffix)
{
    QSettings settings;
    const QString dir = settings.value(u"exportDirectory"_s, settings.value(u"lastDirectory"_s)).toString();
    QFileDialog dialog(m_window, caption, dir, filters);
    dialog.setAcceptMode(QFileDialog::AcceptSave); // asks before overwriting
    dialog.setDefaultSuffix(defaultSuffix);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    QString path = dialog.selectedFiles().constFirst();
    // The filter chosen decides the format when the name has no known extension.
    if (exportFormatFor(path) == ExportFormat::Unknown && defaultSuffix != u"json"_s && defaultSuffix != u"pcapng"_s) {
        const QString filter = dialog.selectedNameFilter();
        const qsizetype star = filter.indexOf(u"*."_s);
        if (star >= 0)
            path += filter.mid(star + 1, filter.indexOf(u')', star) - star - 1);
    }
    settings.setValue(u"exportDirectory"_s, QFileInfo(path).absolutePath());
    return path;
}

void ExportActions::exportChart(ChartBase *chart)
{
    const QString path = askPath(u"Export Chart"_s,
                                 u"PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf);;"_s
                                 u"CSV of the data, every segment (*.csv)"_s,
                                 u"png"_s);
    if (path.isEmpty())
        return;
    ExportOptions options;
    options.width = chart->plot()->width();
    options.height = chart->plot()->height();
    options.title = defaultChartTitle(chart);
    const ExportFormat format = exportFormatFor(path);
    if (format != ExportFormat::Csv) {
        QDialog dialog(m_window);
        dialog.setWindowTitle(u"Export Chart"_s);
        auto *width = new QSpinBox(&dialog);
        auto *height = new QSpinBox(&dialog);
        for (QSpinBox *box : {width, height}) {
            box->setRange(200, 20000);
            box->setSuffix(u" px"_s);
        }
        width->setValue(options.width);
        height->setValue(options.height);
        auto *scale = new QDoubleSpinBox(&dialog);
        scale->setRange(0.5, 8);
        scale->setSingleStep(0.5);
        scale->setValue(QSettings().value(u"export/scale"_s, 2.0).toDouble());
        scale->setSuffix(u" ×"_s);
        scale->setToolTip(u"Pixels per point: 2× or more for print and high-density screens"_s);
        scale->setEnabled(format == ExportFormat::Png);
        auto *title = new QLineEdit(options.title, &dialog);
        title->setPlaceholderText(u"No title"_s);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, &dialog);
        connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        auto *form = new QFormLayout(&dialog);
        form->addRow(u"Width:"_s, width);
        form->addRow(u"Height:"_s, height);
        form->addRow(u"Scale (PNG):"_s, scale);
        form->addRow(u"Title:"_s, title);
        form->addRow(buttons);
        if (dialog.exec() != QDialog::Accepted)
            return;
        options.width = width->value();
        options.height = height->value();
        options.scale = scale->value();
        options.title = title->text();
        QSettings().setValue(u"export/scale"_s, options.scale);
    }
    QString error;
    if (format == ExportFormat::Csv) {
        // The data, not the decimated picture: every segment of the connection, written by the core.
        const auto series = chart->series();
        if (!series || !series->isValid()) {
            QMessageBox::warning(m_window, u"Export Chart"_s, u"No connection is drawn: nothing to export."_s);
            return;
        }
        std::string csv;
        writeChartCsv(qobject_cast<SequenceChart *>(chart) ? "sequence" : "frame-size", *series->trace(),
                      *series->connection(), false, csv);
        QSaveFile file(path);
        if (file.open(QIODevice::WriteOnly) && file.write(csv.data(), qint64(csv.size())) == qint64(csv.size())
            && file.commit())
            emit saved(u"Saved %1"_s.arg(QFileInfo(path).fileName()));
        else
            QMessageBox::warning(m_window, u"Export Chart"_s,
                                 u"Could not write %1: %2"_s.arg(path, file.errorString()));
        return;
    }
    if (ol::exportChart(chart, path, options, &error))
        emit saved(u"Saved %1"_s.arg(QFileInfo(path).fileName()));
    else
        QMessageBox::warning(m_window, u"Export Chart"_s, u"Could not write %1: %2"_s.arg(path, error));
}

void ExportActions::exportPairChart(PairChart *chart)
{
    const QString path = askPath(u"Export Chart"_s,
                                 u"PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf);;"_s
                                 u"CSV of the data, every segment or group (*.csv)"_s,
                                 u"png"_s);
    if (path.isEmpty())
        return;
    QString error;
    if (ol::exportPairChart(chart, path, chart->width(), chart->height(), &error))
        emit saved(u"Saved %1"_s.arg(QFileInfo(path).fileName()));
    else
        QMessageBox::warning(m_window, u"Export Chart"_s, u"Could not write %1: %2"_s.arg(path, error));
}

void ExportActions::exportReport()
{
    if (m_document->traceCount() == 0)
        return;
    const QString path = askPath(u"Export Report"_s, u"JSON report (*.json)"_s, u"json"_s);
    if (path.isEmpty())
        return;
    writeReport(path);
}

void ExportActions::writeReport(const QString &path)
{
    const std::vector<std::shared_ptr<const Trace>> traces = m_document->traces();
    // The compare page already aligned these two captures: its result is immutable and shared, so the report
    // uses it instead of aligning again.
    std::shared_ptr<const AlignmentResult> alignment;
    if (traces.size() == 2 && m_compare && !m_compare->isAligning() && m_compare->traceA() == traces[0]
        && m_compare->traceB() == traces[1])
        alignment = m_compare->sharedResult();
    // The same document as "offloadlens report --json" for the same files, built off the GUI thread.
    m_runner->run(
        [traces, alignment](const JobControl &) {
            std::vector<const Trace *> views;
            for (const auto &t : traces)
                views.push_back(t.get());
            std::shared_ptr<const AlignmentResult> a = alignment;
            if (!a && views.size() == 2)
                a = std::make_shared<const AlignmentResult>(alignTraces(*views[0], *views[1]));
            return reportJson(views, a.get());
        },
        [this, path](const std::string &json) {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(json.data(), qint64(json.size())) != qint64(json.size())
                || !file.commit()) {
                QMessageBox::warning(m_window, u"Export Report"_s,
                                     u"Could not write %1: %2"_s.arg(path, file.errorString()));
                return;
            }
            emit saved(u"Saved %1"_s.arg(QFileInfo(path).fileName()));
        });
}

void ExportActions::exportAnnotatedPcapng(const AnnotationStore *store)
{
    const auto trace = m_document->currentTrace();
    if (!trace)
        return;
    if (!QFileInfo(QString::fromStdString(trace->path)).isFile()) {
        QMessageBox::warning(m_window, u"Export Annotated pcapng"_s,
                             u"This capture is not a file on disk (standard input or a live capture not saved yet): "
                             "there is nothing to copy."_s);
        return;
    }
    const QString path = askPath(u"Export Annotated pcapng for Wireshark"_s,
                                 u"pcapng with OffloadLens comments (*.pcapng)"_s, u"pcapng"_s);
    if (!path.isEmpty())
        writeAnnotatedPcapng(path, store);
}

void ExportActions::writeAnnotatedPcapng(const QString &path, const AnnotationStore *store)
{
    const auto trace = m_document->currentTrace();
    if (!trace)
        return;
    const QList<Annotation> notes = store ? store->annotations() : QList<Annotation>();
    const std::string output = QFile::encodeName(path).toStdString();
    // The dialog asked before overwriting; the core still refuses to write over the capture itself.
    m_copies->run(
        [trace, notes, output](const JobControl &) {
            FrameComments comments = analysisComments(*trace);
            addAnnotationComments(*trace, notes, comments);
            return ol::writeAnnotatedPcapng(trace->path, output, comments, true);
        },
        [this, path](const AnnotatedPcapngResult &r) {
            if (!r.ok) {
                QMessageBox::warning(m_window, u"Export Annotated pcapng"_s,
                                     u"Could not write %1: %2"_s.arg(path, QString::fromStdString(r.error)));
                return;
            }
            emit saved(u"Saved %1: %2 packets, %3 with comments"_s.arg(QFileInfo(path).fileName())
                           .arg(r.packets)
                           .arg(r.commented));
        });
}

} // namespace ol
