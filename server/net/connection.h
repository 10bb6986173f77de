// The seam between the Beast transport and the application: plain interfaces, no Beast,
// so protocol logic compiles without Beast and the transport stays in few translation units.
#pragma once

#include "protocol/error.h"
#include "protocol/types.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace natter::server {

// WebSocket close codes natterd uses (RFC 6455 plus application codes 4000-4999).
enum class CloseCode : std::uint16_t {
    Normal = 1000,
    GoingAway = 1001,        // server shutting down
    ProtocolError = 1002,
    InvalidPayload = 1007,   // text frame that is not UTF-8
    PolicyViolation = 1008,  // credential revoked
    TooBig = 1009,           // frame over the hard limit
    Replaced = 4000,         // the same device opened a newer connection
    HeartbeatTimeout = 4001, // no frame for the presence timeout
    SlowConsumer = 4002,     // outbound queue full; queued messages stay on the server
};

// One HTTP request as the application sees it.
struct HttpRequest {
    std::string method;        // "GET", "POST", ...
    std::string target;        // path and query, e.g. "/api/users/7?x=1"
    std::string authorization; // the Authorization header, may be empty
    std::string body;          // already size-limited by the transport
    std::string remote;        // peer address, for logs and rate limits
};

struct HttpResponse {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // extra headers, e.g. Retry-After
};

using Respond = std::function<void(HttpResponse)>;

// A live WebSocket connection, implemented by the transport. All calls on the io thread.
class Connection {
public:
    virtual ~Connection() = default;
    // Queues a text frame; frames are written one at a time in order. Returns false (and
    // closes the connection with SlowConsumer) when the bounded outbound queue is full.
    virtual bool send(std::shared_ptr<const std::string> text) = 0;
    // Sends a close frame after the queued frames and ends the connection.
    virtual void close(CloseCode code, std::string_view reason) = 0;
    virtual std::string remoteAddress() const = 0;
};

// Receives a connection's events, implemented by the application. All calls on the io thread.
class ConnectionHandler {
public:
    virtual ~ConnectionHandler() = default;
    virtual void onText(std::string_view text) = 0;
    virtual void onBinary(std::string_view data) = 0;
    virtual void onActivity() = 0; // any frame, including WebSocket pings
    virtual void onClosed() = 0;   // exactly once, after which no other call comes
};

// Who a WebSocket belongs to, established before the upgrade completes.
struct DeviceIdentity {
    protocol::UserId user_id = 0;
    protocol::DeviceId device_id = 0;
};

// What the transport asks of the application.
class TransportHandler {
public:
    virtual ~TransportHandler() = default;
    // A plain HTTP request (REST, /healthz, /metrics). `respond` is called exactly once.
    virtual void handleHttp(HttpRequest request, Respond respond) = 0;
    // An upgrade request on /ws: `done` gets the identity, or an error the transport turns
    // into an HTTP error response (httpStatus(code) + rest::ErrorBody) without upgrading.
    virtual void authenticateUpgrade(const HttpRequest& request,
                                     std::function<void(protocol::Result<DeviceIdentity>)> done) = 0;
    // The upgrade completed: returns the handler that owns this connection's protocol state.
    virtual std::shared_ptr<ConnectionHandler> openConnection(const DeviceIdentity& identity,
                                                              std::shared_ptr<Connection> connection) = 0;
};

} // namespace natter::server
