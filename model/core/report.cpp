// SPDX-License-Identifier: GPL-3.0-or-later
// Report serialisation. Key names are a public interface: add keys, never rename them.
#include "report.h"

#include "alignment.h"
#include "json.h"
#include "problems.h"

#include <cstdio>

namespace ol {
namespace {

std::string hexBytes(const std::string &s)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * s.size());
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        out += digits[c >> 4];
        out += digits[c & 0xf];
    }
    return out;
}

void writeEvidence(JsonWriter &w, const std::vector<Evidence> &evidence)
{
    w.beginArray();
    for (const Evidence &e : evidence) {
        w.beginObject();
        w.key("kind").value(e.kind);
        w.key("text").value(e.text);
        w.endObject();
    }
    w.endArray();
}

void writeHandshake(JsonWriter &w, const HandshakeOptions &h)
{
    w.beginObject();
    w.key("syn_seen").value(h.sawSyn);
    if (h.sawSyn) {
        w.key("mss");
        if (h.hasMss)
            w.value(unsigned(h.mss));
        else
            w.null();
        w.key("window_scale").value(int(h.windowScale));
        w.key("sack_permitted").value(h.sackPermitted);
        w.key("timestamps").value(h.timestamps);
        w.key("ttl").value(unsigned(h.ttl));
    }
    w.endObject();
}

void writeMssValue(JsonWriter &w, const DirectionOffload &o)
{
    if (o.mssKnown || o.mss)
        w.value(unsigned(o.mss));
    else
        w.null();
}

void writeDirection(JsonWriter &w, const FlowDirection &fd)
{
    const DirectionStats &s = fd.stats;
    const DirectionOffload &o = fd.offload;
    w.beginObject();
    w.key("from").value(fd.from.toString());
    w.key("to").value(fd.to.toString());
    w.key("segments").value(s.segments);
    w.key("data_segments").value(s.dataSegments);
    w.key("payload_bytes").value(s.payloadBytes);
    w.key("unique_bytes").value(s.uniqueBytes);
    w.key("max_payload").value(unsigned(s.maxPayload));
    w.key("retransmissions").value(s.retransmissions);
    w.key("out_of_order").value(s.outOfOrder);
    w.key("duplicate_acks").value(s.duplicateAcks);
    w.key("zero_windows").value(s.zeroWindows);
    w.key("sack_segments").value(s.sackSegments);
    w.key("keep_alives").value(s.keepAlives);
    w.key("gap_events").value(s.gapEvents);
    w.key("missing_from_capture_bytes").value(s.missingBytes);
    w.key("ip_length_zero").value(s.ipLengthZero);
    w.key("checksums").beginObject();
    w.key("tcp_good").value(s.tcpChecksum[1]);
    w.key("tcp_bad").value(s.tcpChecksum[2]);
    w.key("tcp_zero").value(s.tcpChecksum[3]);
    w.key("tcp_unchecked").value(s.tcpChecksum[0]);
    w.key("ipv4_good").value(s.ipChecksum[1]);
    w.key("ipv4_bad").value(s.ipChecksum[2]);
    w.key("ipv4_zero").value(s.ipChecksum[3]);
    w.endObject();
    if (o.analyzed) {
        w.key("mss");
        writeMssValue(w, o);
        w.key("effective_mss").value(unsigned(o.effectiveMss));
        w.key("mss_inferred").value(o.mssInferred);
        w.key("mss_source").value(o.mssSource);
        w.key("mss_evidence").value(o.mssEvidence);
        w.key("mss_limited_by_sender").value(o.mssLimitedBySender);
        w.key("loopback").value(o.loopback);
        w.key("oversized_segments").value(o.oversized());
        w.key("classes").beginObject();
        w.key("normal").value(o.normal);
        w.key("full_size").value(o.fullSize);
        w.key("send_offload").value(o.sendOffload);
        w.key("receive_offload").value(o.receiveOffload);
        w.key("oversized_unexplained").value(o.unexplained);
        w.endObject();
        w.key("max_segments_in_one").value(unsigned(o.maxSegmentsInOne));
        w.key("offload").value(verdictName(o.verdict));
        if (!o.unexplainedWhy.empty())
            w.key("unexplained_why").value(o.unexplainedWhy);
        w.key("evidence");
        writeEvidence(w, o.evidence);
    }
    w.endObject();
}

void writeConnection(JsonWriter &w, const Trace &t, const Connection &c)
{
    w.beginObject();
    w.key("id").value(unsigned(c.id));
    w.key("client").value(c.client.toString());
    w.key("server").value(c.server.toString());
    if (c.vlanKey)
        w.key("vlan_key").value(unsigned(c.vlanKey));
    w.key("midstream").value(c.midstream);
    w.key("roles_guessed").value(c.rolesGuessed);
    w.key("packets").value(c.packets);
    w.key("encapsulation").value(c.encapsulation.toString());
    if (c.otherEncapsulationPackets) {
        w.key("encapsulation_other").value(c.otherEncapsulation.toString());
        w.key("encapsulation_other_packets").value(c.otherEncapsulationPackets);
    }
    w.key("tunnelled").value(c.tunnelled);
    w.key("mirrored").value(c.mirrored);
    if (c.tunnelled) {
        w.key("tunnel_outer").beginObject();
        w.key("src").value(c.tunnelOuterSrc.toString());
        w.key("dst").value(c.tunnelOuterDst.toString());
        w.endObject();
    }
    if (c.mirrorTruncated)
        w.key("mirror_truncated_packets").value(c.mirrorTruncated);
    w.key("start_s").value(double(c.firstTime - t.firstTime) / 1e9, 6);
    w.key("duration_s").value(double(c.lastTime - c.firstTime) / 1e9, 6);
    const DirectionOffload &toServer = c.directions[0].offload;
    const DirectionOffload &toClient = c.directions[1].offload;
    w.key("mss").beginObject();
    // The client's MSS limits what the server sends, and the other way round.
    w.key("client");
    if (c.directions[0].handshake.hasMss)
        w.value(unsigned(c.directions[0].handshake.mss));
    else if (toClient.analyzed && toClient.mssKnown)
        w.value(unsigned(toClient.mss));
    else
        w.null();
    w.key("server");
    if (c.directions[1].handshake.hasMss)
        w.value(unsigned(c.directions[1].handshake.mss));
    else if (toServer.analyzed && toServer.mssKnown)
        w.value(unsigned(toServer.mss));
    else
        w.null();
    w.key("inferred").value(!c.directions[0].handshake.hasMss || !c.directions[1].handshake.hasMss);
    w.endObject();
    w.key("handshake").beginObject();
    w.key("client");
    writeHandshake(w, c.directions[0].handshake);
    w.key("server");
    writeHandshake(w, c.directions[1].handshake);
    w.endObject();
    w.key("directions").beginArray();
    writeDirection(w, c.directions[0]);
    writeDirection(w, c.directions[1]);
    w.endArray();
    w.endObject();
}

} // namespace

void writeInterfaceFeatures(JsonWriter &w, const InterfaceInfo &i)
{
    w.key("name").value(i.name);
    w.key("mtu");
    if (i.mtu)
        w.value(*i.mtu);
    else
        w.null();
    w.key("features").beginObject();
    for (const InterfaceFeature &f : i.features) {
        w.key(f.name);
        if (f.on)
            w.value(*f.on);
        else
            w.null();
    }
    w.endObject();
    w.key("features_note").value(i.note);
}

namespace {

void writeInterface(JsonWriter &w, const InterfaceInfo &i)
{
    w.key("interface").beginObject();
    writeInterfaceFeatures(w, i);
    w.key("link_type").value(i.linkType);
    w.key("addresses").beginArray();
    for (const std::string &a : i.addresses)
        w.value(a);
    w.endArray();
    w.key("filter").value(i.filter);
    w.key("seconds").value(i.seconds, 3);
    w.key("captured").value(i.captured);
    w.key("dropped_by_kernel").value(i.droppedByKernel);
    w.key("dropped_by_interface").value(i.droppedByInterface);
    w.key("comparison").value(i.comparison);
    w.endObject();
}

void writeFile(JsonWriter &w, const Trace &t)
{
    w.beginObject();
    w.key("path").value(t.path);
    // JSON text is UTF-8: a path that is not (a Latin-1 file name) is written with U+FFFD in place of each
    // invalid byte, and its exact bytes are given in hex so that a script can still open the file.
    const bool pathIsUtf8 = JsonWriter::isValidUtf8(t.path);
    w.key("path_is_utf8").value(pathIsUtf8);
    if (!pathIsUtf8)
        w.key("path_hex").value(hexBytes(t.path));
    w.key("format").value(formatName(t.format));
    w.key("link_types").beginArray();
    for (const auto &l : t.linkTypes)
        w.value(l);
    w.endArray();
    w.key("packets").value(t.counts.packets);
    w.key("file_bytes").value(t.fileSize);
    w.key("tcp_packets").value(t.counts.tcpPackets);
    w.key("skipped").beginObject();
    w.key("not_ip").value(t.counts.notIp);
    w.key("not_tcp").value(t.counts.notTcp);
    w.key("fragments").value(t.counts.fragments);
    w.key("truncated").value(t.counts.truncated);
    w.key("malformed").value(t.counts.malformed);
    w.key("unknown_link_type").value(t.counts.unknownLinkType);
    w.endObject();
    w.key("length_mismatch").value(t.counts.lengthMismatch);
    w.key("tunnelled_tcp").value(t.counts.tunnelled);
    w.key("unknown_encapsulations").beginArray();
    for (const UnknownEncapCount &u : t.unknownEncapsulations) {
        w.beginObject();
        w.key("kind").value(u.kind == UnknownEncap::None ? std::string("other kinds")
                                                         : unknownEncapName(u.kind, u.value));
        w.key("packets").value(u.packets);
        w.endObject();
    }
    w.endArray();
    // Exact: formatted from the integer nanoseconds (a double has only ~16 significant digits).
    w.key("first_time").secondsFromNanos(t.firstTime);
    w.key("first_time_ns").value(std::int64_t(t.firstTime));
    w.key("duration_s").value(double(t.lastTime - t.firstTime) / 1e9, 6);
    w.key("warnings").beginArray();
    for (const auto &warning : t.warnings) {
        w.beginObject();
        w.key("packet").value(warning.packet);
        w.key("kind").value(warning.kind);
        w.key("text").value(warning.text);
        w.endObject();
    }
    w.endArray();
    if (t.offload.analyzed) {
        const CapturePoint &cp = t.offload.capturePoint;
        w.key("capture_point").beginObject();
        w.key("host");
        if (cp.known)
            w.value(cp.host);
        else
            w.null();
        w.key("role").value(cp.role);
        w.key("confidence").value(cp.confidence, 2);
        w.key("location").value(!cp.location.empty() ? cp.location : cp.known ? "host" : "unknown");
        w.key("location_text").value(cp.locationText);
        w.key("evidence");
        writeEvidence(w, cp.evidence);
        w.endObject();
        w.key("offload").value(verdictName(t.offload.verdict));
        w.key("summary").value(t.offload.summary);
    }
    if (t.interface)
        writeInterface(w, *t.interface);
    w.key("connections").beginArray();
    for (const auto &c : t.connections)
        writeConnection(w, t, *c);
    w.endArray();
    w.key("problems");
    writeProblemsJson(w, diagnoseProblems(t).problems, t.firstTime);
    w.endObject();
}

} // namespace

namespace {

void writeDocument(JsonWriter &w, const std::vector<const Trace *> &traces, const AlignmentResult *alignment)
{
    w.beginObject();
    w.key("tool").value("offloadlens");
    w.key("files").beginArray();
    for (const Trace *t : traces)
        writeFile(w, *t);
    w.endArray();
    if (alignment && traces.size() == 2) {
        const auto pairProblems = diagnoseAlignmentProblems(*traces[0], *traces[1], *alignment);
        writeAlignmentJson(w, *alignment, &pairProblems, traces[0]->firstTime);
    } else if (alignment) {
        writeAlignmentJson(w, *alignment);
    }
    w.endObject();
}

} // namespace

std::string reportJson(const std::vector<const Trace *> &traces, const AlignmentResult *alignment)
{
    JsonWriter w;
    writeDocument(w, traces, alignment);
    return w.str() + "\n";
}

bool writeReportJson(std::FILE *out, const std::vector<const Trace *> &traces, const AlignmentResult *alignment)
{
    JsonWriter w(out);
    writeDocument(w, traces, alignment);
    return w.flush() && std::fputc('\n', out) != EOF;
}

} // namespace ol
