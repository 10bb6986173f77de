// Read-only look into natterd's SQLite file from a client test (through SQLCipher's
// sqlite3 API with no key, which reads a plain SQLite file): what the server stored.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace natter::test {

class ServerDatabase {
public:
    explicit ServerDatabase(const QString& dataDir) : m_path(dataDir + QStringLiteral("/natterd.db")) {}
    // How many messages user `sender` sent in chat `chatId` (control content included).
    int messagesSentBy(quint64 sender, const QString& chatId) const;
    // The stored ciphertext of the newest message of a group chat (empty when none).
    QByteArray lastGroupCiphertext(const QString& chatId) const;
    // Each table.column with a value holding `needle` (case-insensitive), for "natterd learned
    // nothing more" checks.
    QStringList valuesContaining(const QByteArray& needle) const;

private:
    QString m_path;
};

} // namespace natter::test
