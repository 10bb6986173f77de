// A client of a profile's socket (what the CLI uses when a daemon or the desktop app holds
// the profile): calls a method and waits for its answer, or subscribes to the events.
#pragma once

#include "client/core/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QLocalSocket>
#include <QObject>

namespace natter::client::rpc {

class RpcClient : public QObject {
    Q_OBJECT
public:
    explicit RpcClient(QObject* parent = nullptr);

    // True when something answers on path (a daemon or the desktop app holds the profile).
    bool connectTo(const QString& path, int timeoutMs = 2000);
    bool isConnected() const { return m_socket.state() == QLocalSocket::ConnectedState; }
    // Calls a method and waits (bounded) for its response.
    Expected<QJsonValue> call(const QString& method, const QJsonObject& params = {}, int timeoutMs = 60000);

signals:
    void event(const QJsonObject& event);
    void disconnected();

private:
    void onReadyRead();

    QLocalSocket m_socket;
    qint64 m_nextId = 1;
    qint64 m_waitingFor = 0;
    std::optional<QJsonObject> m_answer;
};

} // namespace natter::client::rpc
