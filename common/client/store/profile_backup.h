// A whole profile in one file, to bring it to a new machine: the store exported under a
// backup passphrase (SQLCipher's sqlcipher_export) and the media blobs as they are (each is
// already encrypted with a key kept in the store), after a manifest naming every member with
// its size and SHA-256. Restoring checks everything before it creates the profile.
#pragma once

#include "client/core/result.h"
#include "client/store/profile.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace natter::client::store {

class ProfileStore;

struct BackupSummary {
    qint64 bytes = 0;      // size of the backup file
    int mediaFiles = 0;    // media blobs it holds
    int schemaVersion = 0; // the store's schema version when it was taken
};

// The shortest backup passphrase accepted: the file may leave the machine.
inline constexpr int kMinBackupPassphraseLength = 10;

// Writes the backup of an open profile to outFile (replaced only once it is complete).
Expected<BackupSummary> writeProfileBackup(ProfileStore& store, const QString& outFile,
                                           const QByteArray& backupPassphrase);

// Creates the profile at target from a backup. Refuses a profile that exists, a file that is
// damaged, truncated or not a Natter backup, and a wrong passphrase, creating nothing. The
// restored store is keyed with newPassphrase(), asked only once the file checked out.
Expected<BackupSummary> restoreProfileBackup(const QString& file, const QByteArray& backupPassphrase,
                                             const ProfilePaths& target,
                                             const std::function<Expected<QByteArray>()>& newPassphrase);

} // namespace natter::client::store
