// Writes an export of chats for people (HTML pages that look like the chat, opened in any
// browser) or for scripts (JSON), from the JSON shapes of json_views.h: one file per chat under
// chats/ and an index. The files are plaintext on purpose: the user asked to take them out.
#pragma once

#include "client/core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace natter::client::rpc {

class ArchiveWriter {
public:
    enum class Format { json, html };
    static std::optional<Format> parseFormat(const QString& name);

    // dir must exist; ownerName is how "You" is shown in the index.
    ArchiveWriter(QString dir, Format format, QString ownerName);

    // One chat (json_views' chat shape) with its messages, oldest first (message shape; a file
    // saved into the export carries "path", relative to the export's folder).
    Expected<void> writeChat(const QJsonObject& chat, const QJsonArray& messages);
    // The index of the chats written so far (index.html or index.json).
    Expected<void> finish(qint64 exportedAtMs);

private:
    QString chatFile(const QJsonObject& chat) const;
    Expected<void> write(const QString& relativePath, const QByteArray& bytes) const;

    QString m_dir;
    Format m_format;
    QString m_owner;
    QJsonArray m_index;
};

} // namespace natter::client::rpc
