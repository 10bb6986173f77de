// Turns libsignal-protocol-c return codes into ClientErrors with a readable message
// (never key material or plaintext), so every caller reports failures the same way.
#pragma once

#include "client/core/result.h"

namespace natter::client::crypto {

// A short description of a libsignal return code ("duplicate message", "invalid MAC", ...).
QString signalErrorText(int rc);
// ErrorKind::Crypto with "<operation>: <description> (<rc>)".
ClientError signalError(int rc, const QString& operation);

} // namespace natter::client::crypto
