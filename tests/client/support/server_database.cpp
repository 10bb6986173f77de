#include "server_database.h"

#include <sqlite3.h>

namespace natter::test {

int ServerDatabase::messagesSentBy(quint64 sender, const QString& chatId) const {
    sqlite3* db = nullptr;
    int count = -1;
    if (sqlite3_open_v2(m_path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM messages WHERE sender_id = ? AND chat_id = ?", -1, &stmt,
                               nullptr) == SQLITE_OK) {
            const QByteArray id = chatId.toUtf8();
            sqlite3_bind_int64(stmt, 1, sqlite3_int64(sender));
            sqlite3_bind_text(stmt, 2, id.constData(), int(id.size()), SQLITE_TRANSIENT);
            if (sqlite3_step(stmt) == SQLITE_ROW) count = sqlite3_column_int(stmt, 0);
            sqlite3_finalize(stmt);
        }
    }
    sqlite3_close(db);
    return count;
}

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

QStringList ServerDatabase::valuesContaining(const QByteArray& needle) const {
    sqlite3* db = nullptr;
    QStringList found;
    if (sqlite3_open_v2(m_path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return {QStringLiteral("cannot open ") + m_path};
    }
    const auto column = [](sqlite3_stmt* stmt, int i) {
        return QByteArray(static_cast<const char*>(sqlite3_column_blob(stmt, i)), sqlite3_column_bytes(stmt, i));
    };
    QStringList tables;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &stmt, nullptr) == SQLITE_OK)
        while (sqlite3_step(stmt) == SQLITE_ROW) tables << QString::fromUtf8(column(stmt, 0));
    sqlite3_finalize(stmt);
    for (const QString& table : tables) {
        QStringList names;
        if (sqlite3_prepare_v2(db, ("PRAGMA table_info(\"" + table + "\")").toUtf8().constData(), -1, &stmt, nullptr) == SQLITE_OK)
            while (sqlite3_step(stmt) == SQLITE_ROW) names << QString::fromUtf8(column(stmt, 1));
        sqlite3_finalize(stmt);
        for (const QString& name : names) {
            const QString sql = "SELECT CAST(\"" + name + "\" AS BLOB) FROM \"" + table + "\"";
            if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &stmt, nullptr) != SQLITE_OK) {
                found << QStringLiteral("cannot read ") + table + "." + name;
                continue;
            }
            bool hit = false;
            while (!hit && sqlite3_step(stmt) == SQLITE_ROW) hit = column(stmt, 0).toLower().contains(needle.toLower());
            sqlite3_finalize(stmt);
            if (hit) found << table + "." + name;
        }
    }
    sqlite3_close(db);
    return found;
}

} // namespace natter::test
