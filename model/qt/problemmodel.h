// SPDX-License-Identifier: GPL-3.0-or-later
// Item model over the diagnosed problems of one trace (model/core/problems.h), for the Problems panel.
#pragma once

#include "problems.h"

#include <QAbstractTableModel>

namespace ol {

class ProblemModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { SeverityColumn, KindColumn, ConnectionColumn, TimeColumn, TextColumn, ColumnCount };
    enum Roles {
        ConnectionIdRole = Qt::UserRole, // qint64, -1 = none
        DirectionRole, // int, -1 = none
        FirstTimeRole, // qint64 ns, absolute
        LastTimeRole, // qint64 ns, absolute
        FramesRole, // QVariantList of uint
        DetailRole, // HTML: text, fix
        SortRole,
    };

    explicit ProblemModel(QObject *parent = nullptr);

    /// Replaces the problems; origin is the trace's first packet (times are shown relative to it).
    void setProblems(std::vector<Problem> problems, TimeNs origin, const QString &emptyText);
    const Problem *problem(int row) const;
    /// What to show when there are no problems ("No problems found: checked ...").
    QString emptyText() const { return m_emptyText; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<Problem> m_problems;
    TimeNs m_origin = 0;
    QString m_emptyText;
};

} // namespace ol
