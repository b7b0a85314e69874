// SPDX-License-Identifier: GPL-3.0-or-later
// The explanation panel: the file's verdict in plain language, where it was captured and why, the selected
// connection's directions with their evidence, and the selected segment explained.
#pragma once

#include "tracedocument.h"

#include <QWidget>

class QTextBrowser;
class QTableView;
class QSortFilterProxyModel;

namespace ol {

class EvidenceModel;

class EvidencePanel : public QWidget
{
    Q_OBJECT
public:
    explicit EvidencePanel(TraceDocument *document, QWidget *parent = nullptr);

    /// The text shown, as plain text (for tests and copy).
    QString plainText() const;
    /// The explanation of the selected segment, empty when none is selected.
    QString segmentText() const { return m_segmentText; }
    EvidenceModel *evidenceModel() const { return m_model; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void scheduleRowResize();
    void fitScopeColumn();
    QString segmentHtml() const;

    TraceDocument *m_document;
    QTextBrowser *m_text;
    QTableView *m_table;
    EvidenceModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QString m_segmentText;
};

} // namespace ol
