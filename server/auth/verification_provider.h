// How verification codes reach a phone. The real SMS gateway is a boundary we cannot
// reach here, so natterd ships a log provider (development) and a fixed-code provider (tests).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace natter::server {

class VerificationProvider {
public:
    virtual ~VerificationProvider() = default;
    // Makes a code for `phone` and sends it; returns the code so it can be stored hashed.
    virtual std::string issue(std::string_view phone) = 0;
    // Sends a code issued earlier, still valid, once more (the user asked again).
    virtual void resend(std::string_view phone, std::string_view code) = 0;
};

// From the --verification flag: "log" or "fixed:<code>"; nullptr if neither.
std::unique_ptr<VerificationProvider> makeVerificationProvider(std::string_view spec);

} // namespace natter::server
