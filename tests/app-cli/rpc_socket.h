// A raw JSON-RPC 2.0 client on a profile's rpc.sock, written from docs/rpc.md rather than
// with the client core's RpcClient, so the suites see exactly the bytes a script would.
// Requests and answers are matched by id; "event" notifications are queued. Waits are bounded.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QLocalSocket>
#include <QString>

#include <functional>
#include <optional>

namespace natter::test {

class RpcSocket {
public:
    bool connectTo(const QString& path, int timeoutMs = 5000);
    void disconnect();
    bool isConnected() const { return m_socket.state() == QLocalSocket::ConnectedState; }

    // Sends {"jsonrpc":"2.0","id":N,"method":...,"params":...} and waits for the answer
    // with that id: the whole response object, or nullopt on timeout.
    std::optional<QJsonObject> call(const QString& method, const QJsonObject& params = {}, int timeoutMs = 20000);
    // Writes one raw line and waits for the next response (any id, including null).
    std::optional<QJsonObject> sendRaw(const QByteArray& line, int timeoutMs = 10000);

    // Waits for an "event" notification whose params match; returns its params.
    std::optional<QJsonObject> waitForEvent(const std::function<bool(const QJsonObject&)>& match, int timeoutMs = 20000);
    // Event params received so far and not consumed by waitForEvent.
    QList<QJsonObject> events();

private:
    void read();
    std::optional<QJsonObject> takeResponse(const std::function<bool(const QJsonObject&)>& match, int timeoutMs);

    QLocalSocket m_socket;
    qint64 m_nextId = 1;
    QList<QJsonObject> m_responses;
    QList<QJsonObject> m_events;
};

} // namespace natter::test
