// natterd's Beast HTTP session: reads each request's headers first and lets the application
// choose where the body goes (memory, a file, or nowhere), answers with a string or a file
// slice, and hands /ws upgrades to a WebSocketSession. Included only by transport.cpp.
#pragma once

#include "app/clock.h"
#include "logging/loggers.h"
#include "net/beast_sessions.h"
#include "net/slice_file.h"

#include <filesystem>
#include <system_error>
#include <variant>

namespace natter::server::transport_detail {

// Deletes a file when it goes out of scope unless released: the upload being streamed.
class FileRemover {
public:
    FileRemover() = default;
    explicit FileRemover(std::filesystem::path path) : path_(std::move(path)) {}
    ~FileRemover() { reset(); }
    FileRemover(FileRemover&& other) noexcept : path_(other.release()) {}
    FileRemover& operator=(FileRemover&& other) noexcept {
        if (this != &other) {
            reset();
            path_ = other.release();
        }
        return *this;
    }
    void reset() {
        if (path_.empty()) return;
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
        path_.clear();
    }
    std::filesystem::path release() { return std::exchange(path_, {}); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

template <class Stream>
class HttpSession final : public Stoppable, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    HttpSession(Stream&& stream, std::shared_ptr<SessionContext> ctx, std::string remote, ConnectionLimiter::Slot slot)
        : stream_(std::move(stream)), ctx_(std::move(ctx)), slot_(std::move(slot)), remote_(std::move(remote)) {}

    void run() {
        ctx_->track(this->weak_from_this());
        startWaitingForRequest();
        if constexpr (kIsTls<Stream>) {
            beast::get_lowest_layer(stream_).expires_at(requestDeadline_);
            stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (ec) self->closeNow();
                else self->read();
            });
        } else {
            read();
        }
    }

    void stopNow() override { closeNow(); }

private:
    using SliceBody = http::basic_file_body<SliceFile>;

    // The pre-authentication timeout: from now on, the TLS handshake, the next request's
    // headers and its in-memory body must all arrive by this deadline (an idle keep-alive
    // connection, a slow sender or a silent socket is closed then).
    void startWaitingForRequest() {
        requestDeadline_ = std::chrono::steady_clock::now() + ctx_->config.preauth_timeout;
    }

    void read() {
        if (done_) return;
        headerParser_.emplace();
        headerParser_->header_limit(kHeaderLimit);
        headerParser_->body_limit(boost::none); // set once the body's destination is known
        beast::get_lowest_layer(stream_).expires_at(requestDeadline_);
        http::async_read_header(stream_, buffer_, *headerParser_,
                                [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                    self->onHeader(ec);
                                });
    }

    // Answers a failed read (413, 400) or closes; false when `ec` is no error.
    bool failed(beast::error_code ec) {
        using protocol::ErrorCode;
        if (!ec) return false;
        stringParser_.reset();
        fileParser_.reset();
        upload_.reset(); // before answering: the client may look at the disk once it has the answer
        if (ec == http::error::body_limit) {
            const std::string message = "request body exceeds " + std::to_string(bodyLimit_) + " bytes";
            reply(errorResponse(ErrorCode::PayloadTooLarge, message), version_, false, true);
        } else if (ec == http::error::header_limit) {
            reply(errorResponse(ErrorCode::PayloadTooLarge, "request headers exceed 8 KiB"), 11, false, true);
        } else if (ec.category() == beast::http::make_error_code(http::error::bad_method).category() &&
                   ec != http::error::end_of_stream && ec != http::error::partial_message) {
            reply(errorResponse(ErrorCode::InvalidField, "malformed HTTP request"), 11, false, true);
        } else {
            closeNow(); // peer closed, reset or timed out: nothing to answer
        }
        return true;
    }

    void onHeader(beast::error_code ec) {
        if (done_ || failed(ec)) return;
        const auto& header = headerParser_->get();
        head_ = HttpRequest{};
        head_.method = std::string(header.method_string());
        head_.target = std::string(header.target());
        head_.authorization = std::string(header[http::field::authorization]);
        head_.range = std::string(header[http::field::range]);
        head_.remote = remote_;
        head_.received_at = nowMs();
        if (const auto length = headerParser_->content_length()) head_.content_length = *length;
        version_ = header.version();
        keepAlive_ = header.keep_alive();
        if (websocket::is_upgrade(header)) {
            readIntoMemory();
            return;
        }
        auto plan = ctx_->handler.planBody(head_);
        if (auto* refused = std::get_if<BodyRefused>(&plan)) {
            const bool bodyPending = !headerParser_->is_done();
            reply(std::move(refused->response), version_, keepAlive_ && !bodyPending, bodyPending);
        } else if (auto* toFile = std::get_if<BodyToFile>(&plan)) {
            readIntoFile(std::move(*toFile));
        } else {
            readIntoMemory();
        }
    }

    void readIntoMemory() {
        stringParser_.emplace(std::move(*headerParser_));
        headerParser_.reset();
        bodyLimit_ = ctx_->config.max_body_bytes;
        stringParser_->body_limit(bodyLimit_);
        if (announcedOverLimit(*stringParser_)) {
            failed(http::error::body_limit);
            return;
        }
        continueIfExpected(*stringParser_, [self = this->shared_from_this()] {
            beast::get_lowest_layer(self->stream_).expires_at(self->requestDeadline_);
            http::async_read(self->stream_, self->buffer_, *self->stringParser_,
                             [self](beast::error_code ec, std::size_t) { self->onBodyInMemory(ec); });
        });
    }

    void onBodyInMemory(beast::error_code ec) {
        if (done_ || failed(ec)) return;
        request_ = stringParser_->release();
        stringParser_.reset();
        if (websocket::is_upgrade(request_)) {
            upgrade();
            return;
        }
        head_.body = std::move(request_.body());
        dispatch();
    }

    void upgrade() {
        const std::string_view target = head_.target;
        if (target.substr(0, target.find('?')) != "/ws") {
            reply(errorResponse(protocol::ErrorCode::NotFound, "WebSocket endpoint is /ws"), version_, false, false);
            return;
        }
        const auto id = awaiting_ = ++lastRequest_;
        ctx_->handler.authenticateUpgrade(head_, [self = this->shared_from_this(), id, version = version_](
                                                     protocol::Result<DeviceIdentity> identity) {
            if (self->done_ || self->awaiting_ != id) return;
            self->awaiting_ = 0;
            if (!identity) {
                self->reply(errorResponse(identity.error()), version, false, false);
                return;
            }
            self->done_ = true; // the stream now belongs to the WebSocket session
            // Not make_shared: the transport's weak reference would keep the whole session's
            // memory, not just the control block, until it is pruned.
            std::shared_ptr<WebSocketSession<Stream>>(new WebSocketSession<Stream>(
                                                          std::move(self->stream_), self->ctx_, self->remote_,
                                                          std::move(self->slot_)))
                ->run(self->request_, *identity);
        });
    }

    void readIntoFile(BodyToFile plan) {
        fileParser_.emplace(std::move(*headerParser_));
        headerParser_.reset();
        bodyLimit_ = plan.max_bytes;
        fileParser_->body_limit(bodyLimit_);
        beast::error_code ec;
        fileParser_->get().body().open(plan.path.c_str(), beast::file_mode::write_new, ec);
        if (ec) {
            log::net()->error("cannot create upload file {}: {}", plan.path.string(), ec.message());
            fileParser_.reset();
            reply(errorResponse(protocol::ErrorCode::Internal, "cannot store the upload"), version_, false, true);
            return;
        }
        upload_ = FileRemover(std::move(plan.path));
        if (announcedOverLimit(*fileParser_)) {
            failed(http::error::body_limit);
            return;
        }
        continueIfExpected(*fileParser_, [self = this->shared_from_this()] { self->readFileChunk(); });
    }

    // Piece by piece, so that the idle timeout applies to each piece, not to the whole upload.
    void readFileChunk() {
        if (done_) return;
        if (fileParser_->is_done()) {
            onFileDone();
            return;
        }
        beast::get_lowest_layer(stream_).expires_after(ctx_->config.handshake_timeout);
        http::async_read_some(stream_, buffer_, *fileParser_,
                              [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                  if (!self->done_ && !self->failed(ec)) self->readFileChunk();
                              });
    }

    void onFileDone() {
        fileParser_->get().body().close();
        fileParser_.reset();
        std::error_code ec;
        const auto bytes = std::filesystem::file_size(upload_.path(), ec);
        if (ec) {
            upload_.reset();
            reply(errorResponse(protocol::ErrorCode::Internal, "cannot store the upload"), version_, keepAlive_, false);
            return;
        }
        head_.body_file_bytes = bytes;
        head_.body_file = upload_.release();
        dispatch();
    }

    void dispatch() {
        const auto id = awaiting_ = ++lastRequest_;
        ctx_->handler.handleHttp(std::move(head_), [self = this->shared_from_this(), id, version = version_,
                                                    keepAlive = keepAlive_](HttpResponse r) {
            if (self->awaiting_ != id) return; // answered already
            self->awaiting_ = 0;
            self->reply(std::move(r), version, keepAlive, false);
        });
    }

    template <class Parser>
    bool announcedOverLimit(const Parser& parser) const {
        const auto length = parser.content_length();
        return length && *length > bodyLimit_;
    }

    // Sends "100 Continue" first when the client waits for it before sending the body.
    template <class Parser, class Next>
    void continueIfExpected(const Parser& parser, Next next) {
        if (parser.is_done() || !beast::iequals(parser.get()[http::field::expect], "100-continue")) {
            next();
            return;
        }
        auto res = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
        http::async_write(stream_, *res,
                          [self = this->shared_from_this(), res, next = std::move(next)](beast::error_code ec,
                                                                                         std::size_t) mutable {
                              if (ec) self->closeNow();
                              else if (!self->done_) next();
                          });
    }

    template <class Body>
    void decorate(http::response<Body>& res, const HttpResponse& r, bool keepAlive, bool drainAfter) const {
        res.set(http::field::server, "natterd");
        if (!r.content_type.empty()) res.set(http::field::content_type, r.content_type);
        for (const auto& [name, value] : r.headers) res.set(name, value);
        res.keep_alive(keepAlive && !drainAfter && !ctx_->stopped);
    }

    // Writes one response; `drainAfter` closes the connection gracefully even though the
    // peer may still be sending (an oversized, refused or malformed request).
    void reply(HttpResponse r, unsigned version, bool keepAlive, bool drainAfter) {
        if (done_) return;
        draining_ = drainAfter;
        if (r.file) {
            replyWithFile(std::move(r), version, keepAlive);
            return;
        }
        auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
        decorate(*res, r, keepAlive, drainAfter);
        res->body() = std::move(r.body);
        res->prepare_payload();
        beast::get_lowest_layer(stream_).expires_after(ctx_->config.handshake_timeout);
        http::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
            self->afterWrite(ec, res->keep_alive());
        });
    }

    void replyWithFile(HttpResponse r, unsigned version, bool keepAlive) {
        SliceFile file;
        beast::error_code ec;
        file.openSlice(*r.file, ec);
        if (ec) {
            reply(errorResponse(protocol::ErrorCode::NotFound, "no longer available"), version, keepAlive, false);
            return;
        }
        auto res = std::make_shared<http::response<SliceBody>>(static_cast<http::status>(r.status), version);
        decorate(*res, r, keepAlive, false);
        res->body().reset(std::move(file), ec);
        res->prepare_payload();
        writeFileChunk(res, std::make_shared<http::response_serializer<SliceBody>>(*res));
    }

    // Piece by piece, so that the idle timeout applies to each piece, not to the whole download.
    void writeFileChunk(std::shared_ptr<http::response<SliceBody>> res,
                        std::shared_ptr<http::response_serializer<SliceBody>> serializer) {
        beast::get_lowest_layer(stream_).expires_after(ctx_->config.handshake_timeout);
        http::async_write_some(stream_, *serializer,
                               [self = this->shared_from_this(), res, serializer](beast::error_code ec, std::size_t) {
                                   if (!ec && !serializer->is_done()) self->writeFileChunk(res, serializer);
                                   else self->afterWrite(ec, res->keep_alive());
                               });
    }

    void afterWrite(beast::error_code ec, bool keepAlive) {
        if (ec) {
            closeNow();
        } else if (keepAlive) {
            startWaitingForRequest();
            read();
        } else {
            end();
        }
    }

    // After a "Connection: close" response: TLS close_notify, or half-close and wait for the
    // peer's close so it reads the response rather than a reset.
    void end() {
        if (done_) return;
        beast::get_lowest_layer(stream_).expires_after(kDrainTimeout);
        if constexpr (kIsTls<Stream>) {
            if (!draining_) {
                stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->closeNow(); });
                return;
            }
        } else {
            beast::error_code ignored;
            stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
        drain();
    }

    // Reads and discards until the peer closes or kDrainTimeout (set once, in end()) passes.
    void drain() {
        stream_.async_read_some(buffer_.prepare(16 * 1024),
                                [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                    if (ec) self->closeNow();
                                    else self->drain();
                                });
    }

    void closeNow() {
        if (done_) return;
        done_ = true;
        beast::get_lowest_layer(stream_).close();
    }

    Stream stream_;
    std::shared_ptr<SessionContext> ctx_;
    ConnectionLimiter::Slot slot_; // after ctx_, which owns the limiter: released first
    std::string remote_;
    std::chrono::steady_clock::time_point requestDeadline_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::empty_body>> headerParser_;
    std::optional<http::request_parser<http::string_body>> stringParser_;
    std::optional<http::request_parser<http::file_body>> fileParser_;
    http::request<http::string_body> request_; // kept for the WebSocket handshake
    HttpRequest head_;                         // the request being read
    FileRemover upload_;                       // the file the current body streams into
    unsigned version_ = 11;
    bool keepAlive_ = false;
    std::uint64_t bodyLimit_ = 0;
    std::uint64_t lastRequest_ = 0;
    std::uint64_t awaiting_ = 0; // the request whose answer is outstanding, 0 if none
    bool draining_ = false;
    bool done_ = false; // the stream is closed or belongs to a WebSocket session
};

} // namespace natter::server::transport_detail
