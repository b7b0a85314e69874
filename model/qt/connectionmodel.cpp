// SPDX-License-Identifier: GPL-3.0-or-later
// The connection table of one trace (see connectionmodel.h).
#include "connectionmodel.h"

#include "offloadtext.h"

namespace ol {

using namespace Qt::StringLiterals;

namespace {

QString mssCell(const DirectionOffload &o)
{
    if (!o.mssKnown || !o.mss)
        return u"?"_s;
    QString s = QString::number(o.mss);
    if (o.effectiveMss && o.effectiveMss != o.mss)
        s += u" / "_s + QString::number(o.effectiveMss);
    if (o.mssInferred)
        s += u" (inferred)"_s;
    return s;
}

// The stack, and what it says about where the capture was taken.
QString encapsulationTip(const Connection &c)
{
    QString s = text::fromStd(c.encapsulation.toString());
    const QString outer = text::fromStd(c.tunnelOuterSrc.toString()) + u" → "_s
        + text::fromStd(c.tunnelOuterDst.toString());
    if (c.mirrored)
        s += u"\nA mirror copy (sent by "_s + outer + u"): captured on neither endpoint."_s;
    else if (c.tunnelled)
        s += u"\nCarried in a tunnel "_s + outer + u"."_s;
    if (c.mirrorTruncated)
        s += u"\n"_s + text::thousands(c.mirrorTruncated)
            + u" packets were cut short by the mirror or tunnel; sizes come from the inner IP header."_s;
    if (c.otherEncapsulationPackets)
        s += u"\nAlso seen as "_s + text::fromStd(c.otherEncapsulation.toString()) + u" ("_s
            + text::thousands(c.otherEncapsulationPackets) + u" packets)."_s;
    return s;
}

} // namespace

ConnectionModel::ConnectionModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ConnectionModel::setTrace(std::shared_ptr<const Trace> trace)
{
    beginResetModel();
    m_trace = std::move(trace);
    endResetModel();
}

int ConnectionModel::rowOf(int connectionIndex) const
{
    return m_trace && connectionIndex >= 0 && connectionIndex < int(m_trace->connections.size()) ? connectionIndex : -1;
}

int ConnectionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_trace ? 0 : int(m_trace->connections.size());
}

int ConnectionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Connection &c = *m_trace->connections[std::size_t(index.row())];
    const FlowDirection &cs = c.directions[0];
    const FlowDirection &sc = c.directions[1];
    const double duration = double(c.lastTime - c.firstTime) / 1e9;
    const quint64 oversized = cs.offload.oversized() + sc.offload.oversized();
    const auto retrans = cs.stats.retransmissions + sc.stats.retransmissions;

    switch (role) {
    case ConnectionIndexRole:
        return index.row();
    case OversizedRole:
        return quint64(oversized);
    case FilterRole:
        return text::fromStd(c.client.toString()) + u' ' + text::fromStd(c.server.toString());
    case Qt::ToolTipRole:
        switch (Columns(index.column())) {
        case MssToServerColumn:
            return text::mssLabel(cs.offload, 0);
        case MssToClientColumn:
            return text::mssLabel(sc.offload, 1);
        case VerdictColumn:
            return text::connectionVerdict(c);
        case EncapsulationColumn:
            return encapsulationTip(c);
        default:
            return text::fromStd(c.client.toString()) + u" ⇄ "_s + text::fromStd(c.server.toString())
                + (c.midstream ? u"\nThe capture started after this connection did (no SYN)."_s : QString());
        }
    case Qt::DisplayRole:
        switch (Columns(index.column())) {
        case IdColumn:
            return c.id;
        case ClientColumn:
            return text::fromStd(c.client.toString());
        case ServerColumn:
            return text::fromStd(c.server.toString());
        case PacketsColumn:
            return text::thousands(c.packets);
        case BytesToServerColumn:
            return text::thousands(cs.stats.payloadBytes);
        case BytesToClientColumn:
            return text::thousands(sc.stats.payloadBytes);
        case DurationColumn:
            return QString::number(duration, 'f', 3) + u" s"_s;
        case MssToServerColumn:
            return mssCell(cs.offload);
        case MssToClientColumn:
            return mssCell(sc.offload);
        case MaxPayloadColumn:
            return text::thousands(std::max(cs.stats.maxPayload, sc.stats.maxPayload));
        case OversizedColumn:
            return text::thousands(oversized);
        case RetransmissionsColumn:
            return text::thousands(retrans);
        case VerdictColumn:
            return text::connectionVerdict(c);
        case EncapsulationColumn:
            return text::fromStd(c.encapsulation.toString());
        case ColumnCount:
            break;
        }
        break;
    case SortRole:
        switch (Columns(index.column())) {
        case IdColumn:
            return c.id;
        case ClientColumn:
            return text::fromStd(c.client.toString());
        case ServerColumn:
            return text::fromStd(c.server.toString());
        case PacketsColumn:
            return quint64(c.packets);
        case BytesToServerColumn:
            return quint64(cs.stats.payloadBytes);
        case BytesToClientColumn:
            return quint64(sc.stats.payloadBytes);
        case DurationColumn:
            return duration;
        case MssToServerColumn:
            return cs.offload.mss;
        case MssToClientColumn:
            return sc.offload.mss;
        case MaxPayloadColumn:
            return std::max(cs.stats.maxPayload, sc.stats.maxPayload);
        case OversizedColumn:
            return quint64(oversized);
        case RetransmissionsColumn:
            return quint64(retrans);
        case VerdictColumn:
            return int(cs.offload.verdict) * 4 + int(sc.offload.verdict);
        case EncapsulationColumn:
            return text::fromStd(c.encapsulation.toString());
        case ColumnCount:
            break;
        }
        break;
    case Qt::TextAlignmentRole:
        switch (Columns(index.column())) {
        case ClientColumn:
        case ServerColumn:
        case VerdictColumn:
        case EncapsulationColumn:
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        default:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        }
    default:
        break;
    }
    return {};
}

QVariant ConnectionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (Columns(section)) {
        case MssToServerColumn:
            return u"MSS announced by the server (limits client→server), / effective MSS after options"_s;
        case MssToClientColumn:
            return u"MSS announced by the client (limits server→client), / effective MSS after options"_s;
        case OversizedColumn:
            return u"Frames whose TCP payload exceeds the MSS of their direction"_s;
        case EncapsulationColumn:
            return u"Headers around the TCP, outermost first, as in the connection's first packet"_s;
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Columns(section)) {
    case IdColumn:
        return u"#"_s;
    case ClientColumn:
        return u"Client"_s;
    case ServerColumn:
        return u"Server"_s;
    case PacketsColumn:
        return u"Packets"_s;
    case BytesToServerColumn:
        return u"Bytes c→s"_s;
    case BytesToClientColumn:
        return u"Bytes s→c"_s;
    case DurationColumn:
        return u"Duration"_s;
    case MssToServerColumn:
        return u"MSS c→s"_s;
    case MssToClientColumn:
        return u"MSS s→c"_s;
    case MaxPayloadColumn:
        return u"Largest"_s;
    case OversizedColumn:
        return u"Oversized"_s;
    case RetransmissionsColumn:
        return u"Retrans."_s;
    case VerdictColumn:
        return u"Verdict"_s;
    case EncapsulationColumn:
        return u"Encapsulation"_s;
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace ol
