// SPDX-License-Identifier: GPL-3.0-or-later
// Plain-language texts shared by models and views (see offloadtext.h).
#include "offloadtext.h"

#include "decoder.h"
#include "offload.h"

#include <QStringList>

namespace ol::text {

using namespace Qt::StringLiterals;

QString thousands(quint64 value)
{
    return fromStd(withThousands(value));
}

QString noConnectionsText(const Trace &trace)
{
    if (!trace.connections.empty())
        return {};
    const TraceCounters &n = trace.counts;
    QString text = u"No TCP connections in this file — %1 packets, %2 TCP"_s.arg(thousands(n.packets),
                                                                                 thousands(n.tcpPackets));
    QStringList why;
    // Frames that stopped at an encapsulation we do not decode are the likely answer; the decoder counts them
    // among the non-IP / non-TCP ones too, so those counters are given only without them.
    for (const UnknownEncapCount &u : trace.unknownEncapsulations)
        why << u"%1 in %2"_s.arg(thousands(u.packets),
                                 u.kind == UnknownEncap::None ? u"other encapsulations (not decoded)"_s
                                                              : fromStd(unknownEncapName(u.kind, u.value)));
    if (!why.isEmpty())
        return text + u": "_s + why.join(u", "_s) + u" — an encapsulation OffloadLens does not decode?"_s;
    const std::pair<quint64, QString> counters[] = {
        {n.notIp, u"not IP"_s},
        {n.unknownLinkType, u"of a link type not decoded"_s},
        {n.notTcp, u"IP but not TCP"_s},
        {n.fragments, u"IP fragments"_s},
        {n.truncated, u"cut short before the TCP header"_s},
        {n.malformed, u"malformed"_s},
    };
    for (const auto &[count, what] : counters)
        if (count)
            why << thousands(count) + u' ' + what;
    return why.isEmpty() ? text + u'.' : text + u": "_s + why.join(u", "_s) + u'.';
}

QString partialText(const Trace &trace)
{
    if (!trace.partial)
        return QString();
    QString t = trace.fileSize ? u"Loading — %1 % read, results so far"_s.arg(int(trace.fractionRead * 100))
                               : u"Loading — results so far"_s;
    if (trace.partialSegmentLimit)
        t += u" (each direction's first %1 segments)"_s.arg(thousands(trace.partialSegmentLimit));
    if (trace.partialConnectionsLeftOut)
        t += u" (%1 more connections not shown yet)"_s.arg(thousands(trace.partialConnectionsLeftOut));
    return t;
}

QString fileBadge(const Trace &trace)
{
    const FileOffloadVerdict &v = trace.offload;
    if (!v.analyzed)
        return u"not analysed"_s;
    // Nothing to judge: "no offload seen" would read as a finding.
    if (trace.connections.empty())
        return u"no TCP connections"_s;
    switch (v.verdict) {
    case OffloadVerdict::SendOffload:
        return u"captured on the sender with TSO"_s;
    case OffloadVerdict::ReceiveOffload:
        return u"captured on the receiver with GRO/LRO"_s;
    case OffloadVerdict::Both:
        return u"captured on a host doing TSO and GRO"_s;
    case OffloadVerdict::None:
        break;
    }
    for (const auto &c : trace.connections)
        if (c->directions[0].offload.unexplained || c->directions[1].offload.unexplained)
            return u"oversized frames, unexplained"_s;
    return u"no offload seen"_s;
}

static QString directionVerdictWords(const DirectionOffload &o)
{
    switch (o.verdict) {
    case OffloadVerdict::SendOffload:
        return u"send offload (TSO/GSO)"_s;
    case OffloadVerdict::ReceiveOffload:
        return u"receive coalescing (LRO/GRO)"_s;
    case OffloadVerdict::Both:
        return u"send offload and receive coalescing"_s;
    case OffloadVerdict::None:
        break;
    }
    return o.unexplained ? u"oversized, unexplained"_s : QString();
}

QString connectionVerdict(const Connection &connection)
{
    QStringList parts;
    for (int d = 0; d < 2; ++d) {
        const QString w = directionVerdictWords(connection.directions[d].offload);
        if (!w.isEmpty())
            parts << directionName(d) + u": "_s + w;
    }
    return parts.isEmpty() ? u"none"_s : parts.join(u"; "_s);
}

QString directionName(int d)
{
    return d == 0 ? u"client→server"_s : u"server→client"_s;
}

QString directionEndpoints(const Connection &connection, int d)
{
    const FlowDirection &fd = connection.directions[d];
    return fromStd(fd.from.toString()) + u" → "_s + fromStd(fd.to.toString());
}

QString mssLabel(const DirectionOffload &o, int d)
{
    if (!o.mssKnown || !o.mss)
        return u"MSS unknown (%1)"_s.arg(directionName(d));
    QString s = u"MSS %1"_s.arg(o.mss);
    if (o.mssInferred) // say from what: "same-hosts", "ip-id", "gcd", "data-mode", "loopback", "assumed"
        s += o.mssSource.empty() ? u" inferred"_s : u" inferred (%1)"_s.arg(fromStd(o.mssSource));
    if (o.effectiveMss && o.effectiveMss != o.mss)
        s += u" / eff. %1"_s.arg(o.effectiveMss);
    return s + u" ("_s + directionName(d) + u')';
}

QString className(SegmentClass c)
{
    switch (c) {
    case SegmentClass::None:
        return u"no payload"_s;
    case SegmentClass::Normal:
        return u"below MSS"_s;
    case SegmentClass::FullSize:
        return u"full-sized (= MSS)"_s;
    case SegmentClass::SendOffload:
        return u"send offload (TSO/GSO)"_s;
    case SegmentClass::ReceiveOffload:
        return u"receive coalescing (LRO/GRO)"_s;
    case SegmentClass::OversizedUnexplained:
        return u"oversized, unexplained"_s;
    }
    return QString();
}

QString segmentWhy(const Connection &connection, int d, const Segment &s)
{
    // The core words it, so that packet comments in an exported pcapng say the same as the tooltip.
    return fromStd(segmentExplanation(connection.directions[d].offload, s));
}

QString segmentTooltip(const Connection &connection, int d, const Segment &s, TimeNs origin)
{
    QString t = u"<b>Frame %1</b> · %2<br>"_s.arg(s.frame).arg(directionEndpoints(connection, d).toHtmlEscaped());
    t += u"time %1 s · seq %2 · payload %3 bytes · IP length %4<br>"_s.arg(
        QString::number(double(s.time - origin) / 1e9, 'f', 6), thousands(quint64(s.relSeq)), thousands(s.payload),
        thousands(s.ipLength));
    t += u"<i>%1</i><br>"_s.arg(className(s.segmentClass()));
    t += segmentWhy(connection, d, s).toHtmlEscaped();
    return u"<p style='white-space:normal; max-width:28em'>"_s + t + u"</p>"_s;
}

} // namespace ol::text
