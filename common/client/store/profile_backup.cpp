// The profile backup file: "NATTER-PROFILE-BACKUP 1\n", one line of JSON manifest
// ({"format":1,"schema_version":N,"members":[{"name","size","sha256"}...]}), then each
// member's bytes in manifest order. store.db comes first; media blobs follow as media/NAME.
#include "client/store/profile_backup.h"

#include "client/store/database.h"
#include "client/store/profile_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QTemporaryDir>

#include <optional>
#include <vector>

namespace natter::client::store {

namespace {

constexpr char kMagic[] = "NATTER-PROFILE-BACKUP 1\n";
constexpr int kFormat = 1;
constexpr qint64 kMaxManifestBytes = 16 * 1024 * 1024;
constexpr qsizetype kMaxMembers = 100000;
constexpr qint64 kChunk = 64 * 1024;
const QString kStoreMember = QStringLiteral("store.db");

struct Member {
    QString name; // store.db or media/<path>
    qint64 size = 0;
    QByteArray sha256; // hex
};

ClientError storageError(const QString& message) { return makeClientError(ErrorKind::Storage, message); }
ClientError damaged(const QString& why) {
    return makeClientError(ErrorKind::Corrupted, QStringLiteral("the backup is damaged or not a Natter backup: ") + why);
}

// store.db, or media/ and one or two plain path segments: nothing that leaves the profile.
bool isSafeMemberName(const QString& name) {
    if (name == kStoreMember) return true;
    static const QRegularExpression media(QStringLiteral("^media(/[A-Za-z0-9._-]{1,128}){1,2}$"));
    return media.match(name).hasMatch() && !name.contains(QStringLiteral("/./")) &&
           !name.contains(QStringLiteral("/../")) && !name.endsWith(QStringLiteral("/.")) &&
           !name.endsWith(QStringLiteral("/.."));
}

// Copies exactly `size` bytes from `from` to `to` (nullptr: only reads), returning their SHA-256.
std::optional<QByteArray> copyHashing(QIODevice& from, QIODevice* to, qint64 size) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray chunk;
    for (qint64 left = size; left > 0; left -= chunk.size()) {
        chunk = from.read(std::min(left, kChunk));
        if (chunk.isEmpty()) return std::nullopt;
        hash.addData(chunk);
        if (to && to->write(chunk) != chunk.size()) return std::nullopt;
    }
    return hash.result().toHex();
}

std::optional<QByteArray> hashFile(const QString& path, qint64 size) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
    return copyHashing(file, nullptr, size);
}

// Writes the whole of db, keyed with passphrase, to the new file `to`.
Expected<void> exportStore(Database& db, const QString& to, const QByteArray& passphrase) {
    const int version = db.schemaVersion();
    auto attach = db.prepare("ATTACH DATABASE ?1 AS natter_export KEY ?2");
    if (!attach) return attach.error();
    attach->bind(1, to).bindText(2, std::string_view(passphrase.constData(), size_t(passphrase.size())));
    if (auto r = attach->run(); !r) return r.error();
    auto exported = db.exec("SELECT sqlcipher_export('natter_export'); PRAGMA natter_export.user_version = " +
                            std::to_string(version) + ";");
    auto detached = db.exec("DETACH DATABASE natter_export");
    if (!exported) return exported.error();
    if (!detached) return detached.error();
    if (!restrictToOwner(to)) return storageError(QStringLiteral("cannot make %1 private to its owner").arg(to));
    return {};
}

Expected<std::vector<Member>> listMembers(const QString& storeCopy, const QString& mediaDir) {
    std::vector<Member> members;
    const auto add = [&](const QString& name, const QString& path) -> Expected<void> {
        const qint64 size = QFileInfo(path).size();
        auto sha = hashFile(path, size);
        if (!sha) return storageError(QStringLiteral("cannot read %1").arg(path));
        members.push_back(Member{name, size, *sha});
        return {};
    };
    if (auto r = add(kStoreMember, storeCopy); !r) return r.error();
    const QDir media(mediaDir);
    QDirIterator it(mediaDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString name = QStringLiteral("media/") + media.relativeFilePath(path);
        if (!isSafeMemberName(name)) continue; // not a blob Natter wrote
        if (auto r = add(name, path); !r) return r.error();
    }
    return members;
}

Expected<std::vector<Member>> readManifest(QFile& in, int& schemaVersion) {
    const QByteArray magic = in.read(qint64(sizeof kMagic) - 1);
    if (magic != QByteArray(kMagic)) return damaged(QStringLiteral("it does not start as one"));
    const QByteArray line = in.readLine(kMaxManifestBytes);
    if (!line.endsWith('\n')) return damaged(QStringLiteral("its manifest is cut off"));
    QJsonParseError parseError;
    const QJsonObject manifest = QJsonDocument::fromJson(line, &parseError).object();
    if (parseError.error != QJsonParseError::NoError || manifest.value("format").toInt() != kFormat)
        return damaged(QStringLiteral("its manifest cannot be read"));
    schemaVersion = manifest.value("schema_version").toInt();
    const QJsonArray list = manifest.value("members").toArray();
    if (list.isEmpty() || list.size() > kMaxMembers) return damaged(QStringLiteral("its manifest lists no members"));
    std::vector<Member> members;
    QSet<QString> names;
    qint64 total = in.pos();
    for (const auto& value : list) {
        const QJsonObject o = value.toObject();
        Member m{o.value("name").toString(), qint64(o.value("size").toDouble(-1)), o.value("sha256").toString().toLatin1()};
        if (!isSafeMemberName(m.name) || names.contains(m.name) || m.size < 0 || m.sha256.size() != 64)
            return damaged(QStringLiteral("its manifest has an invalid entry"));
        names.insert(m.name);
        total += m.size;
        members.push_back(std::move(m));
    }
    if (members.front().name != kStoreMember) return damaged(QStringLiteral("it holds no store"));
    if (total != in.size()) return damaged(QStringLiteral("its size does not match its manifest (truncated?)"));
    return members;
}

// Moves the checked, re-keyed staging directory into place as the profile's directory.
Expected<void> putInPlace(QTemporaryDir& staging, const ProfilePaths& target) {
    QDir().rmdir(target.directory()); // an empty directory left by an earlier attempt
    if (!QDir().rename(staging.path(), target.directory()))
        return storageError(QStringLiteral("cannot create the profile at %1").arg(target.directory()));
    staging.setAutoRemove(false);
    QFile::setPermissions(target.directory(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return target.create(); // media/ with owner-only permissions, as a new profile has it
}

} // namespace

Expected<BackupSummary> writeProfileBackup(ProfileStore& store, const QString& outFile,
                                           const QByteArray& backupPassphrase) {
    if (backupPassphrase.size() < kMinBackupPassphraseLength)
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("the backup passphrase needs at least %1 characters")
                                                               .arg(kMinBackupPassphraseLength));
    QTemporaryDir staging(store.directory() + QStringLiteral("/backup-XXXXXX"));
    if (!staging.isValid()) return storageError(QStringLiteral("cannot create a staging directory for the backup"));
    const QString storeCopy = staging.filePath(kStoreMember);
    if (auto r = exportStore(store.database(), storeCopy, backupPassphrase); !r) return r.error();
    auto members = listMembers(storeCopy, store.mediaDirectory());
    if (!members) return members.error();

    QJsonArray list;
    for (const auto& m : *members)
        list.append(QJsonObject{{"name", m.name}, {"size", double(m.size)}, {"sha256", QString::fromLatin1(m.sha256)}});
    const int schemaVersion = store.database().schemaVersion();
    const QByteArray manifest =
        QJsonDocument(QJsonObject{{"format", kFormat}, {"schema_version", schemaVersion}, {"members", list}})
            .toJson(QJsonDocument::Compact);

    QSaveFile out(outFile);
    if (!out.open(QIODevice::WriteOnly))
        return storageError(QStringLiteral("cannot write %1: %2").arg(outFile, out.errorString()));
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    out.write(kMagic, qint64(sizeof kMagic) - 1);
    out.write(manifest + '\n');
    BackupSummary summary{0, int(members->size()) - 1, schemaVersion};
    for (const auto& m : *members) {
        QFile in(m.name == kStoreMember ? storeCopy : store.directory() + '/' + m.name);
        if (!in.open(QIODevice::ReadOnly)) return storageError(QStringLiteral("cannot read %1").arg(in.fileName()));
        const auto sha = copyHashing(in, &out, m.size);
        if (!sha || *sha != m.sha256)
            return storageError(QStringLiteral("%1 changed while the backup was written; try again").arg(m.name));
    }
    if (!out.commit()) return storageError(QStringLiteral("cannot write %1: %2").arg(outFile, out.errorString()));
    summary.bytes = QFileInfo(outFile).size();
    return summary;
}

Expected<BackupSummary> restoreProfileBackup(const QString& file, const QByteArray& backupPassphrase,
                                             const ProfilePaths& target,
                                             const std::function<Expected<QByteArray>()>& newPassphrase) {
    if (target.exists())
        return makeClientError(ErrorKind::InvalidArgument,
                               QStringLiteral("profile '%1' exists already: restore into a new profile name").arg(target.name()));
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return makeClientError(ErrorKind::NotFound, QStringLiteral("cannot read %1: %2").arg(file, in.errorString()));
    BackupSummary summary{in.size(), 0, 0};
    auto members = readManifest(in, summary.schemaVersion);
    if (!members) return members.error();

    const QString parent = QFileInfo(target.directory()).absolutePath();
    if (!QDir().mkpath(parent)) return storageError(QStringLiteral("cannot create %1").arg(parent));
    QTemporaryDir staging(parent + QStringLiteral("/.restore-XXXXXX"));
    if (!staging.isValid()) return storageError(QStringLiteral("cannot create a staging directory in %1").arg(parent));
    for (const auto& m : *members) {
        const QString path = staging.filePath(m.name);
        if (!QDir().mkpath(QFileInfo(path).absolutePath())) return storageError(QStringLiteral("cannot create %1").arg(path));
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly)) return storageError(QStringLiteral("cannot write %1").arg(path));
        const auto sha = copyHashing(in, &out, m.size);
        if (!sha) return damaged(QStringLiteral("%1 is cut off").arg(m.name));
        if (*sha != m.sha256) return damaged(QStringLiteral("%1 fails its checksum").arg(m.name));
        if (!restrictToOwner(path)) return storageError(QStringLiteral("cannot make %1 private").arg(path));
        summary.mediaFiles += m.name == kStoreMember ? 0 : 1;
    }

    {
        auto db = Database::open(staging.filePath(kStoreMember), backupPassphrase);
        if (!db && db.error().kind == ErrorKind::WrongPassphrase)
            return makeClientError(ErrorKind::WrongPassphrase, QStringLiteral("wrong backup passphrase"));
        if (!db) return db.error();
        auto passphrase = newPassphrase();
        if (!passphrase) return passphrase.error();
        if (auto r = exportStore(**db, staging.filePath(QStringLiteral("restored.db")), *passphrase); !r) return r.error();
    }
    for (const char* suffix : {"", "-wal", "-shm"}) QFile::remove(staging.filePath(kStoreMember + QLatin1String(suffix)));
    if (!QFile::rename(staging.filePath(QStringLiteral("restored.db")), staging.filePath(kStoreMember)))
        return storageError(QStringLiteral("cannot put the restored store in place"));
    if (auto r = putInPlace(staging, target); !r) return r.error();
    return summary;
}

} // namespace natter::client::store
