// Client: going online for a command that runs once (the CLI, `sync`). Connect, let natterd
// replay what waited for this device, acknowledge the outbox and let the work that started
// finish, all bounded; a natterd that cannot be reached is noticed within the connect limit
// (a refusal at once), not after minutes.
#include "client/client.h"

#include "client/messaging/follow_ups.h"
#include "client/messaging/outbox.h"
#include "client/store/outbox_store.h"
#include "client/store/profile_store.h"

#include <QTimer>

namespace natter::client {

Expected<int> Client::queuedCount() { return m_store->outbox().count(true); }

void Client::syncOnce(SyncLimits limits, Callback<SyncOutcome> done) {
    if (!isRegistered() || !m_connection) {
        done(makeClientError(ErrorKind::InvalidArgument, tr("this profile is not registered yet")));
        return;
    }
    if (isRevoked()) {
        done(revokedError());
        return;
    }
    // Everything below lives as long as the wait: deleting `waiter` disconnects it all.
    auto* waiter = new QObject(this);
    auto* connectTimer = new QTimer(waiter);
    auto* settleTimer = new QTimer(waiter);
    connectTimer->setSingleShot(true);
    settleTimer->setSingleShot(true);
    auto finished = std::make_shared<bool>(false);
    const auto finish = [waiter, finished, done](Expected<SyncOutcome> result) {
        if (std::exchange(*finished, true)) return;
        waiter->deleteLater();
        done(std::move(result));
    };
    const bool started = !m_connection->isRunning();
    // why: the innermost cause ("Connection refused" of "token refresh failed: server unreachable: ...").
    const auto offline = [this, started, finish, settleTimer](const QString& why) {
        if (started) m_connection->stop();
        const QString server = m_server.toString(QUrl::RemoveUserInfo);
        const QString cause = why.section(QStringLiteral(": "), -1);
        finish(makeClientError(ErrorKind::Network, settleTimer->isActive()
                                                       ? tr("natterd at %1 dropped the connection (%2)").arg(server, cause)
                                                       : tr("natterd at %1 could not be reached (%2)").arg(server, cause)));
    };
    const auto settledYet = [this, finish] {
        if (m_synced && valueOr(m_store->outbox().count(), 1) == 0 && m_followUps->count() == 0) finish(SyncOutcome{});
    };
    // What kept it from settling, in words.
    const auto unfinished = [this] {
        QStringList parts;
        if (!m_synced) parts << tr("the replay of what waited on natterd");
        const int queued = valueOr(m_store->outbox().count(), 0);
        if (queued == 1) parts << tr("1 outgoing message or key");
        else if (queued > 1) parts << tr("%1 outgoing messages or keys").arg(queued);
        if (m_followUps->count() > 0) parts << m_followUps->pending();
        return parts.join(QStringLiteral(", "));
    };
    // Reached: now the limit is the one for the replay and the acks; when it runs out the
    // command goes on with what arrived (the connection stays up while it runs).
    const auto reached = [connectTimer, settleTimer, limits, settledYet] {
        connectTimer->stop();
        settleTimer->start(limits.settle);
        settledYet();
    };

    connect(connectTimer, &QTimer::timeout, waiter, [offline, limits] {
        offline(tr("no answer within %1 s").arg(double(limits.connect.count()) / 1000.0));
    });
    connect(settleTimer, &QTimer::timeout, waiter, [finish, unfinished] { finish(SyncOutcome{false, unfinished()}); });
    connect(m_connection, &net::Connection::connected, waiter, reached);
    connect(this, &Client::synced, waiter, settledYet);
    connect(m_outbox, &Outbox::emptied, waiter, settledYet);
    connect(m_followUps, &FollowUps::idle, waiter, settledYet);
    connect(m_connection, &net::Connection::disconnected, waiter, [offline](const QString& reason, int) { offline(reason); });
    connect(this, &Client::deviceRevoked, waiter, [this, finish] { finish(revokedError()); });
    connect(this, &Client::sessionEnded, waiter, [finish](const QString& reason) {
        finish(makeClientError(ErrorKind::Server, reason));
    });

    if (m_connection->isConnected()) return reached();
    connectTimer->start(limits.connect);
    if (started) connectToServer();
    else m_connection->retryNow();
}

} // namespace natter::client
