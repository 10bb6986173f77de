// Runs BlobStore calls one at a time on a thread of their own, so fsyncs of large uploads
// never stall the io thread, and posts each result back to the io thread.
#pragma once

#include "protocol/error.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <exception>
#include <type_traits>
#include <utility>

namespace natter::server {

class MediaWorker {
public:
    explicit MediaWorker(boost::asio::io_context& io) : io_(io) {}
    ~MediaWorker() { shutdown(); }
    MediaWorker(const MediaWorker&) = delete;
    MediaWorker& operator=(const MediaWorker&) = delete;

    // Runs fn() -> protocol::Result<T> on the media thread, then done(result) on the io thread.
    // An exception from fn becomes an "internal" error.
    template <class Fn, class Done>
    void submit(Fn fn, Done done) {
        boost::asio::post(pool_, [&io = io_, fn = std::move(fn), done = std::move(done)]() mutable {
            using R = std::invoke_result_t<Fn&>;
            auto result = [&]() -> R {
                try {
                    return fn();
                } catch (const std::exception& e) {
                    return protocol::makeError(protocol::ErrorCode::Internal, e.what());
                }
            }();
            boost::asio::post(io, [done = std::move(done), result = std::move(result)]() mutable {
                done(std::move(result));
            });
        });
    }

    // Finishes the calls already submitted, then stops the thread; later calls never run.
    void shutdown() { pool_.join(); }

private:
    boost::asio::io_context& io_;
    boost::asio::thread_pool pool_{1};
};

} // namespace natter::server
