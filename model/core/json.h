// SPDX-License-Identifier: GPL-3.0-or-later
// A small streaming JSON writer for the report (the core does not depend on Qt).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace ol {

class JsonWriter
{
public:
    /// Without a sink the document accumulates in str(); with one it is written out as it grows, so that a
    /// report of 100,000 connections does not have to fit in memory at once.
    explicit JsonWriter(std::FILE *sink = nullptr)
        : m_sink(sink)
    { }
    /// Writes what is buffered to the sink; false if writing failed.
    bool flush();
    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    /// Writes an object key; the next call writes its value.
    JsonWriter &key(const std::string &k);
    void value(const std::string &s);
    void value(const char *s) { value(std::string(s)); }
    void value(std::int64_t v);
    void value(std::uint64_t v);
    void value(int v) { value(static_cast<std::int64_t>(v)); }
    void value(unsigned v) { value(static_cast<std::uint64_t>(v)); }
    void value(double v, int decimals);
    /// A time in integer nanoseconds written as seconds with exactly nine decimals (no rounding through a
    /// double: 1,700,000,000.123456789 s keeps every digit).
    void secondsFromNanos(std::int64_t ns);
    void value(bool b);
    void null();

    const std::string &str() const { return m_out; }

    /// The string as a JSON string literal. JSON text is UTF-8: a byte that is not part of a valid UTF-8
    /// sequence (a Latin-1 file name, say) is written as U+FFFD, so the document always parses.
    static std::string escape(const std::string &s);
    /// True when s is valid UTF-8 (escape() then keeps every character).
    static bool isValidUtf8(const std::string &s);

private:
    void separate();
    void newline();
    void maybeFlush();
    std::FILE *m_sink = nullptr;
    bool m_failed = false;
    std::string m_out;
    std::vector<bool> m_first; // per open container: nothing written yet
    bool m_afterKey = false;
};

} // namespace ol
