// SPDX-License-Identifier: GPL-3.0-or-later
// The Compare page (see comparepage.h).
#include "comparepage.h"

#include "comparechart.h"
#include "ladderchart.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace ol {

using namespace Qt::StringLiterals;

ComparePage::ComparePage(QWidget *parent)
    : QWidget(parent)
    , m_model(new CompareModel(this))
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
    , m_override(new QCheckBox(u"Manual clock offset (B − A):"_s, this))
    , m_offsetSpin(new QDoubleSpinBox(this))
    , m_compare(new CompareChart(this))
    , m_ladder(new LadderChart(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
{
    setAccessibleName(u"Compare page"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setMaximumHeight(90);
    m_offsetSpin->setDecimals(6);
    m_offsetSpin->setRange(-1e6, 1e6);
    m_offsetSpin->setSingleStep(0.001);
    m_offsetSpin->setSuffix(u" s"_s);
    m_offsetSpin->setEnabled(false);
    m_offsetSpin->setToolTip(u"Replaces the estimated clock offset in the charts below"_s);

    auto *firstSplits = new QPushButton(u"First Splits"_s, this);
    firstSplits->setToolTip(u"Zoom to the first super-segments and the wire segments that carried them"_s);
    auto *whole = new QPushButton(u"Whole Connection"_s, this);
    connect(firstSplits, &QPushButton::clicked, m_compare, [this] { m_compare->zoomToFirstSplits(3); });
    connect(whole, &QPushButton::clicked, m_compare, &CompareChart::resetZoom);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_summary, 1);
    controls->addWidget(firstSplits);
    controls->addWidget(whole);
    controls->addWidget(m_override);
    controls->addWidget(m_offsetSpin);
    m_splitter->addWidget(m_compare);
    m_splitter->addWidget(m_ladder);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_table);
    layout->addWidget(m_splitter, 1);

    connect(m_model, &CompareModel::alignmentFinished, this, &ComparePage::onAligned);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid() && current.row() != m_pair)
                    selectPair(current.row());
            });
    connect(m_override, &QCheckBox::toggled, this, &ComparePage::applyOverride);
    connect(m_offsetSpin, &QDoubleSpinBox::valueChanged, this, &ComparePage::applyOverride);
    // One time axis for both views: zoom or pan either and the other follows.
    connect(m_compare, &CompareChart::timeRangeChanged, m_ladder, &LadderChart::setTimeRange);
    connect(m_ladder, &LadderChart::timeRangeChanged, m_compare, &CompareChart::setTimeRange);
    for (PairChart *chart : {static_cast<PairChart *>(m_compare), static_cast<PairChart *>(m_ladder)}) {
        chart->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(chart, &QWidget::customContextMenuRequested, this, [this, chart](const QPoint &pos) {
            QMenu menu(chart);
            fillChartMenu(&menu, chart);
            menu.exec(chart->mapToGlobal(pos));
        });
    }
    updateSummary();
}

void ComparePage::fillChartMenu(QMenu *menu, PairChart *chart)
{
    QAction *exportChart = menu->addAction(u"E&xport Chart…"_s, this, [this, chart] { emit exportRequested(chart); });
    exportChart->setToolTip(u"PNG, SVG, PDF, or CSV of the pair's data"_s);
    exportChart->setEnabled(chart->pairIndex() >= 0);
    menu->addAction(u"&Reset Zoom"_s, chart, &PairChart::resetZoom);
}

void ComparePage::setTraces(std::shared_ptr<const Trace> a, std::shared_ptr<const Trace> b)
{
    m_pair = -1;
    m_summary->setText(u"Aligning…"_s);
    m_model->setTraces(std::move(a), std::move(b));
}

void ComparePage::onAligned()
{
    m_pair = -1;
    selectPair(m_model->pairCount() > 0 ? 0 : -1);
}

void ComparePage::selectPair(int pairIndex)
{
    m_pair = pairIndex;
    if (pairIndex >= 0 && m_table->currentIndex().row() != pairIndex)
        m_table->selectRow(pairIndex);
    if (!m_override->isChecked()) {
        const QSignalBlocker block(m_offsetSpin);
        m_offsetSpin->setValue(m_model->effectiveOffset(pairIndex));
    }
    m_compare->setPair(m_model, pairIndex);
    m_ladder->setPair(m_model, pairIndex);
    // A newcomer sees the splits first; "Whole Connection" shows everything.
    m_compare->zoomToFirstSplits(3);
    const QCPRange r = m_compare->timeRange();
    m_ladder->setTimeRange(r.lower, r.upper);
    updateSummary();
    emit pairChanged(pairIndex);
}

void ComparePage::applyOverride()
{
    m_offsetSpin->setEnabled(m_override->isChecked());
    m_model->setClockOffsetOverride(m_override->isChecked() ? std::optional<double>(m_offsetSpin->value())
                                                            : std::nullopt);
    if (!m_override->isChecked()) {
        const QSignalBlocker block(m_offsetSpin);
        m_offsetSpin->setValue(m_model->effectiveOffset(m_pair));
    }
}

void ComparePage::updateSummary()
{
    auto name = [](const std::shared_ptr<const Trace> &t) {
        return t ? QFileInfo(QString::fromStdString(t->path)).fileName().toHtmlEscaped() : u"—"_s;
    };
    const AlignmentResult &r = m_model->result();
    QString text = u"<b>A</b> %1 &nbsp;·&nbsp; <b>B</b> %2 &nbsp;·&nbsp; %3 pair(s), %4 + %5 unpaired"_s
                       .arg(name(m_model->traceA()), name(m_model->traceB()))
                       .arg(r.pairs.size())
                       .arg(r.unpairedA.size())
                       .arg(r.unpairedB.size());
    if (const ConnectionPair *p = m_model->pair(m_pair)) {
        quint64 splits = 0;
        for (const PairDirection &d : p->dir)
            splits += d.mapping.oneToMany + d.mapping.manyToOne + d.mapping.manyToMany;
        text += u"<br><span style='color:#e16e00'><b>Orange lines</b></span> join each large frame seen at one "_s
                u"point to the N wire-size frames that carried the same bytes at the other: <b>%1 splits</b>. "_s
                u"Red crosses: %2 segment(s) lost between the points. Zoom and pan with the wheel and drag."_s
                    .arg(splits)
                    .arg(p->lostBetweenPoints);
    }
    m_summary->setText(text);
}

} // namespace ol
