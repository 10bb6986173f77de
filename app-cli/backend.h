// Where a command runs: through the profile's socket when a daemon or the desktop app
// holds the profile, else in this process over a freshly opened Client. Both answer the
// same JSON-RPC methods, so the CLI prints the same either way.
#pragma once

#include "client/client.h"
#include "client/core/result.h"

#include <QJsonObject>
#include <QJsonValue>

#include <functional>
#include <memory>

namespace natter::client::rpc {
class CommandService;
class EventStream;
class RpcClient;
} // namespace natter::client::rpc

namespace natter::cli {

struct Invocation;

template <class T>
using Expected = client::Expected<T>;

class Backend {
public:
    using EventHandler = std::function<void(const QJsonObject&)>;
    virtual ~Backend() = default;
    virtual Expected<QJsonValue> call(const QString& method, const QJsonObject& params) = 0;
    // Delivers live events to handler until the backend is destroyed.
    virtual client::Expected<void> subscribe(EventHandler handler) = 0;
    // Non-null when the command runs in this process (register, link, daemon need it).
    virtual client::Client* localClient() { return nullptr; }
    virtual bool viaSocket() const = 0;
};

// Socket first; otherwise opens the profile here. connect: also go online and wait for
// the offline queue (bounded) before answering.
Expected<std::unique_ptr<Backend>> openBackend(const Invocation& invocation, bool connect);
// Opens the profile in this process only (register, link --code, daemon), refusing when a
// daemon or the app already holds it.
Expected<std::unique_ptr<Backend>> openLocalBackend(const Invocation& invocation, bool connect);

} // namespace natter::cli
