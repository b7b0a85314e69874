// SPDX-License-Identifier: GPL-3.0-or-later
// The status-bar strip shown while captures load: file name, bytes and packets read, a progress bar and Cancel.
#pragma once

#include "tracedocument.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ol {

class LoadProgressWidget : public QWidget
{
    Q_OBJECT
public:
    explicit LoadProgressWidget(TraceDocument *document, QWidget *parent = nullptr);
    QString statusText() const;

private:
    TraceDocument *m_document;
    QLabel *m_label;
    QProgressBar *m_bar;
    QPushButton *m_cancel;
    QString m_file;
    int m_remaining = 0;
};

} // namespace ol
