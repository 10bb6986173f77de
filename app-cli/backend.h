// Where a command runs: through the profile's socket when a daemon, listen, shell or the
// desktop app holds the profile, else in this process over a freshly opened Client. Both
// answer the same JSON-RPC methods, so the CLI prints the same either way.
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
    // For the commands that keep running (listen, shell, daemon): serves the profile's socket
    // from this process, so other natter commands for the profile go through it meanwhile.
    // The socket's path; empty when this backend is itself a socket (another process serves).
    virtual Expected<QString> serve() { return QString(); }
    // For the commands that keep running: goes online and stays, reconnecting after a loss.
    virtual void stayOnline() {}
};

// Socket first; otherwise opens the profile here. syncFirst (one-shot commands): also go
// online (natterd unreachable is noticed within about a second: a note on stderr, then the
// command works offline), send what was queued and take what waited, bounded.
Expected<std::unique_ptr<Backend>> openBackend(const Invocation& invocation, bool syncFirst);
// Opens the profile in this process only (register, link --code, daemon), refusing when
// another process already serves it.
Expected<std::unique_ptr<Backend>> openLocalBackend(const Invocation& invocation, bool syncFirst);

} // namespace natter::cli
