// A local HTTP/1.1 push endpoint for tst_push: records each request (request line, headers,
// Content-Length body) and answers it with a configurable status. Plain TCP or TLS.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QTcpServer>

#include <memory>

namespace natter::test {

class PushReceiver : public QObject {
    Q_OBJECT
public:
    struct Request {
        QByteArray method;
        QByteArray target;
        QHash<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
        QJsonObject json() const;             // body parsed as a JSON object (empty if it is not one)
    };

    explicit PushReceiver(QObject* parent = nullptr);
    ~PushReceiver() override;

    // Listens on 127.0.0.1 (any free port), plain HTTP.
    bool listen();
    // Listens on 127.0.0.1 (any free port), HTTPS with this certificate and key.
    bool listenTls(const QSslCertificate& certificate, const QSslKey& key);
    quint16 port() const;
    // "http(s)://<host>:<port><path>"; host defaults to 127.0.0.1.
    QString url(const QString& path, const QString& host = QStringLiteral("127.0.0.1")) const;

    // Statuses for the next requests in order; the last one repeats. Starts as {200}.
    void setStatuses(const QList<int>& statuses);

    const QList<Request>& requests() const { return m_requests; }
    int count() const { return static_cast<int>(m_requests.size()); }
    // TLS handshakes clients started (whether or not they completed).
    int handshakesStarted() const { return m_handshakes; }
    // Waits (bounded) until at least n requests have arrived.
    bool waitForCount(int n, int timeoutMs);
    // True if no request beyond those already received arrives within ms.
    bool expectNoMore(int ms);

private:
    void onConnection();
    void onReadable(QTcpSocket* socket);
    int nextStatus();

    std::unique_ptr<QTcpServer> m_server;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    QList<int> m_statuses{200};
    QList<Request> m_requests;
    int m_handshakes = 0;
};

} // namespace natter::test
