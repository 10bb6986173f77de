// The `log` push provider for local use: writes each wake-up to the server log instead of
// sending it, and always reports it delivered.
#pragma once

#include "push/push_provider.h"

#include <boost/asio/io_context.hpp>

namespace natter::server {

class LogPushProvider final : public PushProvider {
public:
    explicit LogPushProvider(boost::asio::io_context& io) : io_(io) {}
    void deliver(DeviceKey device, const std::string& endpoint, const protocol::rest::PushWakeUp& wake,
                 std::function<void(PushResult)> done) override;

private:
    boost::asio::io_context& io_;
};

} // namespace natter::server
