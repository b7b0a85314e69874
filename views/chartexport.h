// SPDX-License-Identifier: GPL-3.0-or-later
// Chart export for any ChartBase (so a new chart type exports without changes here): PNG at a chosen size and
// scale, SVG, PDF, each drawn by the chart's own QCustomPlot with a title row on top, so that axes, legend, MSS
// lines and annotations come out as on screen; and the plotted series as CSV (one row per plotted point).
#pragma once

#include <QByteArray>
#include <QString>

class QCustomPlot;

namespace ol {

class ChartBase;

enum class ExportFormat { Png, Svg, Pdf, Csv, Unknown };

struct ExportOptions {
    int width = 0; // logical size; 0 = the chart's size on screen
    int height = 0;
    double scale = 1.0; // PNG only: pixels per logical pixel (2 for print)
    QString title; // drawn above the plot; empty = none
};

/// The format a file name asks for (by extension, case-insensitive).
ExportFormat exportFormatFor(const QString &path);
/// A title naming the chart and its connection ("Frame size — connection #0: 192.0.2.1:44906 ⇄ …").
QString defaultChartTitle(const ChartBase *chart);
/// The one renderer every chart exports through (the connection charts, the compare chart and the ladder):
/// a plot as PNG, SVG or PDF into memory, `name` as the document's title when options.title is empty.
bool renderPlot(QCustomPlot *plot, ExportFormat format, const ExportOptions &options, const QString &name,
                QByteArray *out, QString *error);
/// renderPlot() written atomically (QSaveFile) to a path whose extension picks the format (not CSV).
bool exportPlot(QCustomPlot *plot, const QString &path, const ExportOptions &options, const QString &name,
                QString *error = nullptr);
/// Renders a chart in a format into memory. False with a reason on failure.
bool renderChart(ChartBase *chart, ExportFormat format, const ExportOptions &options, QByteArray *out, QString *error);
/// Renders and writes atomically (QSaveFile). Overwrites: callers ask first.
bool exportChart(ChartBase *chart, const QString &path, const ExportOptions &options, QString *error);
/// The plotted series as CSV: header "series,time_s,value,frame", then one row per plotted point (for
/// time-sequence bars the value is the bar's top, the segment's last byte).
QByteArray chartCsv(const ChartBase *chart);
/// Rows chartCsv() writes (header not counted).
int plottedPointCount(const ChartBase *chart);

} // namespace ol
