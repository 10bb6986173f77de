// ProfilePaths (name validation, the profile's files) and ProfileLock (QLockFile, no wait).
#include "client/store/profile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QRegularExpression>
#include <QStandardPaths>

namespace natter::client::store {

bool restrictToOwner(const QString& path) {
    return QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
}

bool ProfilePaths::isValidName(const QString& name) {
    static const QRegularExpression pattern(QStringLiteral("\\A[A-Za-z0-9._-]{1,64}\\z"));
    return name != QLatin1String(".") && name != QLatin1String("..") && pattern.match(name).hasMatch();
}

Expected<ProfilePaths> ProfilePaths::forName(const QString& name, const QString& dataRoot) {
    const QString profile = name.isEmpty() ? defaultName() : name;
    if (!isValidName(profile))
        return makeClientError(ErrorKind::InvalidArgument,
                               QStringLiteral("invalid profile name (use 1-64 of A-Z a-z 0-9 . _ -)"));
    QString root = dataRoot.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) : dataRoot;
    if (root.isEmpty())
        return makeClientError(ErrorKind::Storage, QStringLiteral("no writable data directory for profiles"));
    root = QDir(root).absolutePath();
    return ProfilePaths(profile, QDir::cleanPath(root + QStringLiteral("/natter/profiles/") + profile));
}

QStringList ProfilePaths::existingNames(const QString& dataRoot) {
    auto any = forName(defaultName(), dataRoot);
    if (!any) return {};
    QStringList names;
    const QDir profiles = QFileInfo(any->directory()).dir();
    for (const QString& name : profiles.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (auto paths = forName(name, dataRoot); paths && paths->exists()) names << name;
    return names;
}

QString ProfilePaths::databasePath() const { return m_dir + QStringLiteral("/store.db"); }
QString ProfilePaths::mediaDirectory() const { return m_dir + QStringLiteral("/media"); }
QString ProfilePaths::socketPath() const { return m_dir + QStringLiteral("/rpc.sock"); }
QString ProfilePaths::lockPath() const { return m_dir + QStringLiteral("/store.lock"); }
bool ProfilePaths::exists() const { return QFileInfo::exists(databasePath()); }

Expected<void> ProfilePaths::create() const {
    const auto ownerOnly = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
    for (const QString& dir : {m_dir, mediaDirectory()}) {
        if (!QDir().mkpath(dir))
            return makeClientError(ErrorKind::Storage, QStringLiteral("cannot create %1").arg(dir));
        QFile::setPermissions(dir, ownerOnly);
    }
    return {};
}

ProfileLock::ProfileLock(std::unique_ptr<QLockFile> lock) : m_lock(std::move(lock)) {}

ProfileLock::~ProfileLock() { m_lock->unlock(); }

Expected<std::unique_ptr<ProfileLock>> ProfileLock::acquire(const QString& lockPath) {
    auto lock = std::make_unique<QLockFile>(lockPath);
    // Only a dead holder makes a lock stale, never its age: a profile may stay open for days.
    lock->setStaleLockTime(0);
    if (lock->tryLock(0)) {
        restrictToOwner(lockPath); // QLockFile creates it with the umask's permissions
        return std::unique_ptr<ProfileLock>(new ProfileLock(std::move(lock)));
    }
    if (lock->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString app;
        if (lock->getLockInfo(&pid, &host, &app))
            return makeClientError(ErrorKind::StoreLocked,
                                   QStringLiteral("the profile is in use by process %1%2")
                                       .arg(pid)
                                       .arg(host.isEmpty() ? QString() : QStringLiteral(" on %1").arg(host)));
        return makeClientError(ErrorKind::StoreLocked, QStringLiteral("the profile is in use by another process"));
    }
    return makeClientError(ErrorKind::Storage, QStringLiteral("cannot create the profile lock %1").arg(lockPath));
}

} // namespace natter::client::store
