#include "push_receiver.h"

#include <QJsonDocument>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

namespace natter::test {

namespace {
QByteArray reasonOf(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}
} // namespace

QJsonObject PushReceiver::Request::json() const { return QJsonDocument::fromJson(body).object(); }

PushReceiver::PushReceiver(QObject* parent) : QObject(parent) {}

PushReceiver::~PushReceiver() {
    if (!m_server) return;
    // The server deletes its sockets; their signals must not reach this half-destroyed receiver.
    for (QTcpSocket* socket : m_server->findChildren<QTcpSocket*>()) socket->disconnect(this);
    m_server.reset();
}

bool PushReceiver::listen() {
    m_server = std::make_unique<QTcpServer>();
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &PushReceiver::onConnection);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

bool PushReceiver::listenTls(const QSslCertificate& certificate, const QSslKey& key) {
    auto server = std::make_unique<QSslServer>();
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(certificate);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server->setSslConfiguration(config);
    connect(server.get(), &QSslServer::startedEncryptionHandshake, this, [this](QSslSocket*) { ++m_handshakes; });
    m_server = std::move(server);
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &PushReceiver::onConnection);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 PushReceiver::port() const { return m_server ? m_server->serverPort() : 0; }

QString PushReceiver::url(const QString& path, const QString& host) const {
    const bool tls = qobject_cast<QSslServer*>(m_server.get()) != nullptr;
    return QStringLiteral("%1://%2:%3%4").arg(tls ? "https" : "http", host).arg(port()).arg(path);
}

void PushReceiver::setStatuses(const QList<int>& statuses) {
    m_statuses = statuses.isEmpty() ? QList<int>{200} : statuses;
}

int PushReceiver::nextStatus() { return m_statuses.size() > 1 ? m_statuses.takeFirst() : m_statuses.first(); }

bool PushReceiver::waitForCount(int n, int timeoutMs) {
    return QTest::qWaitFor([&] { return count() >= n; }, timeoutMs);
}

bool PushReceiver::expectNoMore(int ms) {
    const int before = count();
    QTest::qWait(ms);
    return count() == before;
}

void PushReceiver::onConnection() {
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
        if (socket->bytesAvailable() > 0) onReadable(socket);
    }
}

void PushReceiver::onReadable(QTcpSocket* socket) {
    if (!m_buffers.contains(socket)) return;
    QByteArray& buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;

    Request request;
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.target = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
    }
    const qsizetype length = request.headers.value("content-length", "0").toLongLong();
    if (buffer.size() < headerEnd + 4 + length) return; // the body is still arriving
    request.body = buffer.mid(headerEnd + 4, length);
    m_buffers.remove(socket);
    m_requests.append(request);

    const int status = nextStatus();
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonOf(status) +
                  "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    socket->disconnectFromHost();
}

} // namespace natter::test
