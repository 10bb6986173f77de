#include "client/crypto/openssl_x25519.h"

#include <openssl/evp.h>

#include <dlfcn.h>

#include <atomic>
#include <memory>

namespace natter::client::crypto {

namespace {

std::atomic<std::uint64_t> g_operations{0};

struct PkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};

// X25519(scalar, point) into out[32]; false when OpenSSL refuses (it rejects an all-zero
// result, i.e. a small-order point) or runs out of memory.
bool openSslX25519(std::uint8_t* out, const std::uint8_t* scalar, const std::uint8_t* point) {
    const std::unique_ptr<EVP_PKEY, PkeyFree> own(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, scalar, 32));
    const std::unique_ptr<EVP_PKEY, PkeyFree> peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, point, 32));
    if (!own || !peer) return false;
    const std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(own.get(), nullptr));
    std::size_t length = 32;
    return ctx && EVP_PKEY_derive_init(ctx.get()) == 1 && EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 0) == 1 &&
           EVP_PKEY_derive(ctx.get(), out, &length) == 1 && length == 32;
}

using Donna = int (*)(std::uint8_t*, const std::uint8_t*, const std::uint8_t*);

} // namespace

std::uint64_t openSslX25519Operations() { return g_operations.load(std::memory_order_relaxed); }

void linkOpenSslX25519() {}

} // namespace natter::client::crypto

// The replacement itself (see the header). Where OpenSSL declines, the library's own donna
// computes the result, so every input gives exactly what the library would have given.
extern "C" int curve25519_donna(std::uint8_t* out, const std::uint8_t* scalar, const std::uint8_t* point) {
    using namespace natter::client::crypto;
    if (openSslX25519(out, scalar, point)) {
        g_operations.fetch_add(1, std::memory_order_relaxed);
        return 0;
    }
    static const auto library = reinterpret_cast<Donna>(dlsym(RTLD_NEXT, "curve25519_donna"));
    return library ? library(out, scalar, point) : -1;
}
