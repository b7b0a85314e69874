// SPDX-License-Identifier: GPL-3.0-or-later
// The sidecar session file (see sessionfile.h).
#include "sessionfile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace ol {

using namespace Qt::StringLiterals;

namespace {
const QString Format = u"offloadlens-session"_s;
constexpr int Version = 1;
constexpr qint64 MaxSidecarBytes = 16 * 1024 * 1024; // a session is small; refuse to parse anything huge
} // namespace

QString SessionFile::sidecarPath(const QString &capturePath)
{
    return capturePath + u".offloadlens.json"_s;
}

QByteArray SessionFile::toJson(const QString &capturePath, const Session &session)
{
    QJsonArray annotations;
    for (const Annotation &a : session.annotations)
        annotations.append(a.toJson());
    QJsonObject root{{u"format"_s, Format},
                     {u"version"_s, Version},
                     {u"capture"_s, QFileInfo(capturePath).fileName()},
                     {u"annotations"_s, annotations}};
    if (session.selectedConnection >= 0)
        root[u"selected_connection"_s] = double(session.selectedConnection);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

SessionFile::LoadResult SessionFile::load(const QString &capturePath)
{
    LoadResult r;
    const QString path = sidecarPath(capturePath);
    QFile file(path);
    if (!file.exists())
        return r;
    r.exists = true;
    auto damaged = [&r, &path](const QString &why) {
        r.damaged = true;
        r.error = u"%1: %2"_s.arg(QFileInfo(path).fileName(), why);
        return r;
    };
    if (!file.open(QIODevice::ReadOnly))
        return damaged(file.errorString());
    if (file.size() > MaxSidecarBytes)
        return damaged(u"larger than 16 MB, not a session file"_s);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return damaged(u"not valid JSON (%1 at byte %2)"_s.arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return damaged(u"not a session object"_s);
    const QJsonObject root = doc.object();
    if (root.value(u"format"_s).toString() != Format)
        return damaged(u"not an OffloadLens session (\"format\" is missing or different)"_s);
    if (root.value(u"version"_s).toInt() > Version)
        return damaged(u"written by a newer OffloadLens (version %1)"_s.arg(root.value(u"version"_s).toInt()));
    if (!root.value(u"annotations"_s).isArray() && root.contains(u"annotations"_s))
        return damaged(u"\"annotations\" is not a list"_s);
    for (const QJsonValue &v : root.value(u"annotations"_s).toArray()) {
        const auto a = Annotation::fromJson(v.toObject());
        if (a)
            r.session.annotations.append(*a);
        else
            ++r.skipped;
    }
    if (root.value(u"selected_connection"_s).isDouble())
        r.session.selectedConnection = qint64(root.value(u"selected_connection"_s).toDouble());
    if (r.skipped)
        r.error = u"%1: %2 malformed annotation(s) skipped"_s.arg(QFileInfo(path).fileName()).arg(r.skipped);
    return r;
}

bool SessionFile::save(const QString &capturePath, const Session &session, bool keepDamagedAsBackup, QString *error)
{
    const QString path = sidecarPath(capturePath);
    if (keepDamagedAsBackup && QFile::exists(path)) {
        const QString backup = path + u".bak"_s;
        QFile::remove(backup);
        if (!QFile::rename(path, backup)) {
            if (error)
                *error = u"could not keep the damaged %1 as %2"_s.arg(QFileInfo(path).fileName(),
                                                                      QFileInfo(backup).fileName());
            return false;
        }
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"%1: %2"_s.arg(path, file.errorString());
        return false;
    }
    file.write(toJson(capturePath, session));
    if (!file.commit()) {
        if (error)
            *error = u"%1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace ol
