// Error codes shared by WebSocket error frames and REST error bodies, and the
// Result type every expected failure travels in (no exceptions across the protocol).
#pragma once

#include "protocol/types.h"

#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natter::protocol {

enum class ErrorCode {
    MalformedJson,      // the frame or body is not a JSON object
    UnknownType,        // "type" names no frame this endpoint accepts
    InvalidField,       // a field is missing, has the wrong type or an invalid value
    PayloadTooLarge,    // frame or body over the configured size limit
    Unauthorized,       // missing, expired or forged credential
    Forbidden,          // authenticated, but not allowed (e.g. not a chat participant)
    NotFound,           // unknown id (chat, message, user, device) or path
    MethodNotAllowed,   // REST: the path exists but not with this HTTP method
    DeviceMismatch,     // envelopes do not cover exactly the chat's current devices
    RateLimited,        // too many requests; retry later
    VerificationFailed, // wrong, expired or exhausted verification code
    Conflict,           // the request conflicts with current state
    RangeNotSatisfiable, // media download: the Range header starts past the end of the file
    DeviceRevoked,      // the credential belongs to a device that was unlinked or signed out
    Internal,           // the server failed; the request had no effect
};

// Stable wire name, e.g. "invalid_field".
std::string_view toString(ErrorCode code);
// Inverse of toString; NotFound-safe: returns false for unknown names.
bool fromString(std::string_view name, ErrorCode& out);
// HTTP status that REST responses use for this code.
unsigned httpStatus(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message; // human readable, never contains secrets or message content
    std::vector<DeviceAddress> missing_devices; // device_mismatch only: devices lacking an envelope
    std::vector<DeviceAddress> extra_devices;   // device_mismatch only: envelopes for no current device
    std::optional<RevocationReason> revoked;    // device_revoked only: why
};

// Lets boost::system::result<T, Error>::value() throw when misused.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message), {}, {}, {}}; }

// Wire text of a reason ("unlinked", "reregistered"): WebSocket close reasons, error bodies.
std::string_view toString(RevocationReason reason);
// Inverse of toString; false for unknown text.
bool fromString(std::string_view text, RevocationReason& out);
// What the user is told, in plain words ("this device was unlinked from the account").
std::string_view describe(RevocationReason reason);
// The device_revoked error for a device revoked for `reason`.
Error makeRevokedError(RevocationReason reason);

} // namespace natter::protocol
