// Limits on asking for and trying verification codes, shaped so that nobody can use them up
// for someone else: code requests are limited per client address, server-wide and per (number,
// address); wrong codes are counted per (number, address). Worker thread only (AccountService).
#pragma once

#include "limits/budget_map.h"
#include "protocol/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace natter::server {

using protocol::TimestampMs;

struct VerificationLimits {
    std::uint64_t codes_per_address = 20; // codes one client address may request per hour
    std::uint64_t codes_global = 500;     // codes the whole server sends per hour
};

class VerificationGuard {
public:
    static constexpr int kCodesPerNumber = 5;           // per (number, address) ...
    static constexpr TimestampMs kWindowMs = 600'000;   // ... per 10 minutes
    static constexpr int kWrongCodes = 5;               // per (number, address) until it asks again

    explicit VerificationGuard(VerificationLimits limits);
    // New hourly limits (SIGHUP): codes requested in the last hour still count.
    void setLimits(VerificationLimits limits);

    // Counts a code request for `phone` from `address`, or says which limit refuses it.
    std::optional<protocol::Error> admitCodeRequest(const std::string& phone, const std::string& address,
                                                    TimestampMs now);
    // Whether `address` may still try a code for `phone`.
    bool mayTryCode(const std::string& phone, const std::string& address, TimestampMs now) const;
    void countWrongCode(const std::string& phone, const std::string& address, TimestampMs now);

private:
    struct WrongCodes {
        int count = 0;
        TimestampMs first = 0; // they stop counting kWindowMs after the first
    };
    static std::string pairKey(const std::string& phone, const std::string& address);

    BudgetMap<std::string> perNumber_;  // keyed by pairKey
    BudgetMap<std::string> perAddress_;
    BudgetMap<int> global_;             // one key: 0
    std::unordered_map<std::string, WrongCodes> wrong_;
    std::size_t pruneWrongAt_ = 64;
};

} // namespace natter::server
