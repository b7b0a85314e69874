// SPDX-License-Identifier: GPL-3.0-or-later
// Problems in the JSON report (files[].problems[], alignment.pairs[].problems[]) and in the text report.
#include "json.h"
#include "problemsdetail.h"

namespace ol {
namespace {

std::string wrapText(const std::string &text, std::size_t width, const std::string &first, const std::string &indent)
{
    std::string out, line = first;
    std::size_t i = 0;
    bool empty = true;
    while (i < text.size()) {
        std::size_t j = text.find(' ', i);
        if (j == std::string::npos)
            j = text.size();
        const std::string word = text.substr(i, j - i);
        if (!empty && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line = indent;
            empty = true;
        }
        line += (empty ? "" : " ") + word;
        empty = false;
        i = j + 1;
    }
    if (!empty)
        out += line + "\n";
    return out;
}

std::string problemLines(const Problem &p, TimeNs origin)
{
    std::string head = std::string(severityName(p.severity)) + " " + p.kind;
    if (p.connection >= 0)
        head += ", connection " + std::to_string(p.connection);
    if (!p.from.empty())
        head += ", " + p.from + " -> " + p.to;
    head += ", " + formatSeconds(p.firstTime - origin, 3) + "-" + formatSeconds(p.lastTime - origin, 3) + " s";
    if (!p.frames.empty()) {
        head += ", frames";
        for (std::size_t i = 0; i < p.frames.size(); ++i)
            head += (i ? ", " : " ") + std::to_string(p.frames[i]);
    }
    std::string out = wrapText(head, 96, "  - ", "    ");
    out += wrapText(p.text, 96, "    ", "    ");
    out += wrapText("Fix: " + p.fix, 96, "    ", "    ");
    return out;
}

} // namespace

void writeProblemsJson(JsonWriter &w, const std::vector<Problem> &problems, TimeNs origin)
{
    w.beginArray();
    for (const Problem &p : problems) {
        w.beginObject();
        w.key("kind").value(p.kind);
        w.key("severity").value(severityName(p.severity));
        w.key("connection");
        if (p.connection >= 0)
            w.value(p.connection);
        else
            w.null();
        w.key("direction");
        if (p.direction >= 0) {
            w.beginObject();
            w.key("from").value(p.from);
            w.key("to").value(p.to);
            w.endObject();
        } else {
            w.null();
        }
        w.key("first_time_s").value(double(p.firstTime - origin) / 1e9, 6);
        w.key("last_time_s").value(double(p.lastTime - origin) / 1e9, 6);
        w.key("frames").beginArray();
        for (const std::uint32_t f : p.frames)
            w.value(unsigned(f));
        w.endArray();
        w.key("text").value(p.text);
        w.key("fix").value(p.fix);
        w.endObject();
    }
    w.endArray();
}

std::string problemsText(const ProblemReport &report, TimeNs origin)
{
    std::string out = "  Problems:\n";
    if (report.problems.empty()) {
        std::string checked;
        for (std::size_t i = 0; i < report.checked.size(); ++i)
            checked += (i ? ", " : "") + report.checked[i];
        out += wrapText("No problems found: checked " + checked + ".", 96, "    ", "    ");
    }
    for (const Problem &p : report.problems)
        out += problemLines(p, origin);
    if (!report.settings.empty())
        out += wrapText(report.settings, 96, "    ", "    ");
    return out;
}

std::string pairProblemsText(const std::vector<Problem> &problems, TimeNs origin)
{
    std::string out;
    for (const Problem &p : problems)
        out += problemLines(p, origin);
    return out;
}

} // namespace ol
