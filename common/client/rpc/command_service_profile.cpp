// The profile as a whole: `backup` writes it to one file for a new machine (profile_backup.h);
// `export` writes chats as readable HTML or JSON with their files decrypted (archive_writer.h).
#include "client/rpc/command_service.h"

#include "client/rpc/archive_writer.h"
#include "client/rpc/json_views.h"
#include "client/store/chat_store.h"
#include "client/store/message_store.h"
#include "client/store/profile.h"
#include "client/store/profile_backup.h"
#include "client/store/profile_store.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <memory>
#include <vector>

namespace natter::client::rpc {

constexpr int kExportPage = 1000;

// One export under way: the chats with their messages, and the files still to decrypt.
struct ExportJob {
    struct Chat {
        QJsonObject chat;
        QJsonArray messages;
    };
    struct File {
        std::size_t chat = 0;
        qsizetype message = 0;
        qint64 localId = 0;
        QString relativePath; // files/<id>-<name>
    };
    QString dir;
    ArchiveWriter writer;
    std::vector<Chat> chats;
    std::vector<File> files;
    std::size_t next = 0;
    int missing = 0;
};

namespace {

QString fileNameFor(qint64 localId, const QString& original) {
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._ -]"));
    QString name = QFileInfo(original).fileName();
    name.replace(unsafe, QStringLiteral("_"));
    if (name.isEmpty() || name.startsWith('.')) name = QStringLiteral("attachment") + name;
    return QStringLiteral("files/%1-%2").arg(localId).arg(name);
}

void setFileField(QJsonArray& messages, qsizetype index, const QString& key, const QString& value) {
    QJsonObject m = messages.at(index).toObject();
    QJsonObject file = m.value("file").toObject();
    file.insert(key, value);
    m.insert("file", file);
    messages.replace(index, m);
}

} // namespace

void CommandService::registerProfile() {
    add("backup", [this](const QJsonObject& p, Done done) {
        auto out = stringParam(p, "out");
        if (!out) return done(out.error());
        auto passphrase = stringParam(p, "passphrase");
        if (!passphrase) return done(passphrase.error());
        const QString path = QFileInfo(*out).absoluteFilePath();
        auto written = store::writeProfileBackup(m_client.store(), path, passphrase->toUtf8());
        if (!written) return done(written.error());
        done(QJsonValue(QJsonObject{{"path", path},
                                    {"bytes", double(written->bytes)},
                                    {"media_files", written->mediaFiles},
                                    {"schema_version", written->schemaVersion}}));
    });
    add("export", [this](const QJsonObject& p, Done done) { exportChats(p, std::move(done)); });
}

void CommandService::exportChats(const QJsonObject& p, Done done) {
    auto out = stringParam(p, "out");
    if (!out) return done(out.error());
    const auto format = ArchiveWriter::parseFormat(p.value("format").toString(QStringLiteral("html")));
    if (!format) return done(paramError("format", QStringLiteral("params.format must be html or json")));
    const QString dir = QFileInfo(*out).absoluteFilePath();
    if (QFileInfo::exists(dir) && !(QFileInfo(dir).isDir() && QDir(dir).isEmpty()))
        return done(paramError("out", QStringLiteral("%1 exists and is not an empty folder").arg(dir)));
    auto all = m_client.store().chats().list(true);
    if (!all) return done(all.error());
    std::vector<ChatRecord> chats = std::move(*all);
    if (const QString only = p.value("chat").toString(); !only.isEmpty()) {
        auto id = m_client.resolveChat(only);
        if (!id) return done(id.error());
        std::erase_if(chats, [&](const ChatRecord& c) { return c.chatId != *id; });
    }
    if (!QDir().mkpath(dir + QStringLiteral("/files")) || !store::restrictToOwner(dir))
        return done(makeClientError(ErrorKind::Storage, QStringLiteral("cannot create %1").arg(dir)));

    const QString owner = m_client.account().displayName.isEmpty() ? m_client.account().phone : m_client.account().displayName;
    auto job = std::make_shared<ExportJob>(ExportJob{dir, ArchiveWriter(dir, *format, owner), {}, {}, 0, 0});
    for (const auto& chat : chats) {
        std::vector<MessageRecord> messages;
        for (qint64 before = 0;;) {
            auto page = m_client.store().messages().page(chat.chatId, kExportPage, before);
            if (!page) return done(page.error());
            messages.insert(messages.begin(), page->begin(), page->end());
            if (int(page->size()) < kExportPage) break;
            before = page->front().localId;
        }
        ExportJob::Chat entry{toJson(chat), {}};
        for (const auto& m : messages) {
            if (m.media && !m.deleted())
                job->files.push_back({job->chats.size(), entry.messages.size(), m.localId, fileNameFor(m.localId, m.media->fileName)});
            entry.messages.append(messageJson(m));
        }
        job->chats.push_back(std::move(entry));
    }
    saveNextExportFile(job, std::move(done));
}

void CommandService::saveNextExportFile(const std::shared_ptr<ExportJob>& job, Done done) {
    if (job->next < job->files.size()) {
        const ExportJob::File file = job->files[job->next++];
        m_client.saveAttachment(file.localId, job->dir + '/' + file.relativePath, {},
                                [this, job, file, done](Expected<QString> saved) mutable {
                                    QJsonArray& messages = job->chats[file.chat].messages;
                                    if (saved) {
                                        setFileField(messages, file.message, "path", file.relativePath);
                                    } else {
                                        setFileField(messages, file.message, "error", saved.error().message);
                                        ++job->missing;
                                    }
                                    saveNextExportFile(job, std::move(done));
                                });
        return;
    }
    qint64 messages = 0;
    for (const auto& chat : job->chats) {
        if (auto r = job->writer.writeChat(chat.chat, chat.messages); !r) return done(r.error());
        messages += chat.messages.size();
    }
    if (auto r = job->writer.finish(QDateTime::currentMSecsSinceEpoch()); !r) return done(r.error());
    done(QJsonValue(QJsonObject{{"out", job->dir},
                                {"chats", qint64(job->chats.size())},
                                {"messages", messages},
                                {"files", qint64(job->files.size()) - job->missing},
                                {"missing_files", job->missing}}));
}

} // namespace natter::client::rpc
