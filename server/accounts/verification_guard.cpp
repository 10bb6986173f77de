#include "accounts/verification_guard.h"

#include <algorithm>

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

namespace {
constexpr TimestampMs kHourMs = 3'600'000;
}

VerificationGuard::VerificationGuard(VerificationLimits limits)
    : perNumber_(kCodesPerNumber, kWindowMs),
      perAddress_(static_cast<double>(limits.codes_per_address), kHourMs),
      global_(static_cast<double>(limits.codes_global), kHourMs) {}

void VerificationGuard::setLimits(VerificationLimits limits) {
    perAddress_.setCapacity(static_cast<double>(limits.codes_per_address));
    global_.setCapacity(static_cast<double>(limits.codes_global));
}

std::string VerificationGuard::pairKey(const std::string& phone, const std::string& address) {
    return phone + ' ' + address;
}

std::optional<protocol::Error> VerificationGuard::admitCodeRequest(const std::string& phone, const std::string& address,
                                                                   TimestampMs now) {
    const std::string pair = pairKey(phone, address);
    if (!perNumber_.canSpend(pair, 1, now))
        return makeError(ErrorCode::RateLimited, "too many verification codes requested for this number; wait 10 minutes");
    if (!perAddress_.canSpend(address, 1, now))
        return makeError(ErrorCode::RateLimited, "too many verification codes requested from your address; try again later");
    if (!global_.canSpend(0, 1, now))
        return makeError(ErrorCode::RateLimited, "the server is sending too many verification codes; try again later");
    perNumber_.spend(pair, 1, now);
    perAddress_.spend(address, 1, now);
    global_.spend(0, 1, now);
    wrong_.erase(pair); // asking again starts this address's count of wrong codes over
    return std::nullopt;
}

bool VerificationGuard::mayTryCode(const std::string& phone, const std::string& address, TimestampMs now) const {
    const auto it = wrong_.find(pairKey(phone, address));
    return it == wrong_.end() || it->second.first <= now - kWindowMs || it->second.count < kWrongCodes;
}

void VerificationGuard::countWrongCode(const std::string& phone, const std::string& address, TimestampMs now) {
    if (wrong_.size() >= pruneWrongAt_) {
        std::erase_if(wrong_, [&](const auto& entry) { return entry.second.first <= now - kWindowMs; });
        pruneWrongAt_ = std::max<std::size_t>(64, 2 * wrong_.size());
    }
    auto& entry = wrong_[pairKey(phone, address)];
    if (entry.count == 0 || entry.first <= now - kWindowMs) entry = WrongCodes{0, now};
    ++entry.count;
}

} // namespace natter::server
