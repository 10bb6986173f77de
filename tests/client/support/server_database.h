// A look into natterd's SQLite file from a client test (through SQLCipher's sqlite3 API with
// no key, which reads a plain SQLite file): what the server stored, and the one write a test
// needs before natterd has the flow that makes it (revoking a device for a given reason).
#pragma once

#include <QByteArray>
#include <QString>

namespace natter::test {

class ServerDatabase {
public:
    explicit ServerDatabase(const QString& dataDir) : m_path(dataDir + QStringLiteral("/natterd.db")) {}
    // The stored ciphertext of the newest message of a group chat (empty when none).
    QByteArray lastGroupCiphertext(const QString& chatId) const;
    // Marks a device revoked with protocol::RevocationReason `reason` (its stored value), as
    // natterd's store does, while natterd runs: natterd reads it on the next token refresh
    // and WebSocket upgrade. False when nothing was changed.
    bool revokeDevice(quint64 userId, quint32 deviceId, int reason) const;

private:
    QString m_path;
};

} // namespace natter::test
