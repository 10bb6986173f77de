// X25519 for libsignal-protocol-c from OpenSSL 3. The library computes every Curve25519
// agreement and key (Double Ratchet steps, X3DH) with its bundled portable curve25519-donna:
// 80% of a ratchet step's time here (BENCHMARKS.md). Its crypto provider has no hook for the
// curve, but the library calls curve25519_donna through its PLT, so the definition in
// openssl_x25519.cpp, linked into every program using this core, replaces it: the same
// RFC 7748 function, computed by OpenSSL's optimised code (about twice as fast per step).
#pragma once

#include <cstdint>

namespace natter::client::crypto {

// How many X25519 operations OpenSSL computed for libsignal in this process (tests check
// that the replacement is in effect).
std::uint64_t openSslX25519Operations();

// Referenced by OpenSslCryptoProvider so that the linker always takes the replacement in.
void linkOpenSslX25519();

} // namespace natter::client::crypto
