// One connection to Redis on the io thread (hiredis async API over Asio): commands with
// reply callbacks, or subscriber mode with a message handler. Reconnects by itself with
// backoff (100 ms doubling to 2 s) until stopped; a subscriber re-subscribes its channels.
// A connection counts as up once Redis answered a PING on it, and a watchdog drops it when a
// connect or a command goes unanswered for the timeout (a hung Redis, not only a dead one).
// Owns its redisAsyncContext (RAII): destroying the connection frees it.
#pragma once

#include "cluster/redis_reply.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

struct redisAsyncContext;

namespace natter::server {

struct RedisEndpoint {
    std::string host;
    std::uint16_t port = 6379;
};
// "redis://HOST:PORT" (port optional, 6379); nullopt for anything else.
std::optional<RedisEndpoint> parseRedisUrl(std::string_view url);

class RedisConnection {
public:
    // nullopt: the command was not answered (not connected, the connection was lost, or
    // Redis did not answer within the timeout).
    using ReplyHandler = std::function<void(std::optional<RedisReply>)>;
    using MessageHandler = std::function<void(std::string_view channel, std::string_view payload)>;
    static constexpr std::chrono::milliseconds kDefaultTimeout{2000};

    RedisConnection(boost::asio::io_context& io, RedisEndpoint endpoint, std::string name,
                    std::chrono::milliseconds timeout = kDefaultTimeout);
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    // Called on the io thread each time the connection comes up / goes down.
    void onUp(std::function<void()> f) { onUp_ = std::move(f); }
    void onDown(std::function<void()> f) { onDown_ = std::move(f); }
    // Turns this into a subscriber connection: messages of subscribed channels go here.
    void setMessageHandler(MessageHandler f) { onMessage_ = std::move(f); }

    void start();
    void stop();
    bool up() const { return up_; }

    // Sends a command; `done` (optional) runs on the io thread, also when it fails. Not on a
    // subscriber connection (hiredis 0.14 would never answer it there).
    void command(const std::vector<std::string>& args, ReplyHandler done = {});
    // EVALSHA of `script` (its SHA-1), falling back to EVAL once when Redis does not know it yet
    // (NOSCRIPT: first use, or Redis restarted). `args` start with numkeys.
    void eval(const char* script, std::vector<std::string> args, ReplyHandler done = {});
    // Subscriber mode: the channel set survives reconnects.
    void subscribe(const std::string& channel);
    void unsubscribe(const std::string& channel);

    std::uint64_t commandsSent() const { return commands_; }
    std::uint64_t reconnects() const { return reconnects_; }
    // Connections dropped because Redis did not answer within the timeout.
    std::uint64_t timeouts() const { return timeouts_; }

private:
    using Clock = std::chrono::steady_clock;

    static void onConnect(const redisAsyncContext* ac, int status);
    static void onDisconnect(const redisAsyncContext* ac, int status);
    static void onReply(redisAsyncContext* ac, void* reply, void* privdata);
    static void onSubscriberReply(redisAsyncContext* ac, void* reply, void* privdata);

    void connect();
    void connectTo(const std::string& address);
    // The connection answered its first PING: it is up.
    void becameUp();
    void lost();
    void scheduleReconnect();
    bool send(const std::vector<std::string>& args, void (*callback)(redisAsyncContext*, void*, void*), void* privdata);
    // Sends a command whose reply (FIFO) the watchdog waits for.
    bool sendTracked(const std::vector<std::string>& args, ReplyHandler done);
    void subscribeAll();
    // The oldest connect or command still waiting for Redis, if any.
    std::optional<Clock::time_point> oldestWaiting() const;
    void armWatchdog();
    // Redis did not answer in time: fail what waits and reconnect.
    void abandon();

    boost::asio::io_context& io_;
    RedisEndpoint endpoint_;
    std::string name_;
    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::steady_timer retry_;
    boost::asio::steady_timer watchdog_;
    std::chrono::milliseconds timeout_;
    redisAsyncContext* context_ = nullptr;
    std::optional<Clock::time_point> connectingSince_; // until the first PING is answered
    std::deque<Clock::time_point> waiting_;            // send times of unanswered tracked commands
    bool watchdogArmed_ = false;
    bool up_ = false;
    bool stopped_ = true;
    bool everUp_ = false;
    std::chrono::milliseconds backoff_{100};
    std::function<void()> onUp_;
    std::function<void()> onDown_;
    MessageHandler onMessage_;
    std::set<std::string> channels_;
    std::uint64_t commands_ = 0;
    std::uint64_t reconnects_ = 0;
    std::uint64_t timeouts_ = 0;
};

} // namespace natter::server
