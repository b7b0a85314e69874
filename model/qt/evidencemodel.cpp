// SPDX-License-Identifier: GPL-3.0-or-later
// The evidence items behind a verdict (see evidencemodel.h).
#include "evidencemodel.h"

#include "offloadtext.h"

namespace ol {

using namespace Qt::StringLiterals;

EvidenceModel::EvidenceModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void EvidenceModel::setSource(std::shared_ptr<const Trace> trace, int connectionIndex)
{
    beginResetModel();
    m_trace = std::move(trace);
    m_items.clear();
    if (m_trace) {
        for (const Evidence &e : m_trace->offload.capturePoint.evidence)
            m_items.push_back({-1, &e});
        if (connectionIndex >= 0 && connectionIndex < int(m_trace->connections.size())) {
            const Connection &c = *m_trace->connections[std::size_t(connectionIndex)];
            for (int d = 0; d < 2; ++d)
                for (const Evidence &e : c.directions[d].offload.evidence)
                    m_items.push_back({d, &e});
        }
    }
    endResetModel();
}

int EvidenceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int EvidenceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvidenceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items[std::size_t(index.row())];
    const Evidence &e = *item.evidence;
    switch (role) {
    case KindRole:
        return text::fromStd(e.kind);
    case WeightRole:
        return e.weight;
    case DirectionRole:
        return item.direction;
    case Qt::ToolTipRole:
        return text::fromStd(e.text);
    case Qt::DisplayRole:
        switch (Columns(index.column())) {
        case ScopeColumn:
            return item.direction < 0 ? u"capture point"_s : text::directionName(item.direction);
        case KindColumn:
            return text::fromStd(e.kind);
        case WeightColumn:
            return e.weight > 0 ? QString::number(e.weight, 'f', 2) : QString();
        case TextColumn:
            return text::fromStd(e.text);
        case ColumnCount:
            break;
        }
        break;
    case SortRole:
        switch (Columns(index.column())) {
        case ScopeColumn:
            return item.direction;
        case KindColumn:
            return text::fromStd(e.kind);
        case WeightColumn:
            return e.weight;
        case TextColumn:
            return text::fromStd(e.text);
        case ColumnCount:
            break;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant EvidenceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Columns(section)) {
    case ScopeColumn:
        return u"About"_s;
    case KindColumn:
        return u"Kind"_s;
    case WeightColumn:
        return u"Weight"_s;
    case TextColumn:
        return u"Evidence"_s;
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace ol
