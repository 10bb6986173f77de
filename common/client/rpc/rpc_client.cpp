#include "client/rpc/rpc_client.h"

#include "client/rpc/json_rpc.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QTimer>

namespace natter::client::rpc {

RpcClient::RpcClient(QObject* parent) : QObject(parent) {
    connect(&m_socket, &QLocalSocket::readyRead, this, &RpcClient::onReadyRead);
    connect(&m_socket, &QLocalSocket::disconnected, this, &RpcClient::disconnected);
}

bool RpcClient::connectTo(const QString& path, int timeoutMs) {
    m_socket.connectToServer(path);
    return m_socket.waitForConnected(timeoutMs);
}

void RpcClient::onReadyRead() {
    while (m_socket.canReadLine()) {
        const QJsonObject msg = QJsonDocument::fromJson(m_socket.readLine()).object();
        if (msg.value("method").toString() == QLatin1String("event")) {
            emit event(msg.value("params").toObject());
        } else if (msg.value("id").toInteger() == m_waitingFor && m_waitingFor != 0) {
            m_answer = msg;
        }
    }
}

Expected<QJsonValue> RpcClient::call(const QString& method, const QJsonObject& params, int timeoutMs) {
    if (!isConnected()) return makeClientError(ErrorKind::Network, QStringLiteral("not connected to the profile's socket"));
    m_waitingFor = m_nextId++;
    m_answer.reset();
    m_socket.write(request(m_waitingFor, method, params));
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(&m_socket, &QLocalSocket::readyRead, &loop, [&] {
        if (m_answer) loop.quit();
    });
    connect(&m_socket, &QLocalSocket::disconnected, &loop, &QEventLoop::quit);
    timeout.start(timeoutMs);
    if (!m_answer) loop.exec();
    m_waitingFor = 0;
    if (!m_answer)
        return makeClientError(ErrorKind::Network, isConnected() ? QStringLiteral("no answer from the profile's socket")
                                                                 : QStringLiteral("the profile's socket closed"));
    if (m_answer->contains("error")) return fromErrorObject(m_answer->value("error").toObject());
    return m_answer->value("result");
}

} // namespace natter::client::rpc
