// SPDX-License-Identifier: GPL-3.0-or-later
// The readable text report: a summary paragraph per file and a table of connections.
#include "report.h"

#include "alignment.h"
#include "problems.h"

#include <cstdio>

namespace ol {
namespace {

std::string pad(const std::string &s, std::size_t width)
{
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string rpad(const std::string &s, std::size_t width)
{
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// Wraps a paragraph at the given width with an indent.
std::string wrap(const std::string &text, std::size_t width, const std::string &indent)
{
    std::string out, line;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = text.find(' ', i);
        if (j == std::string::npos)
            j = text.size();
        const std::string word = text.substr(i, j - i);
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            out += indent + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        i = j + 1;
    }
    if (!line.empty())
        out += indent + line + "\n";
    return out;
}

std::string mssText(const Connection &c, int d)
{
    const DirectionOffload &o = c.directions[d].offload;
    if (!o.analyzed || !o.mss)
        return "?";
    return std::to_string(o.mss) + (o.mssInferred ? "*" : "");
}

} // namespace

std::string reportText(const std::vector<const Trace *> &traces, const AlignmentResult *alignment)
{
    std::string out;
    for (const Trace *t : traces) {
        out += t->path + "\n";
        out += "  " + std::string(formatName(t->format)) + ", ";
        for (std::size_t i = 0; i < t->linkTypes.size(); ++i)
            out += (i ? "/" : "") + t->linkTypes[i];
        out += ", " + withThousands(t->counts.packets) + " packets (" + withThousands(t->counts.tcpPackets) + " TCP), "
            + withThousands(t->connections.size()) + " connections, " + formatSeconds(t->lastTime - t->firstTime, 3)
            + " s\n";
        if (t->interface) {
            const InterfaceInfo &i = *t->interface;
            std::string line = "Live capture on " + i.name + " (" + i.linkType
                + (i.mtu ? ", MTU " + withThousands(*i.mtu) : std::string()) + "): " + withThousands(i.captured)
                + " packets in " + formatSeconds(std::int64_t(i.seconds * 1e9), 1) + " s"
                + (i.filter.empty() ? std::string() : ", filter '" + i.filter + "'") + ". Kernel offload settings:";
            for (const InterfaceFeature &f : i.features)
                line += " " + f.name + " " + (f.on ? (*f.on ? "on" : "off") : "unknown") + ",";
            line.back() = '.';
            if (!i.note.empty())
                line += " (" + i.note + ")";
            out += wrap(line, 96, "  ");
            if (!i.comparison.empty())
                out += wrap(i.comparison, 96, "  ");
        }
        if (t->offload.analyzed) {
            out += "  Offload verdict: " + std::string(verdictName(t->offload.verdict)) + "\n";
            out += wrap(t->offload.summary, 96, "  ");
            const CapturePoint &cp = t->offload.capturePoint;
            if (cp.known) {
                char conf[16];
                std::snprintf(conf, sizeof conf, "%.2f", cp.confidence);
                out += "  Capture point: " + cp.host + " (confidence " + conf + ")\n";
                for (const Evidence &e : cp.evidence)
                    out += wrap("- " + e.text, 94, "    ");
            }
        }
        if (t->offload.analyzed)
            out += problemsText(diagnoseProblems(*t), t->firstTime);
        for (const auto &w : t->warnings)
            out += wrap("warning: " + w.text, 96, "  ");
        for (const UnknownEncapCount &u : t->unknownEncapsulations)
            out += "  " + withThousands(u.packets) + " packets in "
                + (u.kind == UnknownEncap::None ? std::string("other kinds") : unknownEncapName(u.kind, u.value))
                + "\n";
        out += "\n  " + pad("id", 5) + pad("client", 42) + pad("server", 42) + rpad("pkts", 9) + rpad("MSS c/s", 13)
            + rpad("bytes c>s", 13) + rpad("bytes s>c", 13) + rpad("max", 8) + rpad("over", 7) + rpad("retr", 6)
            + "  offload\n";
        for (const auto &cp : t->connections) {
            const Connection &c = *cp;
            const auto &a = c.directions[0], &b = c.directions[1];
            // Built with append: GCC 12 -O3 warns a false -Wrestrict on a literal + temporary string.
            std::string verdict;
            if (a.offload.verdict != OffloadVerdict::None)
                verdict.append("c>s ").append(verdictName(a.offload.verdict));
            if (b.offload.verdict != OffloadVerdict::None)
                verdict.append(verdict.empty() ? "" : ", ").append("s>c ").append(verdictName(b.offload.verdict));
            if (verdict.empty())
                verdict = "none";
            out += "  " + pad(std::to_string(c.id), 5) + pad(c.client.toString() + (c.midstream ? " (mid)" : ""), 42)
                + pad(c.server.toString(), 42) + rpad(withThousands(c.packets), 9)
                + rpad(mssText(c, 1) + "/" + mssText(c, 0), 13) + rpad(withThousands(a.stats.payloadBytes), 13)
                + rpad(withThousands(b.stats.payloadBytes), 13)
                + rpad(withThousands(std::max(a.stats.maxPayload, b.stats.maxPayload)), 8)
                + rpad(withThousands(a.offload.oversized() + b.offload.oversized()), 7)
                + rpad(withThousands(a.stats.retransmissions + b.stats.retransmissions), 6) + "  " + verdict + "\n";
            if (c.tunnelled || c.mirrored || c.encapsulation.count > 3) {
                out.append("        via ").append(c.encapsulation.toString());
                if (c.mirrored || c.tunnelled)
                    out.append(c.mirrored ? " (a mirror copy" : " (tunnel");
                if (c.tunnelled)
                    out.append(" ")
                        .append(c.tunnelOuterSrc.toString())
                        .append(" -> ")
                        .append(c.tunnelOuterDst.toString());
                out.append(c.mirrored || c.tunnelled ? ")\n" : "\n");
            }
        }
        out += "\n";
    }
    if (alignment && traces.size() == 2)
        out += alignmentText(*alignment, *traces[0], *traces[1]);
    return out;
}

} // namespace ol
