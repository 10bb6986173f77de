#include "http_from.h"

#include "natterd_process.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpSocket>

namespace natter::test {

HttpResult httpFrom(const NatterdProcess& server, const QString& sourceAddress, const QByteArray& method,
                    const QString& path, const QByteArray& body, const QString& accessToken, int timeoutMs) {
    HttpResult out;
    const QDeadlineTimer deadline(timeoutMs);
    QTcpSocket socket;
    if (!socket.bind(QHostAddress(sourceAddress), 0)) {
        out.networkError = QStringLiteral("cannot bind %1: %2").arg(sourceAddress, socket.errorString());
        return out;
    }
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    if (!socket.waitForConnected(int(std::max<qint64>(1, deadline.remainingTime())))) {
        out.networkError = QStringLiteral("connect from %1: %2").arg(sourceAddress, socket.errorString());
        return out;
    }
    QByteArray request = method + ' ' + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!accessToken.isEmpty()) request += "Authorization: Bearer " + accessToken.toUtf8() + "\r\n";
    if (!body.isEmpty()) request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    socket.write(request);

    QByteArray received;
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (socket.waitForReadyRead(int(std::max<qint64>(1, std::min<qint64>(200, deadline.remainingTime())))))
            received += socket.readAll();
    }
    received += socket.readAll();
    const qsizetype headEnd = received.indexOf("\r\n\r\n");
    if (!received.startsWith("HTTP/1.1 ") || headEnd < 0) {
        out.networkError = deadline.hasExpired() ? QStringLiteral("timeout") : QStringLiteral("no HTTP answer");
        return out;
    }
    out.status = received.mid(9, 3).toInt();
    out.body = received.mid(headEnd + 4);
    out.json = QJsonDocument::fromJson(out.body);
    return out;
}

HttpResult httpFrom(const NatterdProcess& server, const QString& sourceAddress, const QByteArray& method,
                    const QString& path, const QJsonObject& body, const QString& accessToken, int timeoutMs) {
    return httpFrom(server, sourceAddress, method, path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                    accessToken, timeoutMs);
}

} // namespace natter::test
