// The crypto provider libsignal-protocol-c needs (random, HMAC-SHA256, SHA-512, AES-CBC/CTR),
// implemented over OpenSSL 3 EVP. One instance per SignalAccount; it must outlive its context.
#pragma once

#include "client/core/result.h"

#include <signal_protocol.h>

#include <memory>

typedef struct evp_mac_st EVP_MAC;
typedef struct evp_md_st EVP_MD;

namespace natter::client::crypto {

class OpenSslCryptoProvider {
public:
    // Fetches the OpenSSL algorithms once; fails when OpenSSL lacks one of them.
    static Expected<std::unique_ptr<OpenSslCryptoProvider>> create();
    ~OpenSslCryptoProvider();
    OpenSslCryptoProvider(const OpenSslCryptoProvider&) = delete;
    OpenSslCryptoProvider& operator=(const OpenSslCryptoProvider&) = delete;

    // All function pointers set, user_data = this (for signal_context_set_crypto_provider).
    signal_crypto_provider provider();

    EVP_MAC* hmac() const { return m_hmac; }
    const EVP_MD* sha512() const { return m_sha512; }

private:
    OpenSslCryptoProvider() = default;
    EVP_MAC* m_hmac = nullptr;
    EVP_MD* m_sha512 = nullptr;
};

} // namespace natter::client::crypto
