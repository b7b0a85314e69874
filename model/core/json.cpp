// SPDX-License-Identifier: GPL-3.0-or-later
#include "json.h"

#include <cmath>
#include <cstdio>

namespace ol {

std::string JsonWriter::escape(const std::string &s)
{
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (const unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
    return out;
}

bool JsonWriter::flush()
{
    if (m_sink && !m_out.empty()) {
        if (std::fwrite(m_out.data(), 1, m_out.size(), m_sink) != m_out.size())
            m_failed = true;
        m_out.clear();
    }
    return !m_failed;
}

void JsonWriter::maybeFlush()
{
    if (m_sink && m_out.size() >= (1u << 16))
        flush();
}

void JsonWriter::newline()
{
    m_out += '\n';
    m_out.append(m_first.size() * 2, ' ');
}

void JsonWriter::separate()
{
    maybeFlush();
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back())
            m_out += ',';
        m_first.back() = false;
        newline();
    }
}

void JsonWriter::beginObject()
{
    separate();
    m_out += '{';
    m_first.push_back(true);
}

void JsonWriter::endObject()
{
    const bool empty = m_first.back();
    m_first.pop_back();
    if (!empty)
        newline();
    m_out += '}';
}

void JsonWriter::beginArray()
{
    separate();
    m_out += '[';
    m_first.push_back(true);
}

void JsonWriter::endArray()
{
    const bool empty = m_first.back();
    m_first.pop_back();
    if (!empty)
        newline();
    m_out += ']';
}

JsonWriter &JsonWriter::key(const std::string &k)
{
    separate();
    m_out += escape(k);
    m_out += ": ";
    m_afterKey = true;
    return *this;
}

void JsonWriter::value(const std::string &s)
{
    separate();
    m_out += escape(s);
}

void JsonWriter::value(std::int64_t v)
{
    separate();
    m_out += std::to_string(v);
}

void JsonWriter::value(std::uint64_t v)
{
    separate();
    m_out += std::to_string(v);
}

void JsonWriter::value(double v, int decimals)
{
    separate();
    if (!std::isfinite(v)) {
        m_out += "null";
        return;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    m_out += buf;
}

void JsonWriter::value(bool b)
{
    separate();
    m_out += b ? "true" : "false";
}

void JsonWriter::null()
{
    separate();
    m_out += "null";
}

} // namespace ol
