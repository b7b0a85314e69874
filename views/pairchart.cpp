// SPDX-License-Identifier: GPL-3.0-or-later
// Model wiring shared by the pair views.
#include "pairchart.h"

namespace ol {

void PairChart::setPair(const CompareModel *model, int pairIndex)
{
    if (model != m_model) {
        if (m_model)
            disconnect(m_model, nullptr, this, nullptr);
        m_model = model;
        if (m_model) {
            connect(m_model, &CompareModel::clockOffsetChanged, this, [this] {
                const QCPRange x = timeRange();
                offsetChanged();
                setTimeRange(x.lower, x.upper);
            });
            connect(m_model, &QAbstractItemModel::modelReset, this, [this] { setPair(m_model, -1); });
        }
    }
    m_pair = pairIndex;
    rebuild();
    resetZoom();
}

} // namespace ol
