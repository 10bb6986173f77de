#include "server_database.h"

#include <sqlite3.h>

namespace natter::test {

QByteArray ServerDatabase::lastGroupCiphertext(const QString& chatId) const {
    sqlite3* db = nullptr;
    QByteArray out;
    if (sqlite3_open_v2(m_path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        const char* sql = "SELECT b.content FROM messages m JOIN message_bodies b ON b.message_id = m.id "
                          "WHERE m.chat_id = ? ORDER BY m.seq DESC LIMIT 1";
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK) {
            const QByteArray id = chatId.toUtf8();
            sqlite3_bind_text(stmt, 1, id.constData(), int(id.size()), SQLITE_TRANSIENT);
            if (sqlite3_step(stmt) == SQLITE_ROW)
                out = QByteArray(static_cast<const char*>(sqlite3_column_blob(stmt, 0)), sqlite3_column_bytes(stmt, 0));
            sqlite3_finalize(stmt);
        }
    }
    sqlite3_close(db);
    // natterd may keep the base64 text or the decoded bytes; hand back the bytes.
    auto decoded = QByteArray::fromBase64Encoding(out, QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? *decoded : out;
}

} // namespace natter::test
