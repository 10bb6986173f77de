// Images QML asks for by URL: message thumbnails (image://thumb/<chat>/<id>, the decrypted
// JPEG bytes the store holds), the picture in the viewer (image://attachment/<key>, decrypted
// in memory only) and QR codes (image://qr/<payload>, drawn with libqrencode).
#pragma once

#include <QByteArray>
#include <QHash>
#include <QImage>
#include <QMutex>
#include <QQuickImageProvider>

namespace natter::desktop {

// Thumbnail bytes the conversation handed out, for the provider (which may run off the GUI thread).
class ThumbnailCache {
public:
    void put(const QString& key, const QByteArray& jpeg);
    QByteArray get(const QString& key) const;

private:
    mutable QMutex m_mutex;
    QHash<QString, QByteArray> m_bytes;
};

class ThumbnailProvider : public QQuickImageProvider {
public:
    explicit ThumbnailProvider(ThumbnailCache& cache);
    QImage requestImage(const QString& id, QSize* size, const QSize& requestedSize) override;

private:
    ThumbnailCache& m_cache;
};

// The picture the viewer shows, decoded in memory; dropped when the viewer closes.
class ViewedImages {
public:
    void show(const QString& key, const QImage& image);
    QImage get(const QString& key) const;
    void clear();

private:
    mutable QMutex m_mutex;
    QString m_key;
    QImage m_image;
};

class AttachmentProvider : public QQuickImageProvider {
public:
    explicit AttachmentProvider(ViewedImages& images);
    QImage requestImage(const QString& id, QSize* size, const QSize& requestedSize) override;

private:
    ViewedImages& m_images;
};

// payload: the QR code's bytes; modules are drawn dark on white with a quiet zone.
QImage renderQrCode(const QByteArray& payload, int modulePixels = 8);

// "image://qr/<payload as base64url>", the URL QrProvider draws payload for.
QString qrImageUrl(const QByteArray& payload);

class QrProvider : public QQuickImageProvider {
public:
    QrProvider();
    // id: the payload, base64url.
    QImage requestImage(const QString& id, QSize* size, const QSize& requestedSize) override;
};

} // namespace natter::desktop
