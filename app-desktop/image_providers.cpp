// Thumbnail, viewed picture and QR code image providers.
#include "image_providers.h"

#include <QPainter>
#include <QUrl>

#include <qrencode.h>

#include <memory>

namespace natter::desktop {

void ThumbnailCache::put(const QString& key, const QByteArray& jpeg) {
    QMutexLocker lock(&m_mutex);
    m_bytes.insert(key, jpeg);
}

QByteArray ThumbnailCache::get(const QString& key) const {
    QMutexLocker lock(&m_mutex);
    return m_bytes.value(key);
}

ThumbnailProvider::ThumbnailProvider(ThumbnailCache& cache) : QQuickImageProvider(QQuickImageProvider::Image), m_cache(cache) {}

QImage ThumbnailProvider::requestImage(const QString& id, QSize* size, const QSize& requestedSize) {
    QImage image = QImage::fromData(m_cache.get(QUrl::fromPercentEncoding(id.toLatin1())));
    if (!image.isNull() && requestedSize.isValid())
        image = image.scaled(requestedSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (size) *size = image.size();
    return image;
}

void ViewedImages::show(const QString& key, const QImage& image) {
    QMutexLocker lock(&m_mutex);
    m_key = key;
    m_image = image;
}

QImage ViewedImages::get(const QString& key) const {
    QMutexLocker lock(&m_mutex);
    return key == m_key ? m_image : QImage();
}

void ViewedImages::clear() {
    QMutexLocker lock(&m_mutex);
    m_key.clear();
    m_image = QImage();
}

AttachmentProvider::AttachmentProvider(ViewedImages& images) : QQuickImageProvider(QQuickImageProvider::Image), m_images(images) {}

QImage AttachmentProvider::requestImage(const QString& id, QSize* size, const QSize& requestedSize) {
    QImage image = m_images.get(id);
    if (!image.isNull() && requestedSize.width() > 0 && requestedSize.height() > 0 &&
        (requestedSize.width() < image.width() || requestedSize.height() < image.height()))
        image = image.scaled(requestedSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (size) *size = image.size();
    return image;
}

QImage renderQrCode(const QByteArray& payload, int modulePixels) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(int(payload.size()), reinterpret_cast<const unsigned char*>(payload.constData()), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!code) return {};
    constexpr int quiet = 4;
    const int side = (code->width + 2 * quiet) * modulePixels;
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x)
            if (code->data[y * code->width + x] & 1)
                painter.fillRect((x + quiet) * modulePixels, (y + quiet) * modulePixels, modulePixels, modulePixels, Qt::black);
    return image;
}

QString qrImageUrl(const QByteArray& payload) {
    return QStringLiteral("image://qr/") +
           QString::fromLatin1(payload.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QrProvider::QrProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}

QImage QrProvider::requestImage(const QString& id, QSize* size, const QSize& requestedSize) {
    const QByteArray payload = QByteArray::fromBase64(id.toLatin1(), QByteArray::Base64UrlEncoding);
    QImage image = renderQrCode(payload);
    if (!image.isNull() && requestedSize.isValid())
        image = image.scaled(requestedSize, Qt::KeepAspectRatio, Qt::FastTransformation);
    if (size) *size = image.size();
    return image;
}

} // namespace natter::desktop
