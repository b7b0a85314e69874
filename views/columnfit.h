// SPDX-License-Identifier: GPL-3.0-or-later
// Table columns sized to their contents within limits: wide enough for the header and the values, never so
// wide that one long value (a file name, an address) pushes the other columns out of a narrow dock.
#pragma once

#include <QFontMetrics>
#include <QHeaderView>
#include <QTreeView>

#include <algorithm>

namespace ol {

/// Sizes the columns before `stretchColumn` to their contents, each at most `maxChars` average characters wide
/// (the cut text is elided; the model's tooltip shows it whole). The last column takes what is left.
inline void fitColumns(QTreeView *view, int stretchColumn, int maxChars = 28)
{
    const int limit = view->fontMetrics().averageCharWidth() * maxChars;
    for (int c = 0; c < stretchColumn; ++c) {
        if (view->isColumnHidden(c))
            continue;
        view->resizeColumnToContents(c);
        if (view->header()->sectionSize(c) > limit)
            view->header()->resizeSection(c, limit);
    }
}

} // namespace ol
