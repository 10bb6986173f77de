// The seam between the Beast transport and the application: plain interfaces, no Beast,
// so protocol logic compiles without Beast and the transport stays in few translation units.
#pragma once

#include "protocol/error.h"
#include "protocol/types.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
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
    SlowConsumer = 4002,     // outbound queue over its cap; queued messages stay on the server
};

// What became of a frame handed to Connection::send.
enum class SendResult {
    queued,   // it is written after the frames queued before it
    closing,  // the connection is already closing: the frame is dropped
    overflow, // the frames the peer has not read passed the queue's cap: this frame and the queued
              // ones are dropped and the connection closes with SlowConsumer
};

// One HTTP request as the application sees it.
struct HttpRequest {
    std::string method;        // "GET", "POST", ...
    std::string target;        // path and query, e.g. "/api/users/7?x=1"
    std::string authorization; // the Authorization header, may be empty
    std::string range;         // the Range header, may be empty
    std::string body;          // already size-limited by the transport; empty when streamed to a file
    std::string remote;        // peer address, for logs and rate limits
    std::optional<std::uint64_t> content_length; // the announced body size, if any (not chunked)
    protocol::TimestampMs received_at = 0; // wall clock when the headers were complete
    // Set when planBody chose BodyToFile: the complete body is in this file, which now belongs
    // to the application (it must move or delete it).
    std::optional<std::filesystem::path> body_file;
    std::uint64_t body_file_bytes = 0; // its size
};

// Bytes [offset, offset + length) of a file, sent as a response body without reading the
// file into memory.
struct FileSlice {
    std::filesystem::path path;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct HttpResponse {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // extra headers, e.g. Retry-After
    // When set, the body is this slice instead of `body`. If the file cannot be opened any more
    // the transport answers 404 not_found instead.
    std::optional<FileSlice> file{};
};

// What the transport does with a request body, decided from the request's headers alone.
struct BodyToMemory {}; // read it into HttpRequest::body, up to the REST body limit
struct BodyToFile {     // stream it into `path` (created, must not exist), up to max_bytes
    std::filesystem::path path;
    std::uint64_t max_bytes = 0;
};
struct BodyRefused {    // do not read it: send this response, then close if a body was announced
    HttpResponse response;
};
using BodyPlan = std::variant<BodyToMemory, BodyToFile, BodyRefused>;

using Respond = std::function<void(HttpResponse)>;

// A live WebSocket connection, implemented by the transport. All calls on the io thread.
class Connection {
public:
    virtual ~Connection() = default;
    // Queues a text frame; frames are written one at a time in order. The queue is bounded in
    // frames and in bytes (TransportConfig): a frame that would pass either cap is an overflow.
    virtual SendResult send(std::shared_ptr<const std::string> text) = 0;
    // True while the queued bytes are at or over half the byte cap: a handler with frames that can
    // wait (queued messages) holds them back, so that a slow reader is not closed for what it was
    // sent unasked. A true answer arranges one ConnectionHandler::onDrained() call, made once the
    // queue has fallen to a quarter of the cap.
    virtual bool congested() = 0;
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
    virtual void onDrained() {}    // after Connection::congested() said true, the queue has drained
    virtual void onClosed() = 0;   // exactly once, after which no other call comes
};

// Who a WebSocket belongs to, established before the upgrade completes.
struct DeviceIdentity {
    protocol::UserId user_id = 0;
    protocol::DeviceId device_id = 0;
};

// Why the transport closed a new connection at once, without reading from it.
enum class ConnectionRefusal {
    per_address, // its client address already had --max-connections-per-address open
    global,      // natterd already had --max-connections open
};

// What the transport asks of the application.
class TransportHandler {
public:
    virtual ~TransportHandler() = default;
    // A connection was closed at once because a connection cap was reached (for metrics).
    virtual void connectionRefused(ConnectionRefusal /*why*/) {}
    // Accepting a connection failed (e.g. out of descriptors); the transport logs it (for metrics).
    virtual void acceptFailed() {}
    // Called with the headers of every plain HTTP request (`body` still empty) before its body
    // is read. A body over the chosen limit gets 413 payload_too_large, and a file that was
    // being written is deleted; handleHttp then is not called.
    virtual BodyPlan planBody(const HttpRequest& /*head*/) { return BodyToMemory{}; }
    // A plain HTTP request (REST, /healthz, /metrics, media). `respond` is called exactly once.
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
