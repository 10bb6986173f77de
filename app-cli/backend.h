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
    // For one-shot commands, once the command ran: waits (bounded) until natterd took what it
    // queued (a new group's secret, keys) and the work it started is done, so that nothing is
    // cut off when the process exits. A note on stderr when the limit ran out.
    virtual void finishOneShot() {}
};

// Socket first; otherwise opens the profile here. syncFirst (one-shot commands): also go
// online (natterd unreachable is noticed within about a second: a note on stderr, then the
// command works offline), send what was queued, take what waited and let the work it starts
// (group details, secrets) finish, bounded.
// Only register and link --code create a profile: for any other command a profile that does
// not exist is refused (ErrorKind::NotFound) with the list of those that do, and --server on a
// registered profile is refused (InvalidArgument) unless it names the natterd it registered on.
Expected<std::unique_ptr<Backend>> openBackend(const Invocation& invocation, bool syncFirst);
// Opens the profile in this process only (register, link --code, daemon), refusing when
// another process already serves it.
Expected<std::unique_ptr<Backend>> openLocalBackend(const Invocation& invocation, bool syncFirst);

} // namespace natter::cli
