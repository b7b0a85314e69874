// SPDX-License-Identifier: GPL-3.0-or-later
// The Compare page: the pair table of two traces, the manual clock-offset override, and the side-by-side chart
// (with its delta lane) beside the ladder diagram of the selected pair, zoom and pan shared between them.
#pragma once

#include "comparemodel.h"

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QMenu;
class QSplitter;
class QTableView;

namespace ol {

class CompareChart;
class LadderChart;
class PairChart;

class ComparePage : public QWidget
{
    Q_OBJECT
public:
    explicit ComparePage(QWidget *parent = nullptr);

    /// Aligns two traces and shows their first pair.
    void setTraces(std::shared_ptr<const Trace> a, std::shared_ptr<const Trace> b);
    void selectPair(int pairIndex);
    int currentPair() const { return m_pair; }

    CompareModel *model() const { return m_model; }
    CompareChart *compareChart() const { return m_compare; }
    LadderChart *ladderChart() const { return m_ladder; }
    QTableView *table() const { return m_table; }
    QDoubleSpinBox *offsetSpin() const { return m_offsetSpin; }
    QCheckBox *overrideCheck() const { return m_override; }

    /// The context menu of the compare chart or the ladder (export, reset zoom); tests fill their own.
    void fillChartMenu(QMenu *menu, PairChart *chart);

signals:
    void pairChanged(int pairIndex);
    /// A chart's context menu asked to export it (PNG, SVG, PDF or CSV).
    void exportRequested(ol::PairChart *chart);

private:
    void onAligned();
    void applyOverride();
    void updateSummary();

    CompareModel *m_model;
    QLabel *m_summary;
    QTableView *m_table;
    QCheckBox *m_override;
    QDoubleSpinBox *m_offsetSpin;
    CompareChart *m_compare;
    LadderChart *m_ladder;
    QSplitter *m_splitter;
    int m_pair = -1;
};

} // namespace ol
