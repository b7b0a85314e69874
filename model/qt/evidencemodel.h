// SPDX-License-Identifier: GPL-3.0-or-later
// The evidence items behind a verdict: the capture point's evidence of a file and, when a connection is
// selected, each direction's evidence. One row per item.
#pragma once

#include "trace.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace ol {

class EvidenceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { ScopeColumn, KindColumn, WeightColumn, TextColumn, ColumnCount };
    enum Roles {
        SortRole = Qt::UserRole,
        KindRole, // stable identifier, e.g. "ip-id-advance"
        WeightRole, // double 0..1
        DirectionRole, // -1 for the file/capture point, 0/1 for a connection direction
    };

    explicit EvidenceModel(QObject *parent = nullptr);

    /// Shows the capture-point evidence of the trace, plus the directions of connectionIndex (if >= 0).
    void setSource(std::shared_ptr<const Trace> trace, int connectionIndex);
    void clear() { setSource(nullptr, -1); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Item {
        int direction; // -1 = capture point
        const Evidence *evidence;
    };
    std::shared_ptr<const Trace> m_trace; // keeps the Evidence pointers alive
    std::vector<Item> m_items;
};

} // namespace ol
