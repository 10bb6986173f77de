// ImageViewer: one picture at a time, decrypted into memory through the client core.
#include "image_viewer.h"

#include "formatting.h"

#include "client/client.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QBuffer>
#include <QDateTime>
#include <QImageReader>

#include <algorithm>
#include <cmath>

namespace natter::desktop {

ImageViewer::ImageViewer(QObject* parent) : QObject(parent) {}

void ImageViewer::attach(client::Client* client) {
    close();
    m_client = client;
}

bool ImageViewer::show(qint64 localId) {
    if (!m_client) return false;
    const auto message = m_client->messageInfo(localId);
    if (!message || !message->media || !message->media->mime.startsWith(QLatin1String("image/"))) return false;
    const quint64 generation = ++m_generation;
    m_images.clear();
    m_open = true;
    m_loading = true;
    m_source.clear();
    m_error.clear();
    m_imageSize = {};
    m_localId = localId;
    m_fileName = message->media->fileName;
    m_sender = message->direction == client::MessageDirection::outgoing ? tr("You") : m_client->displayNameOf(message->senderId);
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(message->timestamp);
    m_timeText = tr("%1 at %2").arg(dayLabel(when.date(), QDate::currentDate()), clockTime(when));
    m_caption = message->text;
    findNeighbours(message->chatId);
    emit changed();
    QPointer<ImageViewer> self(this);
    m_client->readAttachment(localId, {}, [self, generation](client::Expected<QByteArray> r) {
        if (!self || generation != self->m_generation) return;
        if (!r) {
            self->m_loading = false;
            self->m_error = tr("This picture cannot be shown: %1").arg(r.error().message);
            emit self->changed();
            return;
        }
        self->loaded(generation, *r);
    });
    return true;
}

void ImageViewer::loaded(quint64 generation, const QByteArray& bytes) {
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true); // the camera's orientation
    const QImage image = reader.read();
    m_loading = false;
    if (image.isNull()) {
        m_error = tr("This picture cannot be shown: %1").arg(reader.errorString());
    } else {
        const QString key = QStringLiteral("%1-%2").arg(m_localId).arg(generation);
        m_images.show(key, image);
        m_imageSize = image.size();
        m_source = QStringLiteral("image://attachment/") + key;
    }
    emit changed();
}

void ImageViewer::findNeighbours(const QString& chatId) {
    m_previousId = 0;
    m_nextId = 0;
    auto page = m_client->store().messages().page(chatId, kMediaWindow, 0); // oldest first
    if (!page) return;
    qint64 before = 0;
    bool passed = false;
    for (const auto& m : *page) {
        if (!m.media || !m.media->mime.startsWith(QLatin1String("image/"))) continue;
        if (m.localId == m_localId) {
            passed = true;
            m_previousId = before;
        } else if (passed) {
            m_nextId = m.localId;
            return;
        } else {
            before = m.localId;
        }
    }
}

double ImageViewer::zoomed(double scale, int steps, double fitScale) {
    const double smallest = std::min(fitScale, 0.125);
    return std::clamp(scale * std::pow(1.25, steps), smallest, 8.0);
}

void ImageViewer::close() {
    ++m_generation;
    m_images.clear();
    const bool wasOpen = m_open;
    m_open = false;
    m_loading = false;
    m_source.clear();
    m_error.clear();
    m_imageSize = {};
    if (wasOpen) emit changed();
}

} // namespace natter::desktop
