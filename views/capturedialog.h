// SPDX-License-Identifier: GPL-3.0-or-later
// File → Capture…: pick an interface (its offload features shown), a duration and a filter, start; the
// capture's results show in the main window while it runs (LiveCaptureSession snapshots), Stop ends it.
#pragma once

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ol {

class LiveCaptureSession;
class TraceDocument;

class CaptureDialog : public QDialog
{
    Q_OBJECT

public:
    CaptureDialog(TraceDocument *document, QWidget *parent = nullptr);

    /// Starts with the current settings (also what the Start button does); for tests and scripting.
    void startCapture();
    /// Chooses the interface called name (if listed) and starts.
    void startOn(const QString &name);
    QString statusText() const;

private:
    void showFeatures();
    void setRunning(bool running);

    TraceDocument *m_document;
    LiveCaptureSession *m_session;
    QComboBox *m_interface;
    QLabel *m_features;
    QLabel *m_features2;
    QDoubleSpinBox *m_duration;
    QLineEdit *m_filter;
    QLineEdit *m_write;
    QLabel *m_status;
    QPushButton *m_start;
    QPushButton *m_stop;
};

} // namespace ol
