// The device's WebSocket to natterd (/ws): connects with a fresh access token, decodes
// server frames into protocol structs, keeps the heartbeat, and reconnects after any loss
// with exponential backoff and jitter. The server replays the offline queue after each
// connect (ending with sync_complete); the messaging layer reacts to frameReceived. A revoked
// device (close 1008, or device_revoked from the server) stops for good: no reconnect loop.
#pragma once

#include "protocol/frames.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>

class QWebSocket;

namespace natter::client::net {

class ApiClient;

class Connection : public QObject {
    Q_OBJECT
public:
    enum class State { Offline, Connecting, Syncing, Online };
    Q_ENUM(State)

    struct Backoff {
        std::chrono::milliseconds initial{500};
        std::chrono::milliseconds maximum{30000};
        double jitter = 0.2; // each delay is scaled by a random factor in [1-jitter, 1+jitter]
    };

    Connection(ApiClient& api, QObject* parent = nullptr);
    ~Connection() override;

    void setBackoff(Backoff backoff) { m_backoff = backoff; }
    // Connects now and keeps reconnecting until stop().
    void start();
    void stop();
    // Between start() and stop() (or giving up): connected, connecting, or waiting to reconnect.
    bool isRunning() const { return m_running; }
    // Waiting to reconnect after a loss: tries now instead of at the end of the backoff.
    void retryNow();
    State state() const { return m_state; }
    // Online or Syncing: frames can be sent.
    bool isConnected() const { return m_state == State::Syncing || m_state == State::Online; }
    // Sends one frame; false when not connected (the caller retries after connected()).
    bool send(const protocol::ClientFrame& frame);

signals:
    void stateChanged(natter::client::net::Connection::State state);
    void connected(const natter::protocol::Welcome& welcome);
    // The queue replay is over; what follows is live.
    void syncCompleted(quint64 delivered);
    void frameReceived(const natter::protocol::ServerFrame& frame);
    // The connection dropped (reason for logs/banners); a reconnect follows after delayMs.
    void disconnected(const QString& reason, int reconnectDelayMs);
    // Another connection of this same device took over (close 4000): no reconnect.
    void replaced();
    // The credential was refused (not a revocation the server explained): no reconnect.
    void unauthorized(const QString& reason);
    // The server revoked this device (unlinked, or its number registered elsewhere): no reconnect.
    void revoked(natter::protocol::RevocationReason reason);

private:
    // Gets a fresh token, then opens the socket (one attempt).
    void connectNow();
    void openSocket(const QString& token);
    void onTextMessage(const QString& text);
    // The current socket closed or failed; decides between reconnect, replaced and unauthorized.
    void onClosed();
    // Detaches the current socket (no more signals from it) and lets it go.
    void dropSocket(bool closeCleanly);
    void giveUp(const QString& reason, bool replacedByAnother);
    // Stops for good because the server revoked this device, then emits revoked.
    void stopRevoked(protocol::RevocationReason reason);
    void scheduleReconnect(const QString& reason);
    void setState(State state);

    ApiClient& m_api;
    QWebSocket* m_socket = nullptr; // child
    QTimer m_heartbeat;             // sends ping every heartbeat interval
    QTimer m_silence;               // fires when nothing was heard for 2 intervals
    QTimer m_reconnect;
    Backoff m_backoff;
    int m_attempt = 0;
    quint64 m_generation = 0;  // bumped by start/stop and each attempt: stale callbacks are ignored
    bool m_running = false;
    bool m_authRetried = false; // a refused upgrade already got a refreshed token
    bool m_handshakeRefused = false; // the current socket's upgrade was answered 401
    QString m_lastError;        // the current socket's error, for the disconnect reason
    State m_state = State::Offline;
};

} // namespace natter::client::net
