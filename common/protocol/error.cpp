#include "protocol/error.h"

#include <array>
#include <stdexcept>
#include <utility>

namespace natter::protocol {
namespace {
struct ErrorInfo {
    ErrorCode code;
    std::string_view name;
    unsigned http;
};
constexpr std::array kErrors{
    ErrorInfo{ErrorCode::MalformedJson, "malformed_json", 400},
    ErrorInfo{ErrorCode::UnknownType, "unknown_type", 400},
    ErrorInfo{ErrorCode::InvalidField, "invalid_field", 400},
    ErrorInfo{ErrorCode::PayloadTooLarge, "payload_too_large", 413},
    ErrorInfo{ErrorCode::Unauthorized, "unauthorized", 401},
    ErrorInfo{ErrorCode::Forbidden, "forbidden", 403},
    ErrorInfo{ErrorCode::NotFound, "not_found", 404},
    ErrorInfo{ErrorCode::MethodNotAllowed, "method_not_allowed", 405},
    ErrorInfo{ErrorCode::DeviceMismatch, "device_mismatch", 409},
    ErrorInfo{ErrorCode::RateLimited, "rate_limited", 429},
    ErrorInfo{ErrorCode::VerificationFailed, "verification_failed", 403},
    ErrorInfo{ErrorCode::Conflict, "conflict", 409},
    ErrorInfo{ErrorCode::RangeNotSatisfiable, "range_not_satisfiable", 416},
    ErrorInfo{ErrorCode::DeviceRevoked, "device_revoked", 401},
    ErrorInfo{ErrorCode::Internal, "internal", 500},
};
} // namespace

std::string_view toString(ErrorCode code) {
    for (const auto& e : kErrors)
        if (e.code == code) return e.name;
    return "internal";
}

bool fromString(std::string_view name, ErrorCode& out) {
    for (const auto& e : kErrors) {
        if (e.name == name) {
            out = e.code;
            return true;
        }
    }
    return false;
}

unsigned httpStatus(ErrorCode code) {
    for (const auto& e : kErrors)
        if (e.code == code) return e.http;
    return 500;
}

std::string_view toString(RevocationReason reason) {
    return reason == RevocationReason::reregistered ? "reregistered" : "unlinked";
}

bool fromString(std::string_view text, RevocationReason& out) {
    for (auto reason : {RevocationReason::unlinked, RevocationReason::reregistered}) {
        if (toString(reason) == text) {
            out = reason;
            return true;
        }
    }
    return false;
}

std::string_view describe(RevocationReason reason) {
    if (reason == RevocationReason::reregistered)
        return "this phone number was registered again on another device; this device was signed out";
    return "this device was unlinked from the account";
}

Error makeRevokedError(RevocationReason reason) {
    Error e = makeError(ErrorCode::DeviceRevoked, std::string(describe(reason)));
    e.revoked = reason;
    return e;
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw std::runtime_error(std::string(toString(e.code)) + ": " + e.message);
}

} // namespace natter::protocol
