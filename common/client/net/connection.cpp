// Connection: the device's /ws socket with token refresh before each connect, heartbeat and
// silence detection, and reconnects with capped exponential backoff and jitter.
#include "client/net/connection.h"

#include "client/net/api_client.h"
#include "client/net/log.h"
#include "protocol/frame_codec.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <cmath>

namespace natter::client::net {

namespace {

constexpr int kCloseReplaced = 4000;
constexpr int kCloseRevoked = 1008;
constexpr int kWelcomeTimeoutMs = 30000; // from open() to welcome

bool isUnauthorized(const ClientError& err) {
    return err.kind == ErrorKind::Server && (err.httpStatus == 401 || err.serverCode == QLatin1String("unauthorized"));
}

} // namespace

Connection::Connection(ApiClient& api, QObject* parent) : QObject(parent), m_api(api) {
    m_silence.setSingleShot(true);
    m_reconnect.setSingleShot(true);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] { send(protocol::Ping{}); });
    connect(&m_silence, &QTimer::timeout, this, [this] {
        qCWarning(lcNet) << "nothing heard from the server in time; dropping the connection";
        m_lastError = QStringLiteral("server silent");
        if (m_socket) m_socket->abort();
        onClosed();
    });
    connect(&m_reconnect, &QTimer::timeout, this, &Connection::connectNow);
    // A device_revoked answer to any call (the token refresh before a connect included).
    connect(&api, &ApiClient::deviceRevoked, this, [this](protocol::RevocationReason reason) {
        if (m_running) stopRevoked(reason);
    });
}

Connection::~Connection() {
    m_running = false;
    dropSocket(true);
}

void Connection::start() {
    if (m_running) return;
    m_running = true;
    m_attempt = 0;
    m_authRetried = false;
    connectNow();
}

void Connection::stop() {
    m_running = false;
    ++m_generation;
    m_heartbeat.stop();
    m_silence.stop();
    m_reconnect.stop();
    dropSocket(true);
    setState(State::Offline);
}

void Connection::retryNow() {
    if (!m_running || !m_reconnect.isActive()) return;
    m_reconnect.stop();
    connectNow();
}

bool Connection::send(const protocol::ClientFrame& frame) {
    if (!isConnected() || !m_socket) return false;
    const std::string text = std::visit([](const auto& f) { return protocol::serializeFrame(f); }, frame);
    m_socket->sendTextMessage(QString::fromStdString(text));
    return true;
}

void Connection::connectNow() {
    if (!m_running) return;
    const quint64 generation = ++m_generation;
    dropSocket(false);
    setState(State::Connecting);
    m_api.ensureFreshToken([self = QPointer<Connection>(this), generation](Expected<QString> token) {
        if (!self || self->m_generation != generation || !self->m_running) return;
        if (token) return self->openSocket(*token);
        if (isUnauthorized(token.error())) return self->giveUp(QStringLiteral("device credential refused"), false);
        self->scheduleReconnect(QStringLiteral("token refresh failed: %1").arg(token.error().message));
    });
}

void Connection::openSocket(const QString& token) {
    dropSocket(false);
    m_lastError.clear();
    m_handshakeRefused = false;
    QUrl url = m_api.webSocketUrl();
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("access_token"), token);
    url.setQuery(query);
    auto* socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, [] { qCDebug(lcNet) << "socket open, waiting for welcome"; });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket == m_socket) onClosed();
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this, socket](QAbstractSocket::SocketError error) {
        if (socket != m_socket) return;
        m_lastError = socket->errorString();
        // Qt reports a refused upgrade as ConnectionRefusedError naming the HTTP status.
        m_handshakeRefused = error == QAbstractSocket::ConnectionRefusedError && m_lastError.contains(QLatin1String("401"));
        if (socket->state() != QAbstractSocket::ConnectedState || m_handshakeRefused) onClosed();
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString& text) {
        if (socket == m_socket) onTextMessage(text);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray&) {
        if (socket != m_socket) return;
        qCWarning(lcNet) << "ignoring a binary message from the server";
        if (m_state != State::Connecting) m_silence.start();
    });
    qCInfo(lcNet).noquote() << "connecting to" << url.adjusted(QUrl::RemoveQuery).toString();
    m_silence.start(kWelcomeTimeoutMs); // bounds the TCP connect, the upgrade and the wait for welcome
    socket->open(url);
}

void Connection::onTextMessage(const QString& text) {
    if (m_state != State::Connecting) m_silence.start(); // anything heard restarts the watch
    const QByteArray utf8 = text.toUtf8();
    auto frame = protocol::parseServerFrame(std::string_view(utf8.constData(), size_t(utf8.size())));
    if (!frame) {
        qCWarning(lcNet).noquote() << "skipping a malformed server frame:"
                                   << QString::fromUtf8(protocol::toString(frame.error().code));
        return;
    }
    if (const auto* welcome = std::get_if<protocol::Welcome>(&*frame)) {
        const int intervalMs = std::max(1, welcome->heartbeat_interval_s) * 1000;
        m_attempt = 0;
        m_authRetried = false;
        m_heartbeat.start(intervalMs);
        m_silence.start(2 * intervalMs);
        qCInfo(lcNet) << "welcome as device" << welcome->device_id << "heartbeat" << welcome->heartbeat_interval_s << "s";
        setState(State::Syncing);
        emit connected(*welcome);
    } else if (const auto* done = std::get_if<protocol::SyncComplete>(&*frame)) {
        qCDebug(lcNet) << "sync complete," << done->delivered << "queued entries";
        setState(State::Online);
        emit syncCompleted(done->delivered);
    }
    emit frameReceived(*frame);
}

void Connection::onClosed() {
    if (!m_socket) return;
    const int code = int(m_socket->closeCode());
    const QString closeReason = m_socket->closeReason();
    const bool refused = m_handshakeRefused;
    const QString error = m_lastError;
    dropSocket(false);
    m_heartbeat.stop();
    m_silence.stop();
    if (!m_running) return setState(State::Offline);

    if (code == kCloseReplaced) return giveUp(QStringLiteral("replaced by another connection of this device"), true);
    if (code == kCloseRevoked) {
        protocol::RevocationReason reason = protocol::RevocationReason::unlinked;
        if (!protocol::fromString(closeReason.toStdString(), reason))
            qCInfo(lcNet) << "revoked with a reason this build does not know; treated as unlinked";
        stopRevoked(reason);
        m_api.setRevoked(reason, true); // REST calls end too, and the client hears it once
        return;
    }
    if (refused) {
        if (m_authRetried) return giveUp(QStringLiteral("access token refused"), false);
        m_authRetried = true;
        qCInfo(lcNet) << "upgrade refused (401); retrying once with a refreshed token";
        m_api.invalidateAccessToken();
        setState(State::Offline);
        m_reconnect.start(0);
        return;
    }
    QString reason = error; // without a close frame Qt reports 1000, so an error says more
    if (reason.isEmpty()) {
        reason = QStringLiteral("closed (%1)").arg(code);
        if (!closeReason.isEmpty()) reason += QStringLiteral(": ") + closeReason;
    }
    scheduleReconnect(reason);
}

void Connection::scheduleReconnect(const QString& reason) {
    if (!m_running) return;
    const double base = double(m_backoff.initial.count()) * std::pow(2.0, std::min(m_attempt, 30));
    const double capped = std::min(base, double(m_backoff.maximum.count()));
    const double jitter = std::clamp(m_backoff.jitter, 0.0, 1.0);
    const double factor = 1.0 - jitter + 2.0 * jitter * QRandomGenerator::global()->generateDouble();
    const int delayMs = int(std::max(0.0, capped * factor));
    ++m_attempt;
    qCInfo(lcNet).noquote() << "disconnected:" << reason << "- reconnecting in" << delayMs << "ms";
    setState(State::Offline);
    emit disconnected(reason, delayMs);
    if (m_running) m_reconnect.start(delayMs);
}

void Connection::giveUp(const QString& reason, bool replacedByAnother) {
    qCWarning(lcNet).noquote() << "not reconnecting:" << reason;
    m_running = false;
    ++m_generation;
    m_heartbeat.stop();
    m_silence.stop();
    m_reconnect.stop();
    dropSocket(false);
    setState(State::Offline);
    if (replacedByAnother) emit replaced();
    else emit unauthorized(reason);
}

void Connection::stopRevoked(protocol::RevocationReason reason) {
    qCInfo(lcNet).noquote() << "not reconnecting: this device was revoked ("
                            << QString::fromUtf8(protocol::toString(reason)) << ")";
    m_running = false;
    ++m_generation;
    m_heartbeat.stop();
    m_silence.stop();
    m_reconnect.stop();
    dropSocket(false);
    setState(State::Offline);
    emit revoked(reason);
}

void Connection::dropSocket(bool closeCleanly) {
    QWebSocket* socket = std::exchange(m_socket, nullptr);
    if (!socket) return;
    socket->disconnect(this);
    if (closeCleanly && socket->state() == QAbstractSocket::ConnectedState) {
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        socket->close(QWebSocketProtocol::CloseCodeNormal);
        QTimer::singleShot(5000, socket, &QObject::deleteLater);
    } else {
        socket->abort();
        socket->deleteLater();
    }
}

void Connection::setState(State state) {
    if (m_state == state) return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace natter::client::net
