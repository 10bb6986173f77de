// Cryptographically secure random bytes (OpenSSL's RAND_bytes) for secrets the client makes.
#pragma once

#include <QByteArray>

namespace natter::client {

// Aborts only if the system's random source is broken (OpenSSL cannot seed).
QByteArray randomBytes(int count);

} // namespace natter::client
