// SPDX-License-Identifier: GPL-3.0-or-later
// The sidecar session file next to a capture (<capture>.offloadlens.json): its annotations and the selected
// connection. Read leniently (a damaged file is reported, never fatal) and written atomically; the capture
// itself is never touched.
#pragma once

#include "annotation.h"

#include <QList>
#include <QString>

namespace ol {

struct Session {
    QList<Annotation> annotations;
    qint64 selectedConnection = -1; // connection id, -1 for none
};

class SessionFile
{
public:
    /// "<capture>.offloadlens.json".
    static QString sidecarPath(const QString &capturePath);

    struct LoadResult {
        bool exists = false; // a sidecar was found
        bool damaged = false; // it exists but could not be read; error says why
        Session session;
        QString error;
        int skipped = 0; // annotations dropped because they were malformed (the rest loaded)
    };
    /// Reads the sidecar of a capture. No sidecar is not an error.
    static LoadResult load(const QString &capturePath);

    /// Writes the sidecar atomically (QSaveFile). With keepDamagedAsBackup, an existing sidecar is first renamed
    /// to "<sidecar>.bak" (replacing an older backup). False with a reason on failure.
    static bool save(const QString &capturePath, const Session &session, bool keepDamagedAsBackup, QString *error);

    /// The JSON document of a session (exposed for tests).
    static QByteArray toJson(const QString &capturePath, const Session &session);
};

} // namespace ol
