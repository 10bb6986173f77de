// Errors of the client core and the Expected<T> they travel in: expected failures (wrong
// passphrase, server refusals, network loss, bad input) are values, never exceptions.
#pragma once

#include <QString>

#include <boost/system/result.hpp>

namespace natter::client {

enum class ErrorKind {
    WrongPassphrase, // the store exists but this passphrase does not open it
    StoreLocked,     // another process holds the profile
    Storage,         // SQLCipher / file system failure
    Crypto,          // Signal protocol or media crypto failure (bad MAC, unknown key, ...)
    Network,         // the server could not be reached or the connection dropped
    Server,          // the server answered with an error body (serverCode says which)
    InvalidArgument, // the caller passed something unusable
    NotFound,        // unknown chat, contact, message or file
    Corrupted,       // data failed verification (digest or MAC mismatch)
    Revoked,         // the server revoked this device (unlinked, or its number registered elsewhere)
};

struct ClientError {
    ErrorKind kind = ErrorKind::Storage;
    QString message;    // human readable; never contains secrets or message content
    QString serverCode; // ErrorKind::Server (and Revoked) only: the protocol's code, e.g. "device_mismatch"
    int httpStatus = 0; // ErrorKind::Server (and Revoked) only
    QString param;      // InvalidArgument of a JSON-RPC method: the parameter at fault (e.g. "text")
};

// Lets boost::system::result<T, ClientError>::value() throw when misused.
[[noreturn]] void throw_exception_from_error(const ClientError& e, const boost::source_location& loc);

template <class T = void>
using Expected = boost::system::result<T, ClientError>;

inline ClientError makeClientError(ErrorKind kind, QString message) {
    return ClientError{kind, std::move(message), {}, 0, {}};
}

// The value of r, or fallback when r holds an error (boost::system::result has no value_or).
template <class T>
T valueOr(const Expected<T>& r, T fallback) {
    return r ? *r : std::move(fallback);
}

// Stable lower-case name of a kind ("wrong_passphrase"), for logs and --json output.
QString toString(ErrorKind kind);

} // namespace natter::client
