// SPDX-License-Identifier: GPL-3.0-or-later
// The command-line front end over the core. It only parses arguments, loads and prints.
#include "cli.h"

#include "alignment.h"
#include "loader.h"
#include "report.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
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

void printUsage(std::FILE *to)
{
    std::fputs("Usage:\n"
               "  offloadlens [FILE...]                      open the GUI (with files to load)\n"
               "  offloadlens report [--json] [--quiet] FILE [FILE2...]\n"
               "                                             analyse captures and print a report\n"
               "  offloadlens export --chart frame-size|sequence --out FILE.{png,svg,pdf,csv}\n"
               "                     [--connection ID] [--width W --height H] [--scale S] [--annotate]\n"
               "                     [--force] FILE    draw a chart without a display (see export --help)\n"
               "  offloadlens --help | --version\n"
               "\n"
               "report options:\n"
               "  --json    print the JSON document described in DESIGN.md instead of text\n"
               "  --quiet   no progress on stderr\n"
               "\n"
               "Exit codes: 0 success, 1 a file could not be read, 2 bad usage.\n",
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
    bool json = false;
    bool quiet = false;
    std::vector<std::string> files;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json")
            json = true;
        else if (a == "--quiet" || a == "-q")
            quiet = true;
        else if (a == "--help" || a == "-h") {
            printUsage(stdout);
            return ExitOk;
        } else if (a.size() > 1 && a[0] == '-' && a != "-") {
            std::fprintf(stderr, "offloadlens report: unknown option '%s'\n", a.c_str());
            printUsage(stderr);
            return ExitUsage;
        } else
            files.push_back(a);
    }
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
    return a == "report" || a == "--help" || a == "-h" || a == "--version" || a == "help";
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
    printUsage(stderr);
    return ExitUsage;
}

} // namespace ol
