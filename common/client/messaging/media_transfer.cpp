#include "client/messaging/media_transfer.h"

#include "client/crypto/media_cipher.h"
#include "client/net/api_client.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"
#include "client/messaging/inbox.h"
#include "protocol/identifiers.h"
#include "protocol/rest.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QLoggingCategory>
#include <QMimeDatabase>
#include <QSaveFile>
#include <QUuid>

Q_LOGGING_CATEGORY(lcMedia, "natter.media")

namespace natter::client {

namespace {

ClientError fileError(const QString& what, const QFileDevice& file) {
    return makeClientError(ErrorKind::Storage, QStringLiteral("%1: %2").arg(what, file.errorString()));
}

} // namespace

MediaTransfer::MediaTransfer(store::ProfileStore& store, net::ApiClient& api, Outbox& outbox, QString mediaDir,
                             QObject* parent)
    : QObject(parent), m_store(store), m_api(api), m_outbox(outbox), m_mediaDir(std::move(mediaDir)) {
    QDir().mkpath(m_mediaDir);
}

QByteArray MediaTransfer::thumbnailOf(const QString& path, const QString& mime) {
    if (!mime.startsWith(QLatin1String("image/"))) return {};
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid()) reader.setScaledSize(size.scaled(kThumbnailEdge, kThumbnailEdge, Qt::KeepAspectRatio));
    const QImage image = reader.read();
    if (image.isNull()) return {};
    const QImage small = image.width() > kThumbnailEdge || image.height() > kThumbnailEdge
                             ? image.scaled(kThumbnailEdge, kThumbnailEdge, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                             : image;
    for (int quality : {70, 50, 30}) {
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        if (!small.save(&buffer, "JPEG", quality)) return {};
        if (jpeg.size() <= 16 * 1024) return jpeg;
    }
    return {};
}

void MediaTransfer::sendFile(const QString& chatId, const QString& path, const QString& caption, Progress progress,
                             Callback<qint64> done) {
    QFile source(path);
    if (!source.open(QIODevice::ReadOnly)) {
        done(makeClientError(ErrorKind::NotFound, QStringLiteral("cannot read %1: %2").arg(path, source.errorString())));
        return;
    }
    const QString mime = QMimeDatabase().mimeTypeForFile(path).name();
    const QString blobPath = QDir(m_mediaDir).filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) + ".blob");
    auto blob = std::make_shared<QFile>(blobPath);
    if (!blob->open(QIODevice::WriteOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        done(fileError(QStringLiteral("cannot write %1").arg(blobPath), *blob));
        return;
    }
    const qint64 plainSize = source.size();
    auto secrets = crypto::MediaCipher::encrypt(source, *blob, [&](qint64 n, qint64 total) {
        if (progress) progress(n / 4, total); // encrypting: the first quarter of the work
    });
    blob->close();
    if (!secrets) {
        QFile::remove(blobPath);
        done(secrets.error());
        return;
    }
    MediaRecord media;
    media.key = secrets->key;
    media.digest = secrets->digest;
    media.mime = mime;
    media.size = plainSize;
    media.fileName = QFileInfo(path).fileName();
    media.thumbnail = thumbnailOf(path, mime);
    media.localBlobPath = blobPath;

    if (!blob->open(QIODevice::ReadOnly)) {
        done(fileError(QStringLiteral("cannot read %1").arg(blobPath), *blob));
        return;
    }
    const qint64 blobSize = blob->size();
    m_api.uploadMedia(
        blob, blobSize,
        [progress, plainSize](qint64 sent, qint64 total) {
            if (progress && total > 0) progress(plainSize / 4 + sent * (plainSize - plainSize / 4) / total, plainSize);
        },
        [this, chatId, caption, media, blob, done](Expected<protocol::rest::MediaUploaded> uploaded) mutable {
            blob->close();
            if (!uploaded) {
                QFile::remove(media.localBlobPath);
                done(uploaded.error());
                return;
            }
            media.mediaId = QString::fromStdString(uploaded->media_id);
            MessageRecord message;
            message.chatId = chatId;
            message.kind = MessageKind::media;
            message.text = caption;
            message.media = media;
            done(m_outbox.send(message, contentFromMessage(message)));
        });
}

void MediaTransfer::download(qint64 localId, Progress progress, Callback<QString> done) {
    auto message = m_store.messages().byLocalId(localId);
    if (!message || !*message || !(*message)->media) {
        done(makeClientError(ErrorKind::NotFound, QStringLiteral("message %1 has no attachment").arg(localId)));
        return;
    }
    const MediaRecord media = *(*message)->media;
    if (!media.localBlobPath.isEmpty() && QFileInfo::exists(media.localBlobPath)) {
        done(media.localBlobPath);
        return;
    }
    // The sender chose the id: it must be one the server could have issued (e2e::parseContent
    // already refuses others; a message stored by an older client may still hold one).
    if (!protocol::isMediaId(media.mediaId.toStdString())) {
        done(makeClientError(ErrorKind::InvalidArgument, QStringLiteral("message %1 names no valid media id").arg(localId)));
        return;
    }
    // Named by this device's own id for the message, never by anything the sender chose.
    const QString blobPath = QDir(m_mediaDir).filePath(QStringLiteral("received-%1.blob").arg(localId));
    auto sink = std::make_shared<QSaveFile>(blobPath);
    if (!sink->open(QIODevice::WriteOnly) || !sink->setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        done(fileError(QStringLiteral("cannot write %1").arg(blobPath), *sink));
        return;
    }
    const QString chatId = (*message)->chatId;
    m_api.downloadMedia(
        media.mediaId, sink,
        [this, localId, progress](qint64 n, qint64 total) {
            if (progress) progress(n, total);
            emit transferProgress(localId, n, total);
        },
        [this, localId, chatId, sink, blobPath, done](Expected<qint64> fetched) {
            if (!fetched) {
                sink->cancelWriting();
                done(fetched.error());
                return;
            }
            if (!sink->commit()) {
                done(fileError(QStringLiteral("cannot store %1").arg(blobPath), *sink));
                return;
            }
            if (auto r = m_store.messages().setMediaBlobPath(localId, blobPath); !r) {
                done(r.error());
                return;
            }
            emit attachmentDownloaded(localId, chatId);
            done(blobPath);
        });
}

Expected<void> MediaTransfer::decryptInto(const MediaRecord& media, const QString& destination, const Progress& progress) {
    QFile blob(media.localBlobPath);
    if (!blob.open(QIODevice::ReadOnly)) return fileError(QStringLiteral("cannot read the attachment"), blob);
    QSaveFile out(destination);
    if (!out.open(QIODevice::WriteOnly)) return fileError(QStringLiteral("cannot write %1").arg(destination), out);
    auto decrypted = crypto::MediaCipher::decrypt(blob, out, media.key, media.digest, progress);
    if (!decrypted) {
        out.cancelWriting();
        return decrypted.error();
    }
    if (!out.commit()) return fileError(QStringLiteral("cannot write %1").arg(destination), out);
    return {};
}

void MediaTransfer::decryptAttachment(qint64 localId, Progress progress, Decrypt decrypt, Callback<void> done) {
    download(localId, std::move(progress), [this, localId, decrypt, done](Expected<QString> blobPath) {
        if (!blobPath) {
            done(blobPath.error());
            return;
        }
        auto message = m_store.messages().byLocalId(localId);
        if (!message || !*message || !(*message)->media) {
            done(makeClientError(ErrorKind::NotFound, QStringLiteral("message %1 has no attachment").arg(localId)));
            return;
        }
        MediaRecord media = *(*message)->media;
        media.localBlobPath = *blobPath;
        if (auto r = decrypt(media); !r) {
            if (r.error().kind == ErrorKind::Corrupted) {
                // A tampered or damaged blob is not kept: the next attempt downloads it afresh.
                qCWarning(lcMedia) << "attachment of message" << localId << "failed verification";
                QFile::remove(*blobPath);
                if (auto cleared = m_store.messages().setMediaBlobPath(localId, QString()); !cleared)
                    qCWarning(lcMedia) << "cannot forget the removed attachment of message" << localId << ":"
                                       << cleared.error().message;
            }
            done(r.error());
            return;
        }
        done({});
    });
}

void MediaTransfer::saveAttachment(qint64 localId, const QString& destination, Progress progress,
                                   Callback<QString> done) {
    decryptAttachment(
        localId, progress,
        [this, destination, progress](const MediaRecord& media) { return decryptInto(media, destination, progress); },
        [destination, done](Expected<void> r) {
            if (!r) done(r.error());
            else done(destination);
        });
}

void MediaTransfer::readAttachment(qint64 localId, Progress progress, Callback<QByteArray> done) {
    auto message = m_store.messages().byLocalId(localId);
    if (message && *message && (*message)->media && (*message)->media->size > kInMemoryBytes) {
        done(makeClientError(ErrorKind::InvalidArgument, QStringLiteral("the attachment is too large to view here")));
        return;
    }
    auto plain = std::make_shared<QByteArray>();
    decryptAttachment(
        localId, progress,
        [plain, progress](const MediaRecord& media) -> Expected<void> {
            QFile blob(media.localBlobPath);
            if (!blob.open(QIODevice::ReadOnly)) return fileError(QStringLiteral("cannot read the attachment"), blob);
            if (blob.size() > kInMemoryBytes + 2 * crypto::MediaCipher::kChunkSize)
                return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("the attachment is too large to view here"));
            QBuffer sink(plain.get());
            sink.open(QIODevice::WriteOnly);
            auto decrypted = crypto::MediaCipher::decrypt(blob, sink, media.key, media.digest, progress);
            if (!decrypted) {
                plain->clear();
                return decrypted.error();
            }
            return {};
        },
        [plain, done](Expected<void> r) {
            if (!r) done(r.error());
            else done(std::move(*plain));
        });
}

void MediaTransfer::onMessageAdded(qint64 localId, const QString&) {
    auto message = m_store.messages().byLocalId(localId);
    if (!message || !*message || !(*message)->media) return;
    const auto& m = **message;
    if (m.direction != MessageDirection::incoming || !m.media->mime.startsWith(QLatin1String("image/")) ||
        m.media->size > kAutoDownloadBytes)
        return;
    download(localId, {}, [localId](Expected<QString> r) {
        if (!r) qCInfo(lcMedia) << "automatic download of message" << localId << "failed:" << r.error().message;
    });
}

} // namespace natter::client
