// SPDX-License-Identifier: GPL-3.0-or-later
// The annotated pcapng export command (see pcapngexport.h): load and analyse, gather the comments, copy.
#include "pcapngexport.h"

#include "annotatedpcapng.h"
#include "annotation.h"
#include "loader.h"
#include "sessionfile.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>
#include <cstring>
#include <string>
#include <strings.h>
#include <sys/stat.h>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

constexpr int ExitOk = 0;
constexpr int ExitFailure = 1;
constexpr int ExitUsage = 2;

int usageError(const std::string &message)
{
    std::fprintf(stderr, "offloadlens export: %s\n", message.c_str());
    std::fputs("Try 'offloadlens export --help'.\n", stderr);
    return ExitUsage;
}

bool isPcapngName(const char *name)
{
    const std::size_t n = std::strlen(name);
    return n > 7 && strcasecmp(name + n - 7, ".pcapng") == 0;
}

} // namespace

bool isPcapngExport(int argc, char **argv)
{
    for (int i = 2; i < argc; ++i)
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0)
            return false; // the export command's own usage tells of it
    for (int i = 2; i < argc; ++i) {
        const char *a = argv[i];
        if ((std::strcmp(a, "--out") == 0 || std::strcmp(a, "-o") == 0 || std::strcmp(a, "-out") == 0) && i + 1 < argc)
            return isPcapngName(argv[i + 1]);
        if (std::strncmp(a, "--out=", 6) == 0)
            return isPcapngName(a + 6);
    }
    return false;
}

int runPcapngExport(int argc, char **argv)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption out({u"o"_s, u"out"_s}, u"The output file."_s, u"file"_s);
    const QCommandLineOption force({u"f"_s, u"force"_s}, u"Overwrite the output."_s);
    const QCommandLineOption noNotes(u"no-notes"_s, u"Leave out the user's annotations."_s);
    parser.addOptions({out, force, noNotes});
    QStringList arguments{u"offloadlens export"_s};
    for (int i = 2; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (!parser.parse(arguments))
        return usageError(parser.errorText().toStdString()
                          + " (a .pcapng export takes only --out, --force and --no-notes)");
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1)
        return usageError("a .pcapng export copies one capture file (FILE)");
    const std::string input = files.constFirst().toLocal8Bit().toStdString();
    if (input == "-")
        return usageError("a .pcapng export copies a capture file, not standard input (it reads the file twice)");
    const std::string output = parser.value(out).toLocal8Bit().toStdString();

    // Checked before the load, which may take a while on a large capture; the copy checks again.
    struct stat st { };
    if (::stat(output.c_str(), &st) == 0 && !parser.isSet(force)
        && QFileInfo(files.constFirst()).canonicalFilePath() != QFileInfo(parser.value(out)).canonicalFilePath()) {
        std::fprintf(stderr, "offloadlens: %s: already exists (use --force to overwrite)\n", output.c_str());
        return ExitFailure;
    }
    LoadResult loaded = loadTrace(input);
    if (!loaded.trace) {
        std::fprintf(stderr, "offloadlens: %s\n", loaded.error.c_str());
        return ExitFailure;
    }
    FrameComments comments = analysisComments(*loaded.trace);
    if (!parser.isSet(noNotes) && input != "-") {
        const SessionFile::LoadResult session = SessionFile::load(files.constFirst());
        if (session.damaged)
            std::fprintf(stderr, "offloadlens: warning: annotations not loaded: %s\n", qPrintable(session.error));
        else
            addAnnotationComments(*loaded.trace, session.session.annotations, comments);
    }
    const AnnotatedPcapngResult r = writeAnnotatedPcapng(input, output, comments, parser.isSet(force));
    for (const std::string &w : r.warnings)
        std::fprintf(stderr, "offloadlens: warning: %s\n", w.c_str());
    if (!r.ok) {
        std::fprintf(stderr, "offloadlens: %s: %s\n", output.c_str(), r.error.c_str());
        return ExitFailure;
    }
    std::printf("%s: %llu packets, %llu with comments\n", output.c_str(), static_cast<unsigned long long>(r.packets),
                static_cast<unsigned long long>(r.commented));
    return ExitOk;
}

} // namespace ol
