// Read-only look into natterd's SQLite file from a client test (through SQLCipher's
// sqlite3 API with no key, which reads a plain SQLite file): what the server stored.
#pragma once

#include <QByteArray>
#include <QString>

namespace natter::test {

class ServerDatabase {
public:
    explicit ServerDatabase(const QString& dataDir) : m_path(dataDir + QStringLiteral("/natterd.db")) {}
    // The stored ciphertext of the newest message of a group chat (empty when none).
    QByteArray lastGroupCiphertext(const QString& chatId) const;

private:
    QString m_path;
};

} // namespace natter::test
