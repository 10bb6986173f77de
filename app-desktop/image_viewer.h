// The in-app picture viewer's state: which picture is open, who sent it and when, its caption,
// and the decrypted image (held in memory by ViewedImages, never written to disk) for QML.
#pragma once

#include "image_providers.h"

#include <QObject>
#include <QPointer>
#include <QSize>

namespace natter::client { class Client; }

namespace natter::desktop {

class ImageViewer : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool open READ isOpen NOTIFY changed)
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    // "image://attachment/<key>" once decrypted, else empty.
    Q_PROPERTY(QString source READ source NOTIFY changed)
    Q_PROPERTY(qint64 localId READ localId NOTIFY changed)
    Q_PROPERTY(QString fileName READ fileName NOTIFY changed)
    Q_PROPERTY(QString sender READ sender NOTIFY changed)
    Q_PROPERTY(QString timeText READ timeText NOTIFY changed)
    // The text sent with the picture, "" when none.
    Q_PROPERTY(QString caption READ caption NOTIFY changed)
    // The chat's pictures before and after this one (among its newest kMediaWindow messages).
    Q_PROPERTY(bool hasPrevious READ hasPrevious NOTIFY changed)
    Q_PROPERTY(bool hasNext READ hasNext NOTIFY changed)
    Q_PROPERTY(QSize imageSize READ imageSize NOTIFY changed)
    Q_PROPERTY(QString error READ error NOTIFY changed)
public:
    explicit ImageViewer(QObject* parent = nullptr);

    void attach(client::Client* client);
    ViewedImages& images() { return m_images; }

    bool isOpen() const { return m_open; }
    bool loading() const { return m_loading; }
    QString source() const { return m_source; }
    qint64 localId() const { return m_localId; }
    QString fileName() const { return m_fileName; }
    QString sender() const { return m_sender; }
    QString timeText() const { return m_timeText; }
    QString caption() const { return m_caption; }
    bool hasPrevious() const { return m_previousId != 0; }
    bool hasNext() const { return m_nextId != 0; }
    static constexpr int kMediaWindow = 1000;
    QSize imageSize() const { return m_imageSize; }
    QString error() const { return m_error; }

    // Opens the viewer on an image attachment and decrypts it into memory; false (nothing
    // opened) when the message is not a picture.
    Q_INVOKABLE bool show(qint64 localId);
    // Closes the viewer and drops the decrypted picture.
    Q_INVOKABLE void close();
    // The chat's previous / next picture; false when there is none.
    Q_INVOKABLE bool showPrevious() { return m_previousId != 0 && show(m_previousId); }
    Q_INVOKABLE bool showNext() { return m_nextId != 0 && show(m_nextId); }
    // The zoom `steps` steps (+ in, - out; 1.25 times each) from `scale`, kept between the
    // smaller of the fitted scale and 1/8 and 8 times the picture's own size.
    Q_INVOKABLE static double zoomed(double scale, int steps, double fitScale);

signals:
    void changed();

private:
    void loaded(quint64 generation, const QByteArray& bytes);
    void findNeighbours(const QString& chatId);

    QPointer<client::Client> m_client;
    ViewedImages m_images;
    quint64 m_generation = 0; // a later show() or close() outdates an answer still on its way
    bool m_open = false;
    bool m_loading = false;
    QString m_source;
    qint64 m_localId = 0;
    QString m_fileName;
    QString m_sender;
    QString m_timeText;
    QString m_caption;
    qint64 m_previousId = 0;
    qint64 m_nextId = 0;
    QSize m_imageSize;
    QString m_error;
};

} // namespace natter::desktop
