// SPDX-License-Identifier: GPL-3.0-or-later
// The connection table of one trace: endpoints, volumes each way, MSS each way, oversized segments, verdict.
// Sort with SortRole and filter by address/port text with FilterRole through a QSortFilterProxyModel.
#pragma once

#include "trace.h"

#include <QAbstractTableModel>

#include <memory>

namespace ol {

class ConnectionModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns {
        IdColumn,
        ClientColumn,
        ServerColumn,
        PacketsColumn,
        BytesToServerColumn,
        BytesToClientColumn,
        DurationColumn,
        MssToServerColumn, // MSS limiting client→server (announced by the server)
        MssToClientColumn,
        MaxPayloadColumn,
        OversizedColumn,
        RetransmissionsColumn,
        VerdictColumn,
        EncapsulationColumn, // "eth / vlan 100 / ipv4 / gre / ipv4 / tcp"
        ColumnCount
    };
    enum Roles {
        SortRole = Qt::UserRole,
        FilterRole, // "client server" text the filter line edit matches
        ConnectionIndexRole, // index into Trace::connections
        OversizedRole, // oversized segments both ways
    };

    explicit ConnectionModel(QObject *parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    std::shared_ptr<const Trace> trace() const { return m_trace; }
    /// Row of a connection index (rows follow Trace::connections order), -1 if none.
    int rowOf(int connectionIndex) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Trace> m_trace;
};

} // namespace ol
