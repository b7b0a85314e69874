// SPDX-License-Identifier: GPL-3.0-or-later
// A one-glance banner over the workspace: the selected file's verdict badge and the summary's first sentence.
#pragma once

#include "tracedocument.h"

#include <QFrame>

class QLabel;

namespace ol {

class SummaryBanner : public QFrame
{
    Q_OBJECT
public:
    explicit SummaryBanner(TraceDocument *document, QWidget *parent = nullptr);
    QString badgeText() const;
    QString detailText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    TraceDocument *m_document;
    QLabel *m_badge;
    QLabel *m_detail;
};

} // namespace ol
