// SPDX-License-Identifier: GPL-3.0-or-later
// The part the compare chart and the ladder share: following one pair of a CompareModel.
#pragma once

#include "comparemodel.h"
#include "qcp.h"

#include <QWidget>

namespace ol {

class PairChart : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    /// Shows a pair of the model (-1 or a null model clears); follows the model's clock-offset override,
    /// keeping the visible time range.
    void setPair(const CompareModel *model, int pairIndex);
    int pairIndex() const { return m_pair; }
    const CompareModel *model() const { return m_model; }

    virtual void resetZoom() = 0;
    /// The visible time range (seconds since A's connection start, offset-corrected), shared between views.
    virtual void setTimeRange(double lower, double upper) = 0;
    virtual QCPRange timeRange() const = 0;

signals:
    void timeRangeChanged(double lower, double upper);

protected:
    /// Rebuilds the plotted items from the model's current pair and offset.
    virtual void rebuild() = 0;
    /// The model's clock offset changed: by default everything is rebuilt (the visible range is kept).
    virtual void offsetChanged() { rebuild(); }

    const CompareModel *m_model = nullptr;
    int m_pair = -1;
};

} // namespace ol
