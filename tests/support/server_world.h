// One integration case's world: its own natterd and a few signed-up users, optionally online.
// Replaces the start / sign-up / open-session lines most cases repeated; a failing set-up
// names the step and its reason, as the NATTER_* macros do.
#pragma once

#include "natterd_process.h"
#include "test_client.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace natter::test {

class ServerWorld {
public:
    enum class Sessions { Open, None };

    // natterdArgs as NatterdProcess takes them.
    explicit ServerWorld(QStringList natterdArgs = {});
    ServerWorld(const ServerWorld&) = delete;
    ServerWorld& operator=(const ServerWorld&) = delete;

    // Starts natterd, then signs up one user per name in this order, names[i] on phoneNumber(i + 1)
    // with that display name, then (Sessions::Open) opens each one's session in the same order.
    // Call once. False with errorString() naming the step that failed.
    bool start(const QStringList& names, Sessions sessions = Sessions::Open);

    NatterdProcess& server() { return m_server; }
    // The user signed up under this name (a test's own mistake if there is none).
    TestClient& user(const QString& name);
    QString errorString() const { return m_error; }

private:
    NatterdProcess m_server; // declared first: the users go before their server
    QStringList m_names;
    std::vector<std::unique_ptr<TestClient>> m_users;
    QString m_error;
};

} // namespace natter::test

// Starts the world (arguments as ServerWorld::start) or fails the case with the reason.
#define NATTER_WORLD(world, ...) QVERIFY2((world).start(__VA_ARGS__), qPrintable((world).errorString()))
