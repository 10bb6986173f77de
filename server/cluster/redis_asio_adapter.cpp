#include "cluster/redis_asio_adapter.h"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <hiredis/async.h>

#include <memory>

namespace natter::server {

namespace {

// One watched socket. Shared with the pending waits, so a wait that completes after hiredis
// freed the context finds `context` null and does nothing.
struct Watch {
    Watch(boost::asio::io_context& io, int fd, redisAsyncContext* ac) : socket(io, fd), context(ac) {}
    boost::asio::posix::stream_descriptor socket;
    redisAsyncContext* context;
    bool wantRead = false;
    bool wantWrite = false;
    bool readArmed = false;
    bool writeArmed = false;
};

using WatchPtr = std::shared_ptr<Watch>;

WatchPtr& watchOf(void* privdata) { return *static_cast<WatchPtr*>(privdata); }

void armRead(const WatchPtr& w);
void armWrite(const WatchPtr& w);

void armRead(const WatchPtr& w) {
    if (w->readArmed || !w->context || !w->wantRead) return;
    w->readArmed = true;
    w->socket.async_wait(boost::asio::posix::stream_descriptor::wait_read, [w](boost::system::error_code ec) {
        w->readArmed = false;
        if (ec == boost::asio::error::operation_aborted || !w->context || !w->wantRead) return;
        redisAsyncHandleRead(w->context); // may free the context: cleanup() nulls it
        armRead(w);
    });
}

void armWrite(const WatchPtr& w) {
    if (w->writeArmed || !w->context || !w->wantWrite) return;
    w->writeArmed = true;
    w->socket.async_wait(boost::asio::posix::stream_descriptor::wait_write, [w](boost::system::error_code ec) {
        w->writeArmed = false;
        if (ec == boost::asio::error::operation_aborted || !w->context || !w->wantWrite) return;
        redisAsyncHandleWrite(w->context);
        armWrite(w);
    });
}

void addRead(void* privdata) {
    auto& w = watchOf(privdata);
    w->wantRead = true;
    armRead(w);
}
void delRead(void* privdata) { watchOf(privdata)->wantRead = false; }
void addWrite(void* privdata) {
    auto& w = watchOf(privdata);
    w->wantWrite = true;
    armWrite(w);
}
void delWrite(void* privdata) { watchOf(privdata)->wantWrite = false; }

void cleanup(void* privdata) {
    auto* holder = static_cast<WatchPtr*>(privdata);
    auto& w = *holder;
    w->context = nullptr;
    w->wantRead = w->wantWrite = false;
    boost::system::error_code ignored;
    w->socket.cancel(ignored);
    w->socket.release(); // hiredis closes the socket itself
    delete holder;
}

} // namespace

bool attachRedisToAsio(redisAsyncContext* ac, boost::asio::io_context& io) {
    if (ac->ev.data != nullptr) return false;
    ac->ev.data = new WatchPtr(std::make_shared<Watch>(io, ac->c.fd, ac));
    ac->ev.addRead = addRead;
    ac->ev.delRead = delRead;
    ac->ev.addWrite = addWrite;
    ac->ev.delWrite = delWrite;
    ac->ev.cleanup = cleanup;
    return true;
}

} // namespace natter::server
