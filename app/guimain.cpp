// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app's entry point: QApplication, command line (files to open, hidden --screenshot), main window.
#include "guimain.h"

#include "mainwindow.h"
#include "problemspanel.h"
#include "screenshotrunner.h"

#include <QApplication>

#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QIcon>
#include <algorithm>
#include <cstdio>

#ifndef OFFLOADLENS_VERSION
#define OFFLOADLENS_VERSION "unknown"
#endif

namespace ol {

using namespace Qt::StringLiterals;

namespace {

/// Demo captures next to the source tree (developer builds) or installed under share/offloadlens/demo.
QStringList demoFiles()
{
    QStringList dirs;
#ifdef OFFLOADLENS_SOURCE_DIR
    dirs << QStringLiteral(OFFLOADLENS_SOURCE_DIR "/resources/demo");
#endif
    dirs << QCoreApplication::applicationDirPath() + u"/../share/offloadlens/demo"_s;
    for (const QString &dir : std::as_const(dirs)) {
        QStringList files;
        const QDir d(dir);
        for (const QString &name :
             d.entryList({u"*.pcap"_s, u"*.pcapng"_s, u"*.cap"_s, u"*.pcap.gz"_s}, QDir::Files, QDir::Name))
            files << d.absoluteFilePath(name);
        if (!files.isEmpty())
            return files;
    }
    return {};
}

/// False (with a one-line reason on stderr) when Qt would have no display to open: then QApplication aborts
/// in the platform plugin (SIGABRT and a core dump) instead of saying what to do. Platforms other than xcb
/// and wayland (offscreen, minimal, vnc, eglfs, linuxfb, ...) need no display server, so they are trusted.
bool haveDisplay()
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM").split(':').first().toLower();
    const bool needsServer = platform.isEmpty() || platform == "xcb" || platform.startsWith("wayland");
    if (!needsServer || !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return true;
    std::fputs("offloadlens: no display (DISPLAY and WAYLAND_DISPLAY are unset) to open the GUI on; for a "
               "headless report run 'offloadlens report [--json] FILE', or set QT_QPA_PLATFORM=offscreen\n",
               stderr);
    return false;
}

} // namespace

int runGui(int argc, char **argv)
{
    if (!haveDisplay())
        return 1;
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"OffloadLens"_s);
    QApplication::setApplicationName(u"offloadlens"_s);
    QApplication::setApplicationDisplayName(u"OffloadLens"_s);
    QApplication::setApplicationVersion(QString::fromLatin1(OFFLOADLENS_VERSION));
    QApplication::setDesktopFileName(u"offloadlens"_s);
    QApplication::setWindowIcon(QIcon(u":/offloadlens/offloadlens.svg"_s));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Shows TCP frame sizes against the MSS and whether a capture was taken on a host doing segmentation "_s
        u"offload or receive coalescing. Headless: offloadlens report [--json] FILE [FILE2]."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"files"_s, u"Capture files to open (pcap, pcapng)."_s, u"[files...]"_s);
    QCommandLineOption screenshot(u"screenshot"_s, u"Save a PNG of the window once the files loaded, then quit."_s,
                                  u"file"_s);
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption whileLoading(u"while-loading"_s,
                                    u"With --screenshot: of the first results shown while the file still loads."_s);
    whileLoading.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption size(u"size"_s, u"Window size for --screenshot, e.g. 1440x900."_s, u"WxH"_s);
    size.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption dark(u"dark"_s, u"Start with the dark palette."_s);
    QCommandLineOption wire(u"wire-view"_s, u"Start with the wire view of the frame-size chart."_s);
    wire.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption learn(u"learn"_s, u"Open the Learn panel at lesson N (1-8) and show it on its demo capture."_s,
                             u"N"_s);
    QCommandLineOption capture(u"capture"_s, u"Open File → Capture Live on interface IFACE and start capturing."_s,
                               u"IFACE"_s);
    QCommandLineOption compare(u"compare"_s, u"Compare the two files given: pairs, clock offset, side-by-side view."_s);
    QCommandLineOption problem(u"problem"_s, u"Show the Problems panel with problem N (1 = the first) selected."_s,
                               u"N"_s);
    problem.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(problem);
    parser.addOption(compare);
    parser.addOption(learn);
    parser.addOption(capture);
    parser.addOption(wire);
    parser.addOption(screenshot);
    parser.addOption(size);
    parser.addOption(whileLoading);
    parser.addOption(dark);
    parser.process(app);

    MainWindow window;
    const bool screenshotMode = parser.isSet(screenshot);
    window.setQuiet(screenshotMode);
    if (!screenshotMode)
        window.restoreSettings();
    if (parser.isSet(dark))
        window.setDarkPalette(true);
    if (parser.isSet(wire))
        window.setWireView(true);
    window.setDemoFiles(demoFiles());
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(u'x');
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    if (screenshotMode)
        new ScreenshotRunner(&window, parser.value(screenshot), parser.isSet(whileLoading), &window);
    if (parser.isSet(problem))
        QObject::connect(window.document(), &TraceDocument::loadingFinished, &window, [&window, &parser, &problem] {
            window.problemsDock()->show();
            window.problemsDock()->raise();
            window.problems()->selectRow(std::max(1, parser.value(problem).toInt()) - 1);
        });
    window.show();
    window.openFiles(parser.positionalArguments());
    if (parser.isSet(compare))
        window.showCompare();
    if (parser.isSet(capture))
        window.showCaptureDialog(parser.value(capture));
    if (parser.isSet(learn))
        window.showLearn(std::max(1, parser.value(learn).toInt()));
    return QApplication::exec();
}

} // namespace ol
