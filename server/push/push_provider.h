// How a wake-up reaches a device's push endpoint. PushNotifier decides when and how often;
// a provider only carries one wake-up and reports what became of it.
#pragma once

#include "protocol/rest.h"
#include "store/store.h"

#include <functional>
#include <string>

namespace natter::server {

enum class PushOutcome {
    delivered, // the endpoint accepted it (2xx)
    gone,      // the endpoint no longer exists (404/410): forget it
    retry,     // anything else (network error, timeout, 5xx, ...): try again later
    // The endpoint's host resolves to an address natterd does not send to (AddressPolicy):
    // nothing was sent and nothing was connected to. Forget it; the outcome must not depend
    // on whether anything listens there.
    refused,
};

struct PushResult {
    PushOutcome outcome = PushOutcome::retry;
    std::string detail; // for logs, e.g. "HTTP 503" or "connect: Connection refused"; never the URL
};

class PushProvider {
public:
    virtual ~PushProvider() = default;
    // Sends `wake` for `device` to `endpoint` (a URL accepted by parsePushEndpoint). `done`
    // runs exactly once, on the io thread, unless the provider was stopped first.
    virtual void deliver(DeviceKey device, const std::string& endpoint, const protocol::rest::PushWakeUp& wake,
                         std::function<void(PushResult)> done) = 0;
    // Abandons every wake-up in flight (server shutdown).
    virtual void stop() {}
};

} // namespace natter::server
