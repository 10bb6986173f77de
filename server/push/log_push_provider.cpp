#include "push/log_push_provider.h"

#include "logging/loggers.h"
#include "push/push_endpoint.h"

#include <boost/asio/post.hpp>

namespace natter::server {

void LogPushProvider::deliver(DeviceKey device, const std::string& endpoint, const protocol::rest::PushWakeUp& wake,
                              std::function<void(PushResult)> done) {
    log::push()->info("wake-up for device {}.{}: chat {}, badge {} (endpoint host {})", device.user_id,
                      device.device_id, wake.chat_id, wake.badge, endpointHost(endpoint));
    // Completes like a real provider: later, on the io thread, never inside deliver().
    boost::asio::post(io_, [done = std::move(done)] { done(PushResult{PushOutcome::delivered, "logged"}); });
}

} // namespace natter::server
