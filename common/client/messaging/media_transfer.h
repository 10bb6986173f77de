// Attachments: a file is encrypted on this device with a fresh key, uploaded with progress,
// and sent as an attachment inside the encrypted message. Received files are downloaded
// as the encrypted blob into the profile's media dir (they stay encrypted at rest) and
// verified and decrypted only when the user opens or saves them.
#pragma once

#include "client/core/result.h"
#include "client/messaging/outbox.h"
#include "client/store/records.h"

#include <QObject>
#include <QString>

#include <functional>

namespace natter::client {
namespace net { class ApiClient; }
namespace store { class ProfileStore; }

class MediaTransfer : public QObject {
    Q_OBJECT
public:
    using Progress = std::function<void(qint64 done, qint64 total)>;
    template <class T>
    using Callback = std::function<void(Expected<T>)>;

    static constexpr int kThumbnailEdge = 96;           // pixels, longest side
    static constexpr qint64 kAutoDownloadBytes = 2 << 20; // images up to this size are fetched on arrival

    MediaTransfer(store::ProfileStore& store, net::ApiClient& api, Outbox& outbox, QString mediaDir,
                  QObject* parent = nullptr);

    // Encrypts, uploads and sends path as an attachment (caption optional). Calls back with
    // the new message's local id once it is queued for sending.
    void sendFile(const QString& chatId, const QString& path, const QString& caption, Progress progress,
                  Callback<qint64> done);
    // Downloads (if needed), verifies and decrypts a received attachment into destination.
    // A blob that fails verification is refused (ErrorKind::Corrupted) and nothing is written.
    void saveAttachment(qint64 localId, const QString& destination, Progress progress, Callback<QString> done);
    // The same into memory, for viewing without a plaintext copy on disk: downloads (if
    // needed), verifies, then decrypts. Refused (ErrorKind::InvalidArgument) above
    // kInMemoryBytes, and like saveAttachment (Corrupted, nothing returned) when tampered.
    void readAttachment(qint64 localId, Progress progress, Callback<QByteArray> done);
    static constexpr qint64 kInMemoryBytes = 64ll << 20;
    // Fetches the encrypted blob of an incoming attachment without decrypting it.
    void download(qint64 localId, Progress progress, Callback<QString> done);

public slots:
    // Small images are fetched as soon as they arrive, as messengers do.
    void onMessageAdded(qint64 localId, const QString& chatId);

signals:
    void transferProgress(qint64 localId, qint64 done, qint64 total);
    void attachmentDownloaded(qint64 localId, const QString& chatId);

private:
    static QByteArray thumbnailOf(const QString& path, const QString& mime);
    Expected<void> decryptInto(const MediaRecord& media, const QString& destination, const Progress& progress);
    using Decrypt = std::function<Expected<void>(const MediaRecord& media)>;
    // Downloads, then runs decrypt on the record with its local blob; a blob that fails
    // verification is deleted so the next attempt fetches it afresh.
    void decryptAttachment(qint64 localId, Progress progress, Decrypt decrypt, Callback<void> done);

    store::ProfileStore& m_store;
    net::ApiClient& m_api;
    Outbox& m_outbox;
    QString m_mediaDir;
};

} // namespace natter::client
