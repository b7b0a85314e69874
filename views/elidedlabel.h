// SPDX-License-Identifier: GPL-3.0-or-later
// A one-line label that gives way: narrower than its text it draws the text elided at the end (the whole text in
// its tooltip) instead of holding its row, and the window around it, at the text's full width.
#pragma once

#include <QLabel>
#include <QPainter>
#include <QStyle>

namespace ol {

class ElidedLabel : public QLabel
{
public:
    using QLabel::QLabel;

    /// Sets the text and the tooltip that shows it whole when it is cut.
    void setTitle(const QString &text)
    {
        setText(text);
        setToolTip(text);
    }
    QSize minimumSizeHint() const override
    {
        const QSize hint = QLabel::minimumSizeHint();
        return {fontMetrics().horizontalAdvance(QStringLiteral("Connection…")), hint.height()};
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        const QRect r = contentsRect();
        const QString shown = fontMetrics().elidedText(text(), Qt::ElideRight, r.width());
        style()->drawItemText(&painter, r, int(alignment()), palette(), isEnabled(), shown, foregroundRole());
    }
};

} // namespace ol
