#include "auth/verification_provider.h"

#include "auth/secrets.h"
#include "logging/loggers.h"

namespace natter::server {
namespace {

// Development: the code appears in the server log, where the operator reads it.
class LogProvider final : public VerificationProvider {
public:
    std::string issue(std::string_view phone) override {
        std::string code = secrets::randomDigits(6);
        log::auth()->info("verification code for {}: {}", phone, code);
        return code;
    }
    void resend(std::string_view phone, std::string_view code) override {
        log::auth()->info("verification code for {} (again): {}", phone, code);
    }
};

// Tests and local setups: every code is the configured one.
class FixedProvider final : public VerificationProvider {
public:
    explicit FixedProvider(std::string code) : code_(std::move(code)) {}
    std::string issue(std::string_view) override { return code_; }
    void resend(std::string_view, std::string_view) override {}

private:
    std::string code_;
};

} // namespace

std::unique_ptr<VerificationProvider> makeVerificationProvider(std::string_view spec) {
    if (spec == "log") return std::make_unique<LogProvider>();
    if (spec.starts_with("fixed:") && spec.size() > 6) return std::make_unique<FixedProvider>(std::string(spec.substr(6)));
    return nullptr;
}

} // namespace natter::server
