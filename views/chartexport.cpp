// SPDX-License-Identifier: GPL-3.0-or-later
// Chart export to PNG, SVG, PDF and CSV (see chartexport.h).
#include "chartexport.h"

#include "chartbase.h"
#include "offloadtext.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

/// Adds a title row above the plot for the duration of one export.
class TitleRow
{
public:
    TitleRow(QCustomPlot *plot, const QString &title)
        : m_plot(plot)
    {
        if (title.isEmpty())
            return;
        QFont font = plot->xAxis->labelFont();
        font.setBold(true);
        font.setPointSizeF(font.pointSizeF() * 1.15);
        plot->plotLayout()->insertRow(0);
        m_element = new QCPTextElement(plot, title, font);
        m_element->setTextColor(plot->xAxis->labelColor());
        m_element->setMargins(QMargins(8, 8, 8, 2));
        plot->plotLayout()->addElement(0, 0, m_element);
        plot->plotLayout()->setRowStretchFactor(0, 0.001);
    }
    ~TitleRow()
    {
        if (!m_element)
            return;
        m_plot->plotLayout()->remove(m_element);
        m_plot->plotLayout()->simplify();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
    TitleRow(const TitleRow &) = delete;
    TitleRow &operator=(const TitleRow &) = delete;

private:
    QCustomPlot *m_plot;
    QCPTextElement *m_element = nullptr;
};

QString csvQuote(const QString &s)
{
    QString q = s;
    q.replace(u'"', u"\"\""_s);
    return u'"' + q + u'"';
}

/// Calls sink(name, key, value, frame) for every plotted point of every named graph.
template <typename Sink> void forEachPlottedPoint(const ChartBase *chart, Sink &&sink)
{
    QCustomPlot *plot = chart->plot();
    for (int p = 0; p < plot->plottableCount(); ++p) {
        auto *graph = qobject_cast<QCPGraph *>(plot->plottable(p));
        if (!graph || graph->name().isEmpty() || !graph->visible() || graph->dataCount() == 0)
            continue;
        // Time-sequence bars are a graph of middles plus error bars: export the bar's top.
        const QCPErrorBars *bars = nullptr;
        for (int q = 0; q < plot->plottableCount(); ++q)
            if (auto *e = qobject_cast<QCPErrorBars *>(plot->plottable(q)); e && e->dataPlottable() == graph)
                bars = e;
        const auto data = graph->data();
        int i = 0;
        for (auto it = data->constBegin(); it != data->constEnd(); ++it, ++i) {
            double value = it->value;
            if (bars && i < bars->dataCount())
                value += bars->data()->at(i).errorPlus;
            sink(graph->name(), it->key, value, chart->frameOfPoint(graph, i));
        }
    }
}

} // namespace

ExportFormat exportFormatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"png"_s)
        return ExportFormat::Png;
    if (suffix == u"svg"_s)
        return ExportFormat::Svg;
    if (suffix == u"pdf"_s)
        return ExportFormat::Pdf;
    if (suffix == u"csv"_s)
        return ExportFormat::Csv;
    return ExportFormat::Unknown;
}

QString defaultChartTitle(const ChartBase *chart)
{
    QString name = chart->accessibleName();
    if (name.endsWith(u" chart"_s))
        name.chop(6);
    const auto series = chart->series();
    if (!series || !series->isValid())
        return name;
    const Connection *c = series->connection();
    const QString file = QFileInfo(QString::fromStdString(series->trace()->path)).fileName();
    return u"%1 — %2, connection #%3: %4 ⇄ %5"_s.arg(
        name, file, QString::number(c->id), text::fromStd(c->client.toString()), text::fromStd(c->server.toString()));
}

QByteArray chartCsv(const ChartBase *chart)
{
    QByteArray out = "series,time_s,value,frame\n";
    forEachPlottedPoint(chart, [&out](const QString &name, double key, double value, quint32 frame) {
        out += csvQuote(name).toUtf8() + ',' + QByteArray::number(key, 'f', 9) + ','
            + QByteArray::number(value, 'g', 15) + ',' + (frame ? QByteArray::number(frame) : QByteArray()) + '\n';
    });
    return out;
}

int plottedPointCount(const ChartBase *chart)
{
    int n = 0;
    forEachPlottedPoint(chart, [&n](const QString &, double, double, quint32) { ++n; });
    return n;
}

bool renderPlot(QCustomPlot *plot, ExportFormat format, const ExportOptions &options, const QString &name,
                QByteArray *out, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    const int w = options.width > 0 ? options.width : plot->width();
    const int h = options.height > 0 ? options.height : plot->height();
    if (w < 50 || h < 50 || w > 20000 || h > 20000)
        return fail(u"size %1×%2 is out of range (50 to 20000 pixels)"_s.arg(w).arg(h));
    const TitleRow title(plot, options.title);
    plot->replot(QCustomPlot::rpImmediateRefresh);
    QBuffer buffer(out);
    buffer.open(QIODevice::WriteOnly);
    switch (format) {
    case ExportFormat::Png: {
        const double scale = options.scale > 0 ? options.scale : 1.0;
        if (w * scale > 30000 || h * scale > 30000)
            return fail(u"%1×%2 at scale %3 is too large"_s.arg(w).arg(h).arg(scale));
        const QImage image = plot->toPixmap(w, h, scale).toImage();
        if (image.isNull() || !image.save(&buffer, "PNG"))
            return fail(u"could not encode the PNG image"_s);
        return true;
    }
    case ExportFormat::Svg: {
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setTitle(options.title.isEmpty() ? name : options.title);
        generator.setDescription(u"Exported by OffloadLens"_s);
        QCPPainter painter;
        if (!painter.begin(&generator))
            return fail(u"could not start the SVG drawing"_s);
        plot->toPainter(&painter, w, h);
        painter.end();
        return !out->isEmpty() || fail(u"the SVG drawing is empty"_s);
    }
    case ExportFormat::Pdf: {
        // One page exactly the chart's size, in points: the PDF keeps vector lines and real text.
        QPdfWriter writer(&buffer);
        writer.setCreator(u"OffloadLens"_s);
        writer.setTitle(options.title.isEmpty() ? name : options.title);
        writer.setResolution(72);
        writer.setPageSize(QPageSize(QSizeF(w, h), QPageSize::Point, QString(), QPageSize::ExactMatch));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        QCPPainter painter;
        if (!painter.begin(&writer))
            return fail(u"could not start the PDF document"_s);
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        painter.setMode(QCPPainter::pmNonCosmetic);
        plot->toPainter(&painter, w, h);
        painter.end();
        return !out->isEmpty() || fail(u"the PDF document is empty"_s);
    }
    case ExportFormat::Csv: // rows of a chart's series, not a drawing: renderChart() writes them
    case ExportFormat::Unknown:
        break;
    }
    return fail(u"unknown format; use .png, .svg, .pdf or .csv"_s);
}

bool renderChart(ChartBase *chart, ExportFormat format, const ExportOptions &options, QByteArray *out, QString *error)
{
    if (format == ExportFormat::Csv) {
        *out = chartCsv(chart);
        return true;
    }
    return renderPlot(chart->plot(), format, options, chart->accessibleName(), out, error);
}

namespace {
bool writeAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}
} // namespace

bool exportPlot(QCustomPlot *plot, const QString &path, const ExportOptions &options, const QString &name,
                QString *error)
{
    QByteArray bytes;
    return renderPlot(plot, exportFormatFor(path), options, name, &bytes, error) && writeAtomically(path, bytes, error);
}

bool exportChart(ChartBase *chart, const QString &path, const ExportOptions &options, QString *error)
{
    QByteArray bytes;
    return renderChart(chart, exportFormatFor(path), options, &bytes, error) && writeAtomically(path, bytes, error);
}

} // namespace ol
