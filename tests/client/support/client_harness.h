// Real Natter clients (the client core, each with its own profile in a temporary data
// root) against a real natterd, for the client integration suites: sign up, befriend,
// wait for async results, and find a stored message. Every wait is bounded.
#pragma once

#include "client/client.h"
#include "client/core/result.h"

#include <QEventLoop>
#include <QHash>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace natter::test {

class NatterdProcess;
class TestClient;

inline constexpr int kClientTimeoutMs = 15000;

// Runs an async client call and waits for its callback (bounded).
template <class T>
client::Expected<T> await(const std::function<void(client::Client::Callback<T>)>& start, int timeoutMs = kClientTimeoutMs) {
    std::optional<client::Expected<T>> result;
    QEventLoop loop;
    start([&](client::Expected<T> r) {
        result.emplace(std::move(r));
        loop.quit();
    });
    if (!result) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!result) return client::makeClientError(client::ErrorKind::Network, QStringLiteral("timed out"));
    return std::move(*result);
}

class ClientHarness {
public:
    // server: where clients register (their profiles remember it).
    explicit ClientHarness(QUrl server);
    ~ClientHarness();

    void setServer(QUrl server) { m_server = std::move(server); }
    // The clock of every profile opened from now on (nullptr: the system clock).
    void setClock(std::shared_ptr<client::Clock> clock) { m_clock = std::move(clock); }
    // The data root of a profile name (profiles live under <root>/natter/profiles/<name>).
    QString dataRoot() const { return m_root.path(); }
    QString profileDir(const QString& name) const;

    // Opens a new profile, registers phone (fixed code), connects, waits for sync_complete.
    client::Client* signUp(const QString& name, const QString& phone, const QString& displayName = {});
    // Opens an existing profile again and connects (nullptr + lastError on failure).
    client::Client* reopen(const QString& name, bool connect = true);
    // Opens a new profile linked to `existing`'s account with a link code, connected.
    client::Client* link(client::Client* existing, const QString& name);
    // ...asking for the account's message history too (`natter link --with-history`).
    client::Client* link(client::Client* existing, const QString& name, bool withHistory);
    // Closes (destroys) a profile's client, releasing its lock.
    void close(const QString& name);
    client::Client* get(const QString& name) const;
    // a and b add each other as contacts under these names.
    bool befriend(client::Client* a, const QString& nameOfB, client::Client* b, const QString& nameOfA);
    bool waitSynced(client::Client* c, int timeoutMs = kClientTimeoutMs);
    QString lastError() const { return m_error; }

    // The newest stored message of a chat with this text (nullopt when none).
    static std::optional<client::MessageRecord> findMessage(client::Client* c, const QString& chatId, const QString& text);
    static QList<client::MessageRecord> messagesOf(client::Client* c, const QString& chatId);
    // The stored message with server id `messageId` (nullopt when none).
    static std::optional<client::MessageRecord> byServerId(client::Client* c, quint64 messageId);
    // Sends text from `from` and waits until `to` has it; its server id (0 on failure).
    static quint64 sendAndWait(client::Client* from, client::Client* to, const QString& chatId, const QString& text);
    // The direct chat id of two clients.
    static QString directChat(client::Client* a, client::Client* b);
    // Closes the profile, opens its store with the passphrase and names each table.column that
    // has a value holding `needle` (case-insensitive), for "nothing of it stays on disk" checks.
    QStringList storeValuesContaining(const QString& name, const QByteArray& needle);

private:
    client::Client* open(const QString& name);

    QTemporaryDir m_root;
    QUrl m_server;
    std::shared_ptr<client::Clock> m_clock;
    QHash<QString, client::Client*> m_clients; // owned
    QString m_error;
};

// The same device as a client-core profile, driven by hand over REST (its own token from its
// device secret); nullptr when natterd refuses it.
std::unique_ptr<TestClient> actAs(const NatterdProcess& server, client::Client* device);

// Every file under dir whose bytes contain needle (for "no plaintext on disk" checks).
QStringList filesContaining(const QString& dir, const QByteArray& needle);

} // namespace natter::test

namespace natter::test {

class NatterdProcess;

// One test's world: a fresh natterd and users signed up on it (profile = lower-case name,
// display name = name), each pair of them contacts of each other.
class ClientWorld {
public:
    struct User {
        QString name;  // e.g. "Alice"
        QString phone; // E.164
    };
    // clock: every user's profile's clock (nullptr: the system clock).
    explicit ClientWorld(QStringList natterdArgs = {}, std::shared_ptr<client::Clock> clock = nullptr);
    ~ClientWorld(); // prints natterd's stderr when the test failed

    bool start(const QList<User>& users);
    client::Client* user(const QString& name) const { return m_clients->get(name.toLower()); }
    NatterdProcess& server() { return *m_server; }
    ClientHarness& clients() { return *m_clients; }
    QString error() const { return m_error; }

private:
    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<ClientHarness> m_clients;
    std::shared_ptr<client::Clock> m_clock;
    QString m_error;
};

} // namespace natter::test
