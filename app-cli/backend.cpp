#include "backend.h"

#include "command_line.h"
#include "passphrase_prompt.h"

#include "client/rpc/command_service.h"
#include "client/rpc/event_stream.h"
#include "client/rpc/rpc_client.h"
#include "client/rpc/rpc_server.h"
#include "client/store/profile.h"

#include <QEventLoop>
#include <QFile>
#include <QTextStream>

#include <optional>

namespace natter::cli {

using client::ErrorKind;
using client::makeClientError;

namespace {

enum class SyncMoment { BeforeCommand, AfterCommand };

// One-shot commands: online for the command's length; when natterd cannot be reached the
// command works offline on the store, and says so. Bounded (Client::SyncLimits): what did not
// settle in time is named on stderr and the command goes on.
void syncOnce(client::Client& c, SyncMoment moment) {
    if (!c.isRegistered() || c.isRevoked()) return;
    const client::Client::SyncLimits limits;
    std::optional<Expected<client::Client::SyncOutcome>> synced;
    QEventLoop loop;
    c.syncOnce(limits, [&](Expected<client::Client::SyncOutcome> r) {
        synced.emplace(std::move(r));
        loop.quit();
    });
    if (!synced) loop.exec();
    QTextStream err(stderr);
    const auto seconds = limits.settle.count() / 1000;
    if (*synced && !(*synced)->settled && moment == SyncMoment::BeforeCommand)
        err << "natter: gave up waiting for natterd after " << seconds << " s (still under way: " << (*synced)->unfinished
            << "); what follows may be incomplete: run the command again for the rest\n";
    else if (*synced && !(*synced)->settled)
        err << "natter: gave up waiting for natterd after " << seconds << " s (still under way: " << (*synced)->unfinished
            << "); the next natter command that reaches natterd finishes it (or run 'natter sync')\n";
    // A device the server revoked meanwhile is not "offline": its commands say what happened.
    if (*synced || synced->error().kind == ErrorKind::Revoked) return;
    err << "natter: working offline: " << synced->error().message
        << "; messages you send are queued until a natter command reaches it (or run 'natter sync')\n";
}

class SocketBackend final : public Backend {
public:
    explicit SocketBackend(std::unique_ptr<client::rpc::RpcClient> rpc) : m_rpc(std::move(rpc)) {}
    Expected<QJsonValue> call(const QString& method, const QJsonObject& params) override {
        return m_rpc->call(method, params);
    }
    Expected<void> subscribe(EventHandler handler) override {
        QObject::connect(m_rpc.get(), &client::rpc::RpcClient::event, m_rpc.get(), handler);
        auto r = m_rpc->call(QStringLiteral("subscribe"), {});
        if (!r) return r.error();
        return {};
    }
    bool viaSocket() const override { return true; }

private:
    std::unique_ptr<client::rpc::RpcClient> m_rpc;
};

class LocalBackend final : public Backend {
public:
    explicit LocalBackend(std::unique_ptr<client::Client> client)
        : m_client(std::move(client)), m_commands(std::make_unique<client::rpc::CommandService>(*m_client)) {}
    ~LocalBackend() override {
        m_server.reset();
        m_events.reset();
        m_commands.reset();
        // Go offline cleanly so the acks and receipts written so far reach the server.
        m_client->disconnectFromServer();
    }
    Expected<QJsonValue> call(const QString& method, const QJsonObject& params) override {
        std::optional<Expected<QJsonValue>> result;
        QEventLoop loop;
        m_commands->call(method, params, [&](Expected<QJsonValue> r) {
            result.emplace(std::move(r));
            loop.quit();
        });
        if (!result) loop.exec();
        return std::move(*result);
    }
    Expected<void> subscribe(EventHandler handler) override {
        m_events = std::make_unique<client::rpc::EventStream>(*m_client);
        QObject::connect(m_events.get(), &client::rpc::EventStream::event, m_events.get(), handler);
        return {};
    }
    client::Client* localClient() override { return m_client.get(); }
    bool viaSocket() const override { return false; }
    Expected<QString> serve() override {
        if (!m_server) {
            auto server = std::make_unique<client::rpc::RpcServer>(*m_client);
            if (auto r = server->listen(); !r) return r.error();
            m_server = std::move(server);
        }
        return m_server->socketPath();
    }
    void stayOnline() override {
        if (m_client->isRegistered() && !m_client->isRevoked()) m_client->connectToServer();
    }
    void finishOneShot() override {
        if (m_client->connectionState() != client::net::Connection::State::Offline) syncOnce(*m_client, SyncMoment::AfterCommand);
    }

private:
    std::unique_ptr<client::Client> m_client;
    std::unique_ptr<client::rpc::RpcServer> m_server; // while serving the profile's socket
    std::unique_ptr<client::rpc::CommandService> m_commands;
    std::unique_ptr<client::rpc::EventStream> m_events;
};

bool createsProfile(const Invocation& inv) {
    return inv.command == QLatin1String("register") || (inv.command == QLatin1String("link") && !inv.code.isEmpty());
}

// A mistyped --profile must not become a new, empty store.
Expected<void> requireExistingProfile(const Invocation& inv) {
    auto paths = client::store::ProfilePaths::forName(inv.profile);
    if (!paths) return paths.error();
    if (paths->exists() || createsProfile(inv)) return {};
    const QStringList existing = client::store::ProfilePaths::existingNames();
    const QString which = existing.isEmpty()
                              ? QStringLiteral("no profile '%1' yet").arg(inv.profile)
                              : QStringLiteral("no profile '%1' on this device (profiles: %2)").arg(inv.profile, existing.join(", "));
    return makeClientError(ErrorKind::NotFound,
                           which + QStringLiteral("; to create it: natter --profile %1 register <phone> (or natter --profile %1 "
                                                  "link --code CODE to add this device to an account)")
                                       .arg(inv.profile));
}

// --server chooses the natterd a new profile registers with; a registered one keeps its own.
Expected<void> refuseOtherServer(const Invocation& inv, const QUrl& registeredOn) {
    if (!inv.serverGiven || createsProfile(inv) || registeredOn.isEmpty()) return {};
    const auto normal = [](const QUrl& u) { return u.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments); };
    if (normal(registeredOn) == normal(QUrl(inv.server))) return {};
    return makeClientError(ErrorKind::InvalidArgument,
                           QStringLiteral("profile '%1' is registered on %2, so --server %3 does not apply to it (--server "
                                          "only chooses where a new profile registers); to use that natterd, register "
                                          "another profile there: natter --profile NEW --server %3 register <phone>")
                               .arg(inv.profile, registeredOn.toString(QUrl::RemoveUserInfo), inv.server));
}

std::unique_ptr<client::rpc::RpcClient> trySocket(const Invocation& inv) {
    auto paths = client::store::ProfilePaths::forName(inv.profile);
    if (!paths || !QFile::exists(paths->socketPath())) return nullptr;
    auto rpc = std::make_unique<client::rpc::RpcClient>();
    if (!rpc->connectTo(paths->socketPath())) return nullptr;
    return rpc;
}


} // namespace

Expected<std::unique_ptr<Backend>> openLocalBackend(const Invocation& inv, bool syncFirst) {
    if (auto r = requireExistingProfile(inv); !r) return r.error();
    if (trySocket(inv))
        return makeClientError(ErrorKind::StoreLocked,
                               QStringLiteral("profile '%1' is held by a running natter daemon, listen, shell or "
                                              "natter-desktop; stop it first")
                                   .arg(inv.profile));
    client::Client::Options options;
    options.profile = inv.profile;
    if (inv.serverGiven) options.server = QUrl(inv.server);
    else options.server = QUrl(QStringLiteral("http://127.0.0.1:8787"));
    options.prompt = [] { return promptPassphrase(); };
    auto opened = client::Client::open(options);
    if (!opened) return opened.error();
    client::Client& c = **opened;
    if (auto r = refuseOtherServer(inv, c.isRegistered() ? c.account().server : QUrl()); !r) return r.error();
    if (syncFirst) syncOnce(c, SyncMoment::BeforeCommand);
    return std::unique_ptr<Backend>(new LocalBackend(std::move(*opened)));
}

Expected<std::unique_ptr<Backend>> openBackend(const Invocation& inv, bool syncFirst) {
    auto rpc = trySocket(inv);
    if (!rpc) return openLocalBackend(inv, syncFirst);
    std::unique_ptr<Backend> backend(new SocketBackend(std::move(rpc)));
    if (inv.serverGiven && !createsProfile(inv)) {
        auto me = backend->call(QStringLiteral("whoami"), {});
        if (!me) return me.error();
        if (auto r = refuseOtherServer(inv, QUrl(me->toObject().value("server").toString())); !r) return r.error();
    }
    return backend;
}

} // namespace natter::cli
