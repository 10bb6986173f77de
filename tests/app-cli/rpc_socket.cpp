#include "rpc_socket.h"

#include <QDeadlineTimer>
#include <QJsonDocument>

namespace natter::test {

bool RpcSocket::connectTo(const QString& path, int timeoutMs) {
    m_socket.connectToServer(path);
    return m_socket.waitForConnected(timeoutMs);
}

void RpcSocket::disconnect() {
    m_socket.disconnectFromServer();
    if (m_socket.state() != QLocalSocket::UnconnectedState) m_socket.waitForDisconnected(5000);
    m_responses.clear();
    m_events.clear();
}

void RpcSocket::read() {
    while (m_socket.canReadLine()) {
        const QJsonObject msg = QJsonDocument::fromJson(m_socket.readLine()).object();
        if (msg.value("method").toString() == QLatin1String("event")) m_events.append(msg.value("params").toObject());
        else m_responses.append(msg);
    }
}

std::optional<QJsonObject> RpcSocket::takeResponse(const std::function<bool(const QJsonObject&)>& match, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        read();
        for (qsizetype i = 0; i < m_responses.size(); ++i)
            if (match(m_responses[i])) return m_responses.takeAt(i);
        if (deadline.hasExpired() || !isConnected()) return std::nullopt;
        m_socket.waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 200)));
    }
}

std::optional<QJsonObject> RpcSocket::call(const QString& method, const QJsonObject& params, int timeoutMs) {
    const qint64 id = m_nextId++;
    const QJsonObject request{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
    m_socket.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    m_socket.flush();
    return takeResponse([id](const QJsonObject& r) { return r.value("id").toInteger(-1) == id; }, timeoutMs);
}

std::optional<QJsonObject> RpcSocket::sendRaw(const QByteArray& line, int timeoutMs) {
    m_socket.write(line.endsWith('\n') ? line : line + '\n');
    m_socket.flush();
    return takeResponse([](const QJsonObject&) { return true; }, timeoutMs);
}

std::optional<QJsonObject> RpcSocket::waitForEvent(const std::function<bool(const QJsonObject&)>& match, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        read();
        for (qsizetype i = 0; i < m_events.size(); ++i)
            if (match(m_events[i])) return m_events.takeAt(i);
        if (deadline.hasExpired() || !isConnected()) return std::nullopt;
        m_socket.waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 200)));
    }
}

QList<QJsonObject> RpcSocket::events() {
    read();
    return m_events;
}

} // namespace natter::test
