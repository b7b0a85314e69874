// SPDX-License-Identifier: GPL-3.0-or-later
// One row per open capture file: name, packets, connections, duration and the verdict badge.
#pragma once

#include "trace.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace ol {

class TraceListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { FileColumn, PacketsColumn, ConnectionsColumn, DurationColumn, VerdictColumn, ColumnCount };
    enum Roles {
        SortRole = Qt::UserRole,
        PathRole, // absolute path as QString
        VerdictRole, // OffloadVerdict as int
        BadgeRole, // "captured on the sender with TSO"
    };

    explicit TraceListModel(QObject *parent = nullptr);

    void setTraces(const std::vector<std::shared_ptr<const Trace>> &traces);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<std::shared_ptr<const Trace>> m_traces;
};

} // namespace ol
