// SPDX-License-Identifier: GPL-3.0-or-later
// The chart types by name, for the headless export and anything else that picks a chart from a string. A new
// chart type (side-by-side, ladder) registers here and exports through chartexport.h unchanged.
#pragma once

#include "annotation.h"

#include <QList>
#include <QString>

class QWidget;

namespace ol {

class ChartBase;

struct ChartType {
    QString name;        // "frame-size"
    QString description; // one line for usage texts
    bool available = false;
    Annotation::Chart annotations = Annotation::Chart::FrameSize; // which annotations it draws
};

/// Every chart type, available or planned.
QList<ChartType> chartTypes();
/// The type with this name, or null.
const ChartType *findChartType(const QString &name);
/// A new chart of an available type, null otherwise.
ChartBase *createChart(const QString &name, QWidget *parent = nullptr);

} // namespace ol
