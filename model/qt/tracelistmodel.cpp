// SPDX-License-Identifier: GPL-3.0-or-later
// One row per open capture file (see tracelistmodel.h).
#include "tracelistmodel.h"

#include "offloadtext.h"

#include <QFileInfo>

namespace ol {

using namespace Qt::StringLiterals;

TraceListModel::TraceListModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void TraceListModel::setTraces(const std::vector<std::shared_ptr<const Trace>> &traces)
{
    beginResetModel();
    m_traces = traces;
    endResetModel();
}

int TraceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_traces.size());
}

int TraceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Trace &t = *m_traces[std::size_t(index.row())];
    const QString path = QFile::decodeName(QByteArray::fromStdString(t.path));
    const double duration = double(t.lastTime - t.firstTime) / 1e9;
    switch (role) {
    case PathRole:
        return path;
    case VerdictRole:
        return int(t.offload.verdict);
    case BadgeRole:
        return text::fileBadge(t);
    case Qt::ToolTipRole:
        return path + u"\n"_s + text::fromStd(t.offload.summary);
    case Qt::DisplayRole:
        switch (Columns(index.column())) {
        case FileColumn:
            return QFileInfo(path).fileName();
        case PacketsColumn:
            return text::thousands(t.counts.packets);
        case ConnectionsColumn:
            return text::thousands(t.connections.size());
        case DurationColumn:
            return QString::number(duration, 'f', 3) + u" s"_s;
        case VerdictColumn:
            // A file still loading: its verdict so far, marked as such.
            return t.partial ? text::fileBadge(t) + u" (loading %1 %)"_s.arg(int(t.fractionRead * 100))
                             : text::fileBadge(t);
        case ColumnCount:
            break;
        }
        break;
    case SortRole:
        switch (Columns(index.column())) {
        case FileColumn:
            return QFileInfo(path).fileName();
        case PacketsColumn:
            return quint64(t.counts.packets);
        case ConnectionsColumn:
            return quint64(t.connections.size());
        case DurationColumn:
            return duration;
        case VerdictColumn:
            return int(t.offload.verdict);
        case ColumnCount:
            break;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == PacketsColumn || index.column() == ConnectionsColumn || index.column() == DurationColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Columns(section)) {
    case FileColumn:
        return u"File"_s;
    case PacketsColumn:
        return u"Packets"_s;
    case ConnectionsColumn:
        return u"Connections"_s;
    case DurationColumn:
        return u"Duration"_s;
    case VerdictColumn:
        return u"Verdict"_s;
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace ol
