// Serves an open profile over its Unix socket (rpc.sock in the profile dir, owner-only):
// JSON-RPC 2.0, one object per line, a method per command (CommandService) plus
// subscribe/unsubscribe to the event stream, resumable by event id. The CLI daemon and
// the desktop app both run one, so other natter commands keep working while they hold the
// profile.
#pragma once

#include "client/core/result.h"

#include <QJsonObject>
#include <QLocalServer>
#include <QObject>

namespace natter::client {
class Client;
}

namespace natter::client::rpc {

class CommandService;
class EventStream;

class RpcServer : public QObject {
    Q_OBJECT
public:
    RpcServer(Client& client, QObject* parent = nullptr);
    ~RpcServer() override;

    // Listens on the profile's socket path (a stale socket file is replaced: the profile
    // lock guarantees nobody else serves this profile).
    Expected<void> listen();
    QString socketPath() const;
    int connectionCount() const;
    CommandService& commands() { return *m_commands; }

private:
    class Connection;
    void onNewConnection();

    Client& m_client;
    QLocalServer m_server;
    CommandService* m_commands = nullptr; // child
    EventStream* m_events = nullptr;      // child
    QString m_streamId;                   // new per run: resuming across a restart replays nothing stale
};

} // namespace natter::client::rpc
