// SPDX-License-Identifier: GPL-3.0-or-later
// `offloadlens capture`: capture on a live interface, then print the same report as `report`, with what the
// kernel says about the interface's offload features next to what the traffic showed.
#include "capturecommand.h"

#include "json.h"
#include "livecapture.h"
#include "report.h"

#include <QCommandLineParser>
#include <QStringList>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace ol {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void onInterrupt(int)
{
    g_stop.store(true); // lock-free atomic store: async-signal-safe
}

constexpr int ExitOk = 0, ExitInput = 1, ExitUsage = 2;

const char *const CaptureUsage =
    "Usage: offloadlens capture -i IFACE [--duration SECONDS | --packets N] [--filter BPF] [--snaplen N]\n"
    "                           [--write FILE.pcapng] [--json] [--quiet]\n"
    "       offloadlens capture --list [--json]\n"
    "\n"
    "Captures on a live interface (libpcap), then prints the report of what was captured, with the\n"
    "interface's offload features as the kernel reports them (the source `ethtool -k` prints) and a\n"
    "sentence comparing them with the traffic. Ctrl-C ends the capture early and still prints the report.\n"
    "  -i, --interface IFACE  interface to capture on (see --list)\n"
    "  --duration SECONDS     stop after this long (default 5 unless --packets is given)\n"
    "  --packets N            stop after N packets\n"
    "  --filter BPF           capture filter, e.g. 'tcp port 443'\n"
    "  --snaplen N            bytes kept per packet (default 128: headers only)\n"
    "  --write FILE.pcapng    keep the capture (complete even when interrupted); without it nothing is written\n"
    "  --json                 the JSON report (docs/report.md), with files[0].interface\n"
    "  -q, --quiet            no progress on stderr\n"
    "  --list                 list the interfaces with their offload features\n"
    "Capturing needs CAP_NET_RAW and CAP_NET_ADMIN (root, or setcap); reading the features does not.\n";

std::string featureLine(const InterfaceInfo &i)
{
    std::string s;
    for (const InterfaceFeature &f : i.features)
        s += (s.empty() ? "" : " ") + f.name + "=" + (f.on ? (*f.on ? "on" : "off") : "?");
    return s;
}

int listInterfacesCommand(bool json)
{
    std::string error;
    const std::vector<InterfaceInfo> all = listInterfaces(error);
    if (!error.empty()) {
        std::fprintf(stderr, "offloadlens capture: cannot list interfaces: %s\n", error.c_str());
        return ExitInput;
    }
    if (json) {
        JsonWriter w(stdout);
        w.beginArray();
        for (const InterfaceInfo &i : all) {
            w.beginObject();
            writeInterfaceFeatures(w, i);
            w.key("up").value(i.up);
            w.key("loopback").value(i.loopback);
            w.endObject();
        }
        w.endArray();
        const bool ok = w.flush();
        std::fputs("\n", stdout);
        return ok ? ExitOk : ExitInput;
    }
    for (const InterfaceInfo &i : all) {
        std::printf("%-16s %-5s mtu %-6s %s%s\n", i.name.c_str(), i.up ? "up" : "down",
                    i.mtu ? std::to_string(*i.mtu).c_str() : "?", featureLine(i).c_str(),
                    i.note.empty() ? "" : ("  (" + i.note + ")").c_str());
    }
    return ExitOk;
}

} // namespace

int runCapture(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    arguments.removeAt(1); // the subcommand
    QCommandLineParser parser;
    const QCommandLineOption ifaceOpt(QStringList{QStringLiteral("i"), QStringLiteral("interface")}, {}, "IFACE");
    const QCommandLineOption durationOpt(QStringLiteral("duration"), {}, "SECONDS");
    const QCommandLineOption packetsOpt(QStringLiteral("packets"), {}, "N");
    const QCommandLineOption filterOpt(QStringLiteral("filter"), {}, "BPF");
    const QCommandLineOption snaplenOpt(QStringLiteral("snaplen"), {}, "N");
    const QCommandLineOption writeOpt(QStringLiteral("write"), {}, "FILE");
    const QCommandLineOption jsonOpt(QStringLiteral("json"));
    const QCommandLineOption quietOpt(QStringList{QStringLiteral("q"), QStringLiteral("quiet")});
    const QCommandLineOption listOpt(QStringLiteral("list"));
    const QCommandLineOption helpOpt(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    parser.addOptions(
        {ifaceOpt, durationOpt, packetsOpt, filterOpt, snaplenOpt, writeOpt, jsonOpt, quietOpt, listOpt, helpOpt});
    auto usageError = [](const std::string &why) {
        std::fprintf(stderr, "offloadlens capture: %s\n%s", why.c_str(), CaptureUsage);
        return ExitUsage;
    };
    if (!parser.parse(arguments))
        return usageError(parser.errorText().toStdString());
    if (parser.isSet(helpOpt)) {
        std::fputs(CaptureUsage, stdout);
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError("unexpected argument '" + parser.positionalArguments().first().toStdString() + "'");
    if (parser.isSet(listOpt))
        return listInterfacesCommand(parser.isSet(jsonOpt));
    LiveCaptureOptions o;
    o.interface = parser.value(ifaceOpt).toStdString();
    if (o.interface.empty())
        return usageError("no interface given (-i IFACE; --list shows them)");
    bool ok = true;
    if (parser.isSet(durationOpt)) {
        o.seconds = parser.value(durationOpt).toDouble(&ok);
        if (!ok || o.seconds <= 0 || o.seconds > 86400 * 7)
            return usageError("--duration needs a number of seconds above 0");
    }
    if (parser.isSet(packetsOpt)) {
        o.packets = parser.value(packetsOpt).toULongLong(&ok);
        if (!ok || o.packets == 0)
            return usageError("--packets needs a whole number above 0");
    }
    if (!parser.isSet(durationOpt) && !parser.isSet(packetsOpt))
        o.seconds = 5;
    if (parser.isSet(snaplenOpt)) {
        o.snaplen = parser.value(snaplenOpt).toInt(&ok);
        if (!ok || o.snaplen < 68 || o.snaplen > 262144)
            return usageError("--snaplen needs a number from 68 to 262144");
    }
    o.filter = parser.value(filterOpt).toStdString();
    o.writePath = parser.value(writeOpt).toStdString();
    const bool json = parser.isSet(jsonOpt);
    const bool showProgress = !parser.isSet(quietOpt) && isatty(STDERR_FILENO);

    struct sigaction sa { };
    sa.sa_handler = onInterrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    bool printed = false;
    auto progress = [&](const LiveProgress &p) {
        if (!showProgress)
            return;
        std::string left;
        if (o.seconds > 0) {
            char buf[48];
            std::snprintf(buf, sizeof buf, ", %.0f s left", std::max(0.0, o.seconds - p.seconds));
            left = buf;
        }
        std::fprintf(stderr, "\rcapturing on %s: %s packets, %.1f s%s (Ctrl-C to stop)   ", o.interface.c_str(),
                     withThousands(p.packets).c_str(), p.seconds, left.c_str());
        printed = true;
    };
    LiveCaptureResult r = captureLive(o, progress, &g_stop);
    if (printed)
        std::fputs("\n", stderr);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (!r.load.trace) {
        std::fprintf(stderr, "offloadlens capture: %s\n", r.load.error.c_str());
        return ExitInput;
    }
    const std::vector<const Trace *> views{r.load.trace.get()};
    bool written = true;
    if (json) {
        written = writeReportJson(stdout, views, nullptr);
    } else {
        const std::string out = reportText(views, nullptr);
        written = std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
    }
    if (std::fflush(stdout) != 0 || !written) {
        std::fputs("offloadlens: cannot write the report to standard output\n", stderr);
        return ExitInput;
    }
    return ExitOk;
}

} // namespace ol
