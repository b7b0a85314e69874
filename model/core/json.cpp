// SPDX-License-Identifier: GPL-3.0-or-later
#include "json.h"

#include <cmath>
#include <cstdio>

namespace ol {

namespace {

/// Length of the valid UTF-8 sequence starting at s[i], or 0 when the byte there does not start one
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8SequenceLength(const std::string &s, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80)
        return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; // overlong
        else if (c == 0xED)
            hi = 0x9F; // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; // overlong
        else if (c == 0xF4)
            hi = 0x8F; // above U+10FFFF
    } else
        return 0;
    if (i + n > s.size())
        return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi)
        return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    return n;
}

} // namespace

bool JsonWriter::isValidUtf8(const std::string &s)
{
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8SequenceLength(s, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

std::string JsonWriter::escape(const std::string &s)
{
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const std::size_t n = utf8SequenceLength(s, i);
            if (n == 0) {
                out += "\\ufffd"; // one replacement character per invalid byte
            } else {
                out.append(s, i, n);
                i += n - 1;
            }
            continue;
        }
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

void JsonWriter::secondsFromNanos(std::int64_t ns)
{
    separate();
    // Sign and magnitude separately, so that times before 1970 print as -0.5, not as -1 + 0.5.
    const bool negative = ns < 0;
    const std::uint64_t mag = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(ns) : std::uint64_t(ns);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s%llu.%09llu", negative ? "-" : "",
                  static_cast<unsigned long long>(mag / 1000000000u),
                  static_cast<unsigned long long>(mag % 1000000000u));
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
