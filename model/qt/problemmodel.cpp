// SPDX-License-Identifier: GPL-3.0-or-later
// The problems item model (see problemmodel.h).
#include "problemmodel.h"

namespace ol {

using namespace Qt::StringLiterals;

ProblemModel::ProblemModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ProblemModel::setProblems(std::vector<Problem> problems, TimeNs origin, const QString &emptyText)
{
    beginResetModel();
    m_problems = std::move(problems);
    m_origin = origin;
    m_emptyText = emptyText;
    endResetModel();
}

const Problem *ProblemModel::problem(int row) const
{
    return row >= 0 && row < int(m_problems.size()) ? &m_problems[std::size_t(row)] : nullptr;
}

int ProblemModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_problems.size());
}

int ProblemModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemModel::data(const QModelIndex &index, int role) const
{
    const Problem *p = problem(index.row());
    if (!p)
        return {};
    const double first = double(p->firstTime - m_origin) / 1e9, last = double(p->lastTime - m_origin) / 1e9;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return QString::fromLatin1(severityName(p->severity));
        case KindColumn:
            return QString::fromStdString(p->kind);
        case ConnectionColumn:
            return p->connection >= 0 ? QVariant(u"#%1"_s.arg(p->connection)) : QVariant();
        case TimeColumn:
            return u"%1–%2 s"_s.arg(first, 0, 'f', 3).arg(last, 0, 'f', 3);
        case TextColumn:
            return QString::fromStdString(p->text);
        }
        return {};
    case Qt::ToolTipRole:
        return QString::fromStdString(p->text);
    case ConnectionIdRole:
        return qint64(p->connection);
    case DirectionRole:
        return p->direction;
    case FirstTimeRole:
        return qint64(p->firstTime);
    case LastTimeRole:
        return qint64(p->lastTime);
    case FramesRole: {
        QVariantList frames;
        for (const std::uint32_t f : p->frames)
            frames.append(uint(f));
        return frames;
    }
    case DetailRole: {
        QString frames;
        for (const std::uint32_t f : p->frames)
            frames += (frames.isEmpty() ? u""_s : u", "_s) + QString::number(f);
        QString html = u"<p><b>%1</b> (%2)"_s.arg(QString::fromStdString(p->kind).toHtmlEscaped(),
                                                  QString::fromLatin1(severityName(p->severity)));
        if (!p->from.empty())
            html += u" — %1 → %2"_s.arg(QString::fromStdString(p->from).toHtmlEscaped(),
                                        QString::fromStdString(p->to).toHtmlEscaped());
        html += u"</p><p>%1</p><p><b>What to do:</b> %2</p>"_s.arg(QString::fromStdString(p->text).toHtmlEscaped(),
                                                                   QString::fromStdString(p->fix).toHtmlEscaped());
        if (!frames.isEmpty())
            html += u"<p>Frames: %1</p>"_s.arg(frames);
        return html;
    }
    case SortRole:
        switch (index.column()) {
        case SeverityColumn:
            return int(p->severity);
        case ConnectionColumn:
            return qint64(p->connection);
        case TimeColumn:
            return first;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant ProblemModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return u"Severity"_s;
    case KindColumn:
        return u"Problem"_s;
    case ConnectionColumn:
        return u"Conn."_s;
    case TimeColumn:
        return u"Time"_s;
    case TextColumn:
        return u"What"_s;
    }
    return {};
}

} // namespace ol
