#include "cluster/redis_connection.h"

#include "cluster/redis_asio_adapter.h"
#include "logging/loggers.h"

#include <boost/asio/post.hpp>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <openssl/sha.h>

#include <charconv>
#include <memory>

namespace natter::server {

namespace {
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2000};
constexpr std::size_t kSubscribeChunk = 512;
} // namespace

std::optional<RedisEndpoint> parseRedisUrl(std::string_view url) {
    constexpr std::string_view scheme = "redis://";
    if (!url.starts_with(scheme)) return std::nullopt;
    url.remove_prefix(scheme.size());
    if (!url.empty() && url.back() == '/') url.remove_suffix(1);
    RedisEndpoint endpoint;
    const auto colon = url.rfind(':');
    endpoint.host = std::string(url.substr(0, colon));
    if (colon != std::string_view::npos) {
        const auto port = url.substr(colon + 1);
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) return std::nullopt;
        endpoint.port = static_cast<std::uint16_t>(value);
    }
    if (endpoint.host.empty() || endpoint.host.find_first_of("/@?#") != std::string::npos) return std::nullopt;
    return endpoint;
}

RedisConnection::RedisConnection(boost::asio::io_context& io, RedisEndpoint endpoint, std::string name,
                                 std::chrono::milliseconds timeout)
    : io_(io),
      endpoint_(std::move(endpoint)),
      name_(std::move(name)),
      resolver_(io),
      retry_(io),
      watchdog_(io),
      timeout_(timeout) {}

RedisConnection::~RedisConnection() { stop(); }

void RedisConnection::start() {
    if (!stopped_) return;
    stopped_ = false;
    connect();
}

void RedisConnection::stop() {
    stopped_ = true;
    retry_.cancel();
    resolver_.cancel();
    watchdog_.cancel();
    watchdogArmed_ = false;
    if (context_) {
        auto* ac = std::exchange(context_, nullptr);
        ac->data = nullptr; // callbacks run during the free must not touch this object
        redisAsyncFree(ac); // pending reply callbacks get a null reply
    }
    connectingSince_.reset();
    waiting_.clear();
    up_ = false;
}

void RedisConnection::connect() {
    if (stopped_) return;
    // hiredis resolves names with a blocking getaddrinfo: resolve here, asynchronously.
    resolver_.async_resolve(endpoint_.host, std::to_string(endpoint_.port),
                            [this](boost::system::error_code ec, boost::asio::ip::tcp::resolver::results_type results) {
                                if (ec == boost::asio::error::operation_aborted || stopped_) return;
                                if (ec || results.empty()) {
                                    log::cluster()->warn("redis {}: cannot resolve {}: {}", name_, endpoint_.host,
                                                         ec.message());
                                    scheduleReconnect();
                                    return;
                                }
                                connectTo(results.begin()->endpoint().address().to_string());
                            });
}

void RedisConnection::connectTo(const std::string& address) {
    redisAsyncContext* ac = redisAsyncConnect(address.c_str(), endpoint_.port);
    if (!ac) {
        scheduleReconnect();
        return;
    }
    if (ac->err) {
        log::cluster()->debug("redis {}: connect failed: {}", name_, ac->errstr);
        redisAsyncFree(ac);
        scheduleReconnect();
        return;
    }
    ac->data = this;
    attachRedisToAsio(ac, io_);
    redisAsyncSetDisconnectCallback(ac, &RedisConnection::onDisconnect);
    redisAsyncSetConnectCallback(ac, &RedisConnection::onConnect); // after the attach: it arms the first write
    context_ = ac;
    connectingSince_ = Clock::now();
    armWatchdog();
}

void RedisConnection::onConnect(const redisAsyncContext* ac, int status) {
    auto* self = static_cast<RedisConnection*>(ac->data);
    if (!self) return;
    if (status != REDIS_OK) {
        // hiredis frees the context after this returns, without a disconnect callback.
        log::cluster()->debug("redis {}: connect failed: {}", self->name_, ac->errstr ? ac->errstr : "");
        self->context_ = nullptr;
        self->connectingSince_.reset();
        self->scheduleReconnect();
        return;
    }
    redisEnableKeepAlive(const_cast<redisContext*>(&ac->c));
    self->connectingSince_.reset();
    // A hung Redis still completes the TCP handshake (the kernel does it): only an answer
    // shows that it serves. The watchdog bounds the wait.
    self->sendTracked({"PING"}, [self](std::optional<RedisReply> pong) {
        if (pong && !pong->isError()) self->becameUp();
    });
}

void RedisConnection::becameUp() {
    up_ = true;
    backoff_ = kFirstBackoff;
    if (everUp_) ++reconnects_;
    log::cluster()->info("redis {}: connected to {}:{}", name_, endpoint_.host, endpoint_.port);
    everUp_ = true;
    subscribeAll();
    if (onUp_) onUp_();
}

void RedisConnection::onDisconnect(const redisAsyncContext* ac, int status) {
    auto* self = static_cast<RedisConnection*>(ac->data);
    if (!self || self->context_ != ac) return; // stopped, or abandoned by the watchdog
    log::cluster()->warn("redis {}: connection lost{}{}", self->name_, status == REDIS_OK ? "" : ": ",
                         status == REDIS_OK || !ac->errstr ? "" : ac->errstr);
    self->context_ = nullptr; // hiredis frees it after this returns
    self->waiting_.clear();
    self->lost();
}

std::optional<RedisConnection::Clock::time_point> RedisConnection::oldestWaiting() const {
    std::optional<Clock::time_point> oldest = connectingSince_;
    if (!waiting_.empty() && (!oldest || waiting_.front() < *oldest)) oldest = waiting_.front();
    return oldest;
}

void RedisConnection::armWatchdog() {
    if (watchdogArmed_ || stopped_) return;
    const auto oldest = oldestWaiting();
    if (!oldest) return;
    watchdogArmed_ = true;
    watchdog_.expires_at(*oldest + timeout_);
    watchdog_.async_wait([this](boost::system::error_code ec) {
        if (ec) return; // stopped: this object may be gone
        watchdogArmed_ = false;
        const auto oldest = oldestWaiting();
        if (oldest && Clock::now() >= *oldest + timeout_) abandon();
        armWatchdog();
    });
}

void RedisConnection::abandon() {
    auto* ac = std::exchange(context_, nullptr);
    if (!ac) return;
    ++timeouts_;
    log::cluster()->warn("redis {}: no answer within {} ms; reconnecting", name_, timeout_.count());
    connectingSince_.reset();
    // Answers every waiting command with nullopt (ac->data still points here); the disconnect
    // callback sees context_ already cleared and leaves the rest to lost().
    redisAsyncFree(ac);
    waiting_.clear();
    lost();
}

void RedisConnection::lost() {
    const bool wasUp = std::exchange(up_, false);
    scheduleReconnect();
    if (wasUp && onDown_) onDown_();
}

void RedisConnection::scheduleReconnect() {
    if (stopped_) return;
    retry_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    retry_.async_wait([this](boost::system::error_code ec) {
        if (!ec) connect();
    });
}

bool RedisConnection::send(const std::vector<std::string>& args, void (*callback)(redisAsyncContext*, void*, void*),
                           void* privdata) {
    if (!context_ || args.empty()) return false;
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    ++commands_;
    return redisAsyncCommandArgv(context_, callback, privdata, static_cast<int>(args.size()), argv.data(),
                                 lengths.data()) == REDIS_OK;
}

bool RedisConnection::sendTracked(const std::vector<std::string>& args, ReplyHandler done) {
    auto handler = std::make_unique<ReplyHandler>(std::move(done));
    if (!send(args, &RedisConnection::onReply, handler.get())) {
        if (*handler) boost::asio::post(io_, [h = std::move(*handler)] { h(std::nullopt); });
        return false;
    }
    handler.release(); // onReply owns it now
    waiting_.push_back(Clock::now());
    armWatchdog();
    return true;
}

void RedisConnection::command(const std::vector<std::string>& args, ReplyHandler done) {
    if (!up_) {
        if (done) boost::asio::post(io_, [h = std::move(done)] { h(std::nullopt); });
        return;
    }
    sendTracked(args, std::move(done));
}

namespace {
std::string sha1Hex(std::string_view text) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 0xf];
    }
    return out;
}
} // namespace

void RedisConnection::eval(const char* script, std::vector<std::string> args, ReplyHandler done) {
    std::vector<std::string> command{"EVALSHA", sha1Hex(script)};
    command.insert(command.end(), args.begin(), args.end());
    this->command(command, [this, script, args = std::move(args), done = std::move(done)](std::optional<RedisReply> r) mutable {
        if (r && r->isError() && r->str.starts_with("NOSCRIPT")) {
            std::vector<std::string> full{"EVAL", script};
            full.insert(full.end(), args.begin(), args.end());
            this->command(full, std::move(done));
            return;
        }
        if (done) done(std::move(r));
    });
}

void RedisConnection::onReply(redisAsyncContext* ac, void* reply, void* privdata) {
    std::unique_ptr<ReplyHandler> handler(static_cast<ReplyHandler*>(privdata));
    auto* self = static_cast<RedisConnection*>(ac->data);
    if (!self) return; // stopped: the owner is going away, nobody waits any more
    if (!self->waiting_.empty()) self->waiting_.pop_front(); // replies come in order
    if (!*handler) return;
    if (reply) (*handler)(RedisReply::from(*static_cast<redisReply*>(reply)));
    else (*handler)(std::nullopt);
}

void RedisConnection::subscribe(const std::string& channel) {
    if (!channels_.insert(channel).second || !up_) return; // subscribeAll() sends it once up
    send({"SUBSCRIBE", channel}, &RedisConnection::onSubscriberReply, nullptr);
}

void RedisConnection::unsubscribe(const std::string& channel) {
    if (channels_.erase(channel) == 0 || !up_) return;
    send({"UNSUBSCRIBE", channel}, &RedisConnection::onSubscriberReply, nullptr);
}

void RedisConnection::subscribeAll() {
    std::vector<std::string> args{"SUBSCRIBE"};
    for (const auto& channel : channels_) {
        args.push_back(channel);
        if (args.size() > kSubscribeChunk) {
            send(args, &RedisConnection::onSubscriberReply, nullptr);
            args.resize(1);
        }
    }
    if (args.size() > 1) send(args, &RedisConnection::onSubscriberReply, nullptr);
}

void RedisConnection::onSubscriberReply(redisAsyncContext* ac, void* reply, void*) {
    auto* self = static_cast<RedisConnection*>(ac->data);
    if (!self || !reply || !self->onMessage_) return;
    const auto* r = static_cast<redisReply*>(reply);
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3) return;
    const auto* kind = r->element[0];
    if (kind->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_STRING) return;
    const std::string_view type(kind->str, kind->len);
    const std::string channel(r->element[1]->str, r->element[1]->len);
    if (type == "unsubscribe") {
        // hiredis 0.14 drops its callback for a channel when an UNSUBSCRIBE answer arrives, even
        // if a SUBSCRIBE of the same channel was sent after it: subscribe again when still wanted.
        if (self->channels_.contains(channel)) self->send({"SUBSCRIBE", channel}, &RedisConnection::onSubscriberReply, nullptr);
        return;
    }
    if (type != "message") return;
    self->onMessage_(std::string_view(r->element[1]->str, r->element[1]->len),
                     std::string_view(r->element[2]->str, r->element[2]->len));
}

} // namespace natter::server
