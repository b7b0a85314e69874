// SPDX-License-Identifier: GPL-3.0-or-later
// The one check every suite makes before it runs an external tool (tshark, capinfos, gzip, python3,
// pdftotext, ...): the tests that compare us with the world are what CI is for, so under CI a missing tool
// fails the test; on a user's machine the test is skipped with a message naming the tool and its Debian
// package. Needs QtCore and QtTest only (no fixture paths), so core and GUI suites both include it.
#pragma once

#include <QAnyStringView>
#include <QByteArray>
#include <QStandardPaths>
#include <QString>
#include <QTest>

namespace toolcheck {

/// True when running under CI (CI=true, as GitHub Actions, GitLab and our .ci/run set it; any value but
/// empty, 0 and false counts).
inline bool inCi()
{
    const QByteArray ci = qgetenv("CI").toLower();
    return !ci.isEmpty() && ci != "0" && ci != "false";
}

/// The path of an external tool, or empty when it is not on PATH.
inline QString toolPath(QAnyStringView name)
{
    return QStandardPaths::findExecutable(name.toString());
}

/// What the test says when the tool is missing: the same words in the failure and in the skip.
inline QByteArray missingMessage(QAnyStringView name, QAnyStringView package, bool ci)
{
    const QString text = ci ? QStringLiteral("%1 is not installed, and CI requires it (apt-get install %2)")
                            : QStringLiteral("%1 is not installed: skipped on this machine (apt-get install %2)");
    return text.arg(name.toString(), package.toString()).toUtf8();
}

} // namespace toolcheck

/// Puts the path of the external tool NAME (a string literal or a QString) into a new QString VAR; when it
/// is missing, fails the test under CI and skips it elsewhere, naming the tool and the Debian PACKAGE that
/// has it. Use it at the top of a test function (or of initTestCase, for a suite that needs the tool
/// throughout).
#define OL_REQUIRE_TOOL(var, name, package)                                                                            \
    const QString var = toolcheck::toolPath(name);                                                                     \
    do {                                                                                                               \
        if (var.isEmpty()) {                                                                                           \
            const bool olCi_ = toolcheck::inCi();                                                                      \
            const QByteArray olMessage_ = toolcheck::missingMessage(name, package, olCi_);                             \
            if (olCi_)                                                                                                 \
                QFAIL(olMessage_.constData());                                                                         \
            QSKIP(olMessage_.constData());                                                                             \
        }                                                                                                              \
    } while (false)
