// SPDX-License-Identifier: GPL-3.0-or-later
// The command-line front end over the core. It only parses arguments, loads and prints.
#include "cli.h"

#include "alignment.h"
#include "capturecommand.h"
#include "loader.h"
#include "report.h"

#include <QCommandLineParser>
#include <QStringList>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#ifndef OFFLOADLENS_VERSION
#define OFFLOADLENS_VERSION "dev"
#endif

namespace ol {
namespace {

constexpr int ExitOk = 0;
constexpr int ExitInput = 1;
constexpr int ExitUsage = 2;

/// Subcommands the binary knows; anything else as a first argument must be a file to open in the GUI.
const char *const KnownSubcommands[] = {"report", "export", "capture", "help"};

std::string knownSubcommandList()
{
    std::string out;
    for (const char *k : KnownSubcommands)
        out += (out.empty() ? "" : ", ") + std::string(k);
    return out;
}

void printUsage(std::FILE *to)
{
    std::fputs("Usage:\n"
               "  offloadlens [--compare] [--learn N] [--dark] [FILE...]\n"
               "                                             open the GUI (with files to load)\n"
               "  offloadlens report [--json] [--quiet] FILE [FILE2...]\n"
               "                                             analyse captures and print a report\n"
               "  offloadlens capture -i IFACE [--duration S | --packets N] [--filter BPF] [--write F.pcapng]\n"
               "                      [--snaplen N] [--json] [--quiet] | --list\n"
               "                                             capture live, report with the interface's\n"
               "                                             offload features (see capture --help)\n"
               "  offloadlens export --chart frame-size|sequence --out FILE.{png,svg,pdf,csv}\n"
               "                     [--connection ID] [--width W --height H] [--scale S] [--annotate]\n"
               "                     [--force] FILE    draw a chart without a display (see export --help)\n"
               "  offloadlens --help | --version\n"
               "\n"
               "GUI options:\n"
               "  --compare   compare the two files given: pairs, clock offset, side-by-side view\n"
               "  --learn N   open the Learn panel at lesson N (1-7) on its demo capture\n"
               "  --dark      start with the dark palette\n"
               "  --capture IFACE  open File > Capture Live on IFACE and start capturing (needs capture rights)\n"
               "\n"
               "report options:\n"
               "  --json      print the JSON report documented in docs/report.md (schema:\n"
               "              docs/report.schema.json) instead of text\n"
               "  --quiet     no progress on stderr (also -q)\n"
               "\n"
               "Exit codes: 0 success, 1 a file could not be read (or no display for the GUI), 2 bad usage.\n"
               "Manual: man offloadlens; the JSON report: docs/report.md.\n",
               to);
}

class ProgressPrinter
{
public:
    ProgressPrinter(const std::string &path, bool enabled)
        : m_path(path)
        , m_enabled(enabled)
        , m_start(std::chrono::steady_clock::now())
    { }
    bool operator()(const LoadProgress &p)
    {
        if (!m_enabled)
            return true;
        const auto now = std::chrono::steady_clock::now();
        if (now - m_last < std::chrono::milliseconds(200) && (p.bytesRead < p.fileSize || p.fileSize == 0)) // 0: a pipe
            return true;
        m_last = now;
        const double secs = std::chrono::duration<double>(now - m_start).count();
        const double rate = secs > 0 ? double(p.packets) / secs : 0;
        std::fprintf(stderr, "\r%s: %.1f of %.1f MB, %s packets, %.2f M packets/s   ", m_path.c_str(),
                     double(p.bytesRead) / 1e6, double(p.fileSize) / 1e6, withThousands(p.packets).c_str(), rate / 1e6);
        m_printed = true;
        return true;
    }
    ~ProgressPrinter()
    {
        if (m_printed)
            std::fputs("\n", stderr);
    }

private:
    std::string m_path;
    bool m_enabled;
    bool m_printed = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last{};
};

int runReport(int argc, char **argv)
{
    // Arguments are decoded as Latin-1, which maps every byte to one character and back: a file name that
    // is not valid UTF-8 (a Latin-1 name on a UTF-8 system) reaches the loader with its exact bytes, which
    // a locale decoding would have replaced. Option names are ASCII, so parsing is unaffected.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLatin1(argv[i]);
    arguments.removeAt(1); // the subcommand
    QCommandLineParser parser;
    const QCommandLineOption jsonOption(QStringLiteral("json"));
    const QCommandLineOption quietOption(QStringList{QStringLiteral("q"), QStringLiteral("quiet")});
    const QCommandLineOption helpOption(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    parser.addOptions({jsonOption, quietOption, helpOption});
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("capture files"));
    if (!parser.parse(arguments)) {
        const QStringList unknown = parser.unknownOptionNames();
        if (!unknown.isEmpty())
            std::fprintf(stderr, "offloadlens report: unknown option '%s'\n", unknown.first().toLatin1().constData());
        else
            std::fprintf(stderr, "offloadlens report: %s\n", parser.errorText().toLocal8Bit().constData());
        printUsage(stderr);
        return ExitUsage;
    }
    if (parser.isSet(helpOption)) {
        printUsage(stdout);
        return ExitOk;
    }
    const bool json = parser.isSet(jsonOption);
    const bool quiet = parser.isSet(quietOption);
    std::vector<std::string> files;
    for (const QString &f : parser.positionalArguments())
        files.push_back(f.toLatin1().toStdString());
    if (files.empty()) {
        std::fputs("offloadlens report: no capture file given\n", stderr);
        printUsage(stderr);
        return ExitUsage;
    }
    const bool showProgress = !quiet && isatty(STDERR_FILENO);
    std::vector<std::shared_ptr<Trace>> traces;
    for (const std::string &path : files) {
        ProgressPrinter printer(path, showProgress);
        LoadOptions options;
        options.progress = [&printer](const LoadProgress &p) { return printer(p); };
        LoadResult r = loadTrace(path, options);
        if (!r.trace) {
            std::fprintf(stderr, "offloadlens: %s\n", r.error.c_str());
            return ExitInput;
        }
        traces.push_back(std::move(r.trace));
    }
    std::vector<const Trace *> views;
    for (const auto &t : traces)
        views.push_back(t.get());
    // Two files are two capture points of the same traffic (or unrelated, which the alignment reports).
    std::unique_ptr<AlignmentResult> alignment;
    if (views.size() == 2)
        alignment = std::make_unique<AlignmentResult>(alignTraces(*views[0], *views[1]));
    bool written = true;
    if (json) {
        written = writeReportJson(stdout, views, alignment.get());
    } else {
        const std::string out = reportText(views, alignment.get());
        written = std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
    }
    if (std::fflush(stdout) != 0 || !written) {
        std::fputs("offloadlens: cannot write the report to standard output\n", stderr);
        return ExitInput;
    }
    return ExitOk;
}

} // namespace

bool isHeadlessInvocation(int argc, char **argv)
{
    if (argc < 2)
        return false;
    const std::string a = argv[1];
    return a == "report" || a == "capture" || a == "--help" || a == "-h" || a == "--version" || a == "help"
        || isUnknownSubcommand(argc, argv);
}

bool isUnknownSubcommand(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0')
        return false;
    for (const char *k : KnownSubcommands)
        if (std::strcmp(argv[1], k) == 0)
            return false;
    struct stat st { };
    return ::stat(argv[1], &st) != 0; // an existing file (or folder) is for the GUI to open
}

int runHeadless(int argc, char **argv)
{
    const std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        printUsage(stdout);
        return ExitOk;
    }
    if (cmd == "--version") {
        std::printf("offloadlens %s\n", OFFLOADLENS_VERSION);
        return ExitOk;
    }
    if (cmd == "report")
        return runReport(argc, argv);
    if (cmd == "capture")
        return runCapture(argc, argv);
    if (isUnknownSubcommand(argc, argv)) {
        std::fprintf(stderr,
                     "offloadlens: '%s' is neither a subcommand (known: %s) nor an existing file; see "
                     "offloadlens --help\n",
                     cmd.c_str(), knownSubcommandList().c_str());
        return ExitUsage;
    }
    printUsage(stderr);
    return ExitUsage;
}

} // namespace ol
