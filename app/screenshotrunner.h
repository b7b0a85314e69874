// SPDX-License-Identifier: GPL-3.0-or-later
// The hidden --screenshot mode: wait for the files to load, pick the first connection with oversized
// segments and its first oversized segment, let the charts settle, save window->grab() as PNG and quit.
// With whileLoading, the picture is of the first results shown while a large file still loads.
// Used for the README picture and to look at the GUI on a machine without a display.
#pragma once

#include <QObject>
#include <QString>

namespace ol {

class MainWindow;

class ScreenshotRunner : public QObject
{
    Q_OBJECT
public:
    ScreenshotRunner(MainWindow *window, const QString &outputPath, bool whileLoading = false,
                     QObject *parent = nullptr);

private:
    void prepare();
    void capture();

    MainWindow *m_window;
    QString m_output;
    bool m_prepared = false;
};

} // namespace ol
