// SPDX-License-Identifier: GPL-3.0-or-later
// The headless export command (see exportcommand.h): parse, load, draw offscreen, write.
#include "exportcommand.h"

#include "annotationlayer.h"
#include "chartbase.h"
#include "chartexport.h"
#include "chartfactory.h"
#include "comparemodel.h"
#include "loader.h"
#include "pcapngexport.h"
#include "sequencechart.h"
#include "sessionfile.h"
#include "streamchart.h"
#include "streamseries.h"
#include "tracedocument.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

constexpr int ExitOk = 0;
constexpr int ExitFailure = 1;
constexpr int ExitUsage = 2;

void printUsage(std::FILE *to)
{
    std::fputs(
        "Usage: offloadlens export --chart frame-size|sequence|rtt|throughput|inflight|window\n"
        "                          --out FILE.{png,svg,pdf,csv} [--wire]\n"
        "                          [--connection ID] [--width W --height H] [--scale S] [--annotate]\n"
        "                          [--direction client|server] [--title TEXT | --no-title] [--force] FILE\n"
        "       offloadlens export --chart compare|ladder --out FILE.{png,svg,pdf,csv} [--connection PAIR]\n"
        "                          [--width W --height H] [--force] FILE FILE2\n"
        "       offloadlens export --out COPY.pcapng [--no-notes] [--force] FILE\n"
        "\n"
        "  --chart       frame-size: frame size over time against the MSS; sequence: time-sequence;\n"
        "                compare: one connection seen in two captures, side by side; ladder: its ladder diagram\n"
        "  --connection  connection id as in the report (default: the first with oversized frames);\n"
        "                for compare and ladder the pair index of the alignment (default 0)\n"
        "                rtt, throughput, inflight, window: the stream graphs (one direction drawn, both in CSV)\n"
        "  --out         output file; its extension picks the format. CSV holds the data, not the picture:\n"
        "                one row per segment or sample, both directions, every class (columns: docs/report.md)\n"
        "  --wire        rtt: sample per wire segment, cutting super-segments at the MSS as the NIC did\n"
        "  --width, --height  size in pixels (default 1200 x 700); --scale  PNG pixel ratio, e.g. 2 for print\n"
        "  --annotate    add the automatic annotations (largest super-segment, first retransmission, MSS)\n"
        "  --direction   sequence and stream charts: client (client->server) or server (server->client);\n"
        "                default: the busier\n"
        "  --force       overwrite an existing output file\n"
        "  COPY.pcapng   the capture copied packet for packet, with a comment on every frame OffloadLens\n"
        "                classified (and the annotations) for Wireshark; --no-notes leaves the annotations out\n"
        "Annotations saved by the GUI next to the capture (FILE.offloadlens.json) are drawn too.\n"
        "Exit codes: 0 success, 1 a file could not be read or written, 2 bad usage.\n",
        to);
}

int usageError(const std::string &message)
{
    std::fprintf(stderr, "offloadlens export: %s\n", message.c_str());
    std::fputs("Try 'offloadlens export --help'.\n", stderr);
    return ExitUsage;
}

struct Args {
    std::string chart;
    std::string out;
    std::optional<std::uint32_t> connection;
    int width = 1200;
    int height = 700;
    double scale = 1.0;
    bool annotate = false;
    bool force = false;
    bool wire = false;
    int direction = -1;
    std::optional<std::string> title;
    std::vector<std::string> files;
};

/// Parses argv; returns an exit code when parsing ends the command (help or a usage error).
std::optional<int> parse(int argc, char **argv, Args &a)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show the usage."_s);
    const QCommandLineOption chart(u"chart"_s, u"The chart to draw."_s, u"name"_s);
    const QCommandLineOption out({u"o"_s, u"out"_s}, u"The output file."_s, u"file"_s);
    const QCommandLineOption connection(u"connection"_s, u"Connection id, or pair index."_s, u"id"_s);
    const QCommandLineOption width(u"width"_s, u"Width in pixels."_s, u"pixels"_s);
    const QCommandLineOption height(u"height"_s, u"Height in pixels."_s, u"pixels"_s);
    const QCommandLineOption scale(u"scale"_s, u"PNG pixel ratio."_s, u"factor"_s);
    const QCommandLineOption direction(u"direction"_s, u"Sequence chart direction."_s, u"client|server"_s);
    const QCommandLineOption title(u"title"_s, u"Title text."_s, u"text"_s);
    const QCommandLineOption noTitle(u"no-title"_s, u"No title."_s);
    const QCommandLineOption annotate(u"annotate"_s, u"Add the automatic annotations."_s);
    const QCommandLineOption force({u"f"_s, u"force"_s}, u"Overwrite the output."_s);
    const QCommandLineOption wire(u"wire"_s, u"RTT per wire segment."_s);
    parser.addOptions(
        {help, chart, out, connection, width, height, scale, direction, title, noTitle, annotate, force, wire});
    QStringList arguments{u"offloadlens export"_s};
    for (int i = 2; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (!parser.parse(arguments))
        return usageError(parser.errorText().toStdString());
    if (parser.isSet(help)) {
        printUsage(stdout);
        return ExitOk;
    }
    a.chart = parser.value(chart).toStdString();
    a.out = parser.value(out).toLocal8Bit().toStdString();
    if (parser.isSet(connection)) {
        bool ok = false;
        const uint n = parser.value(connection).toUInt(&ok);
        if (!ok)
            return usageError("--connection wants a connection id (0, 1, ...), not '"
                              + parser.value(connection).toStdString() + "'");
        a.connection = std::uint32_t(n);
    }
    for (const QCommandLineOption *size : {&width, &height}) {
        if (!parser.isSet(*size))
            continue;
        bool ok = false;
        const int n = parser.value(*size).toInt(&ok);
        const std::string name = "--" + size->names().constFirst().toStdString();
        if (!ok || n < 50 || n > 20000)
            return usageError(name + " wants a whole number of pixels from 50 to 20000");
        (size == &width ? a.width : a.height) = n;
    }
    if (parser.isSet(scale)) {
        bool ok = false;
        const double n = parser.value(scale).toDouble(&ok);
        if (!ok || n < 0.25 || n > 8)
            return usageError("--scale wants a number from 0.25 to 8");
        a.scale = n;
    }
    if (parser.isSet(direction)) {
        const QString d = parser.value(direction);
        if (d == u"client"_s || d == u"client-to-server"_s || d == u"c2s"_s)
            a.direction = 0;
        else if (d == u"server"_s || d == u"server-to-client"_s || d == u"s2c"_s)
            a.direction = 1;
        else
            return usageError("--direction wants client or server");
    }
    // The later of --title and --no-title wins, as each replaced the other before.
    const QStringList names = parser.optionNames();
    const qsizetype lastTitle = names.lastIndexOf(u"title"_s), lastNoTitle = names.lastIndexOf(u"no-title"_s);
    if (lastTitle > lastNoTitle)
        a.title = parser.value(title).toStdString();
    else if (lastNoTitle >= 0)
        a.title = std::string();
    a.annotate = parser.isSet(annotate);
    a.force = parser.isSet(force);
    a.wire = parser.isSet(wire);
    for (const QString &file : parser.positionalArguments())
        a.files.push_back(file.toLocal8Bit().toStdString());
    if (a.chart.empty())
        return usageError("--chart is required (frame-size or sequence)");
    const ChartType *type = findChartType(QString::fromStdString(a.chart));
    if (!type) {
        QStringList names;
        for (const ChartType &t : chartTypes())
            names << t.name;
        return usageError("unknown chart '" + a.chart + "'; charts: " + names.join(u", "_s).toStdString());
    }
    const bool csv = exportFormatFor(QString::fromStdString(a.out)) == ExportFormat::Csv;
    if (!type->available && !csv)
        return usageError("--chart " + a.chart + " exports as .csv for now (" + type->description.toStdString()
                          + "); the drawn chart is not available yet");
    if (a.out.empty())
        return usageError("--out FILE is required");
    if (exportFormatFor(QString::fromStdString(a.out)) == ExportFormat::Unknown)
        return usageError("cannot tell the format of '" + a.out + "': use .png, .svg, .pdf or .csv");
    if (a.files.empty())
        return usageError("no capture file given");
    if (type->twoTraces) {
        if (a.files.size() != 2)
            return usageError("--chart " + a.chart
                              + " wants two capture files (FILE FILE2), the same traffic "
                                "seen at two points");
    } else if (a.files.size() > 1) {
        return usageError("--chart " + a.chart + " draws one capture; two files are for compare and ladder");
    }
    return std::nullopt;
}

/// Qt's notes about the environment (no XDG_RUNTIME_DIR, the offscreen platform's missing window features)
/// are noise in a command-line tool's output; everything else still gets through.
void quietMessages(QtMsgType, const QMessageLogContext &, const QString &message)
{
    if (message.startsWith(u"QStandardPaths:"_s) || message.contains(u"propagateSizeHints"_s))
        return;
    std::fprintf(stderr, "%s\n", qPrintable(message));
}

} // namespace

bool isExportInvocation(int argc, char **argv)
{
    return argc >= 2 && std::strcmp(argv[1], "export") == 0;
}

namespace {

/// compare and ladder: two captures aligned, one pair drawn.
int runPairExport(const Args &args, const ChartType &type, char **argv)
{
    const QString out = QString::fromLocal8Bit(args.out.c_str());
    std::shared_ptr<const Trace> traces[2];
    for (int i = 0; i < 2; ++i) {
        const QString input = QString::fromLocal8Bit(args.files[std::size_t(i)].c_str());
        if (QFileInfo(out).exists() && QFileInfo(out).canonicalFilePath() == QFileInfo(input).canonicalFilePath()) {
            std::fprintf(stderr, "offloadlens: %s: is an input capture; a capture is never overwritten\n",
                         args.out.c_str());
            return ExitFailure;
        }
        LoadResult loaded = loadTrace(args.files[std::size_t(i)]);
        if (!loaded.trace) {
            std::fprintf(stderr, "offloadlens: %s\n", loaded.error.c_str());
            return ExitFailure;
        }
        traces[i] = std::move(loaded.trace);
    }
    if (QFileInfo::exists(out) && !args.force) {
        std::fprintf(stderr, "offloadlens: %s: already exists (use --force to overwrite)\n", args.out.c_str());
        return ExitFailure;
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietMessages);
    int qtArgc = 1;
    QApplication app(qtArgc, argv);
    CompareModel model;
    model.setTraces(traces[0], traces[1], false);
    const int pair = int(args.connection.value_or(0));
    if (pair >= model.pairCount()) {
        if (model.pairCount() == 0)
            std::fprintf(stderr, "offloadlens: %s and %s share no connection\n", args.files[0].c_str(),
                         args.files[1].c_str());
        else
            std::fprintf(stderr, "offloadlens export: no pair %d (pairs: 0..%d)\n", pair, model.pairCount() - 1);
        return model.pairCount() == 0 ? ExitFailure : ExitUsage;
    }
    std::unique_ptr<QWidget> chart(createPairChart(type.name, &model, pair));
    chart->setAttribute(Qt::WA_DontShowOnScreen);
    chart->resize(args.width, args.height);
    chart->show();
    QString error;
    if (!exportPairChart(chart.get(), out, args.width, args.height, &error)) {
        std::fprintf(stderr, "offloadlens: %s: %s\n", args.out.c_str(), qPrintable(error));
        return ExitFailure;
    }
    return ExitOk;
}

} // namespace

int runExport(int argc, char **argv)
{
    // A .pcapng output is the annotated copy of the capture, not a chart.
    if (isPcapngExport(argc, argv))
        return runPcapngExport(argc, argv);
    Args args;
    if (const auto code = parse(argc, argv, args))
        return *code;
    if (const ChartType *type = findChartType(QString::fromStdString(args.chart)); type && type->twoTraces)
        return runPairExport(args, *type, argv);

    const QString out = QString::fromLocal8Bit(args.out.c_str());
    const QString input = QString::fromLocal8Bit(args.files.front().c_str());
    if (QFileInfo(out).exists() && QFileInfo(out).canonicalFilePath() == QFileInfo(input).canonicalFilePath()) {
        std::fprintf(stderr, "offloadlens: %s: is the input capture; a capture is never overwritten\n",
                     args.out.c_str());
        return ExitFailure;
    }
    if (QFileInfo::exists(out) && !args.force) {
        std::fprintf(stderr, "offloadlens: %s: already exists (use --force to overwrite)\n", args.out.c_str());
        return ExitFailure;
    }

    LoadResult loaded = loadTrace(args.files.front());
    if (!loaded.trace) {
        std::fprintf(stderr, "offloadlens: %s\n", loaded.error.c_str());
        return ExitFailure;
    }
    std::shared_ptr<const Trace> trace = std::move(loaded.trace);
    int index = -1;
    if (args.connection) {
        for (std::size_t i = 0; i < trace->connections.size(); ++i)
            if (trace->connections[i]->id == *args.connection)
                index = int(i);
    } else {
        index = TraceDocument::interestingConnection(*trace);
    }
    if (index < 0) {
        std::string ids;
        for (std::size_t i = 0; i < trace->connections.size() && i < 20; ++i)
            ids += (i ? ", " : "") + std::to_string(trace->connections[i]->id);
        if (trace->connections.empty())
            std::fprintf(stderr, "offloadlens: %s: no TCP connection to draw\n", args.files.front().c_str());
        else
            std::fprintf(stderr, "offloadlens export: %s has no connection %u (ids: %s%s)\n",
                         args.files.front().c_str(), args.connection.value_or(0), ids.c_str(),
                         trace->connections.size() > 20 ? ", ..." : "");
        return trace->connections.empty() ? ExitFailure : ExitUsage;
    }

    // CSV is the data, not the picture: every segment or sample, written by the core without drawing.
    if (exportFormatFor(out) == ExportFormat::Csv) {
        std::string csv;
        writeChartCsv(args.chart, *trace, *trace->connections[std::size_t(index)], args.wire, csv);
        std::FILE *f = std::fopen(args.out.c_str(), "wb");
        const bool ok = f && std::fwrite(csv.data(), 1, csv.size(), f) == csv.size();
        if (!f || std::fclose(f) != 0 || !ok) {
            std::fprintf(stderr, "offloadlens: %s: cannot write: %s\n", args.out.c_str(), std::strerror(errno));
            return ExitFailure;
        }
        return ExitOk;
    }

    // Drawing needs a QApplication but no display: render offscreen unless the caller chose a platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietMessages);
    int qtArgc = 1;
    QApplication app(qtArgc, argv);

    const ChartType *type = findChartType(QString::fromStdString(args.chart));
    std::unique_ptr<ChartBase> chart(createChart(type->name));
    chart->setAttribute(Qt::WA_DontShowOnScreen);
    chart->resize(args.width, args.height);
    chart->show();
    auto series = std::make_shared<ChartSeries>();
    series->setConnection(trace, index);
    const int direction = args.direction >= 0 ? args.direction
                                              : ChartSeries::busiestDirection(*trace->connections[std::size_t(index)]);
    if (auto *sequence = qobject_cast<SequenceChart *>(chart.get()))
        sequence->setDirection(direction);
    if (auto *stream = qobject_cast<StreamChart *>(chart.get())) {
        stream->setDirection(direction);
        stream->setWireView(args.wire);
    }
    chart->setSeries(series);

    // The chart owns the annotations drawn on it and the layer that draws them: one owner, so no order of
    // declarations decides which is destroyed first.
    auto *store = new AnnotationStore(chart.get());
    const SessionFile::LoadResult session = SessionFile::load(input);
    if (session.damaged)
        std::fprintf(stderr, "offloadlens: warning: annotations not loaded: %s\n", qPrintable(session.error));
    else
        store->reset(session.session.annotations);
    if (type->drawsAnnotations) {
        auto *layer = new AnnotationLayer(chart.get(), type->annotations, chart.get());
        layer->setStore(store, nullptr);
        if (args.annotate)
            layer->addAutomaticAnnotations();
    }
    chart->redecimate();

    ExportOptions options;
    options.width = args.width;
    options.height = args.height;
    options.scale = args.scale;
    options.title = args.title ? QString::fromStdString(*args.title) : defaultChartTitle(chart.get());
    QString error;
    if (!exportChart(chart.get(), out, options, &error)) {
        std::fprintf(stderr, "offloadlens: %s: %s\n", args.out.c_str(), qPrintable(error));
        return ExitFailure;
    }
    return ExitOk;
}

} // namespace ol
