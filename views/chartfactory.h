// SPDX-License-Identifier: GPL-3.0-or-later
// The chart types by name, for the headless export and anything else that picks a chart from a string. A new
// chart type (side-by-side, ladder) registers here and exports through chartexport.h unchanged.
#pragma once

#include "annotation.h"

#include <QByteArray>
#include <QList>
#include <QString>

class QWidget;

namespace ol {

class ChartBase;
class CompareModel;

struct ChartType {
    QString name; // "frame-size"
    QString description; // one line for usage texts
    bool available = false;
    Annotation::Chart annotations = Annotation::Chart::FrameSize; // which annotations it draws
    bool twoTraces = false; // draws a connection pair of two captures (compare, ladder)
    bool drawsAnnotations = true; // draws the annotations of its `annotations` chart
};

/// Every chart type, available or planned.
QList<ChartType> chartTypes();
/// The type with this name, or null.
const ChartType *findChartType(const QString &name);
/// A new chart of an available type, null otherwise.
ChartBase *createChart(const QString &name, QWidget *parent = nullptr);
/// A new two-trace chart (compare, ladder) showing a pair of the model, null for other names.
QWidget *createPairChart(const QString &name, const CompareModel *model, int pairIndex, QWidget *parent = nullptr);
/// Saves a two-trace chart as PNG, SVG, PDF or CSV (by the extension; CSV is the pair's data, comparecsv.h).
/// False with a reason on failure.
bool exportPairChart(QWidget *chart, const QString &path, int width, int height, QString *error);
/// The CSV of a two-trace chart's pair (compare: every segment of both sides; ladder: every matched group);
/// empty when it shows none.
QByteArray pairChartCsv(const QWidget *chart);

} // namespace ol
