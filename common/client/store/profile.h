// Where a profile lives on disk (store.db, media/, rpc.sock, store.lock under
// <data>/natter/profiles/<name>/) and the lock that keeps a second process out of it.
// Everything in a profile is its owner's only: folders 0700, files 0600.
#pragma once

#include "client/core/result.h"

#include <QString>
#include <QStringList>

#include <memory>

class QLockFile;

namespace natter::client::store {

// Makes a file of a profile readable and writable by its owner only (0600); false on failure.
bool restrictToOwner(const QString& path);

class ProfilePaths {
public:
    static QString defaultName() { return QStringLiteral("default"); }
    // [A-Za-z0-9._-]{1,64}, and not "." or "..".
    static bool isValidName(const QString& name);
    // dataRoot empty: QStandardPaths::GenericDataLocation (honours $XDG_DATA_HOME).
    // An empty name means the default profile.
    static Expected<ProfilePaths> forName(const QString& name, const QString& dataRoot = {});
    // The profiles created under dataRoot (those with a store.db), sorted by name.
    static QStringList existingNames(const QString& dataRoot = {});

    QString name() const { return m_name; }
    QString directory() const { return m_dir; }
    QString databasePath() const;  // store.db (SQLCipher)
    QString mediaDirectory() const; // media/ (encrypted attachment blobs)
    QString socketPath() const;     // rpc.sock (path only)
    QString lockPath() const;       // store.lock
    bool exists() const;            // whether store.db was created already
    // Creates the directory and media/ (owner-only permissions).
    Expected<void> create() const;

private:
    ProfilePaths(QString name, QString dir) : m_name(std::move(name)), m_dir(std::move(dir)) {}
    QString m_name;
    QString m_dir;
};

// Held while a profile is open: a second holder (this or another process) is refused with
// ErrorKind::StoreLocked naming the holder's pid; a lock left by a dead process is taken over.
class ProfileLock {
public:
    static Expected<std::unique_ptr<ProfileLock>> acquire(const QString& lockPath);
    ~ProfileLock();
    ProfileLock(const ProfileLock&) = delete;
    ProfileLock& operator=(const ProfileLock&) = delete;

private:
    explicit ProfileLock(std::unique_ptr<QLockFile> lock);
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace natter::client::store
