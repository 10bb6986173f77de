// The `webhook` push provider: POSTs each wake-up as JSON to its endpoint over HTTP/1.1,
// plain or TLS (system CA store, host name checked), with bounded time for every step. It
// connects only to the addresses PushTargetResolver checked; a host that resolves to a
// refused address is reported `refused` without any connection attempt.
#pragma once

#include "push/push_provider.h"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>

namespace natter::server {

class PushTargetResolver;

struct WebhookTimeouts {
    std::chrono::seconds connect{10};
    std::chrono::seconds request{10}; // the whole exchange, from resolving to the response header
};

class WebhookPushProvider final : public PushProvider {
public:
    // `targets` (whose timeout bounds resolving) must outlive the provider.
    WebhookPushProvider(boost::asio::io_context& io, const PushTargetResolver& targets, WebhookTimeouts timeouts = {});
    ~WebhookPushProvider() override;
    WebhookPushProvider(const WebhookPushProvider&) = delete;
    WebhookPushProvider& operator=(const WebhookPushProvider&) = delete;

    void deliver(DeviceKey device, const std::string& endpoint, const protocol::rest::PushWakeUp& wake,
                 std::function<void(PushResult)> done) override;
    void stop() override;

    class Impl; // Beast and OpenSSL stay in webhook_push_provider.cpp

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace natter::server
