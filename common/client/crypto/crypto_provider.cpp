#include "client/crypto/crypto_provider.h"

#include "client/crypto/openssl_x25519.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <climits>
#include <vector>

namespace natter::client::crypto {

namespace {

OpenSslCryptoProvider* self(void* userData) { return static_cast<OpenSslCryptoProvider*>(userData); }

int randomBytes(std::uint8_t* data, std::size_t len, void*) {
    while (len > 0) {
        const int chunk = len > std::size_t(INT_MAX) ? INT_MAX : int(len);
        if (RAND_bytes(data, chunk) != 1) return SG_ERR_UNKNOWN;
        data += chunk;
        len -= std::size_t(chunk);
    }
    return SG_SUCCESS;
}

int hmacInit(void** context, const std::uint8_t* key, std::size_t keyLen, void* userData) {
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(self(userData)->hmac());
    if (!ctx) return SG_ERR_NOMEM;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    static const std::uint8_t kEmpty = 0;
    if (EVP_MAC_init(ctx, keyLen ? key : &kEmpty, keyLen, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return SG_ERR_UNKNOWN;
    }
    *context = ctx;
    return SG_SUCCESS;
}

int hmacUpdate(void* context, const std::uint8_t* data, std::size_t len, void*) {
    return EVP_MAC_update(static_cast<EVP_MAC_CTX*>(context), data, len) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int hmacFinal(void* context, signal_buffer** output, void*) {
    std::uint8_t mac[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    if (EVP_MAC_final(static_cast<EVP_MAC_CTX*>(context), mac, &len, sizeof mac) != 1) return SG_ERR_UNKNOWN;
    signal_buffer* buffer = signal_buffer_create(mac, len);
    OPENSSL_cleanse(mac, sizeof mac);
    if (!buffer) return SG_ERR_NOMEM;
    *output = buffer;
    return SG_SUCCESS;
}

void hmacCleanup(void* context, void*) { EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(context)); }

int sha512Init(void** context, void* userData) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx) return SG_ERR_NOMEM;
    if (EVP_DigestInit_ex(ctx, self(userData)->sha512(), nullptr) != 1) {
        EVP_MD_CTX_free(ctx);
        return SG_ERR_UNKNOWN;
    }
    *context = ctx;
    return SG_SUCCESS;
}

int sha512Update(void* context, const std::uint8_t* data, std::size_t len, void*) {
    return EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context), data, len) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int sha512Final(void* context, signal_buffer** output, void* userData) {
    auto* ctx = static_cast<EVP_MD_CTX*>(context);
    std::uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx, md, &len) != 1) return SG_ERR_UNKNOWN;
    // The header asks for a context ready for reuse after finalizing.
    if (EVP_DigestInit_ex(ctx, self(userData)->sha512(), nullptr) != 1) return SG_ERR_UNKNOWN;
    signal_buffer* buffer = signal_buffer_create(md, len);
    if (!buffer) return SG_ERR_NOMEM;
    *output = buffer;
    return SG_SUCCESS;
}

void sha512Cleanup(void* context, void*) { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context)); }

const EVP_CIPHER* aesCipher(int cipher, std::size_t keyLen) {
    if (cipher == SG_CIPHER_AES_CBC_PKCS5) {
        switch (keyLen) {
        case 16: return EVP_aes_128_cbc();
        case 24: return EVP_aes_192_cbc();
        case 32: return EVP_aes_256_cbc();
        default: return nullptr;
        }
    }
    if (cipher == SG_CIPHER_AES_CTR_NOPADDING) {
        switch (keyLen) {
        case 16: return EVP_aes_128_ctr();
        case 24: return EVP_aes_192_ctr();
        case 32: return EVP_aes_256_ctr();
        default: return nullptr;
        }
    }
    return nullptr;
}

// One-shot AES in either direction; the result is copied into a new signal_buffer and the
// temporary (possibly plaintext) zeroed.
int aes(bool encrypt, signal_buffer** output, int cipher, const std::uint8_t* key, std::size_t keyLen,
        const std::uint8_t* iv, std::size_t ivLen, const std::uint8_t* input, std::size_t inputLen) {
    const EVP_CIPHER* evp = aesCipher(cipher, keyLen);
    if (!evp || ivLen != 16 || inputLen > std::size_t(INT_MAX) - 32) return SG_ERR_INVAL;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (!ctx) return SG_ERR_NOMEM;
    std::vector<std::uint8_t> out(inputLen + 32);
    int rc = SG_ERR_UNKNOWN;
    int len = 0;
    int finalLen = 0;
    if (EVP_CipherInit_ex(ctx, evp, nullptr, key, iv, encrypt ? 1 : 0) == 1 &&
        EVP_CIPHER_CTX_set_padding(ctx, cipher == SG_CIPHER_AES_CBC_PKCS5 ? 1 : 0) == 1 &&
        EVP_CipherUpdate(ctx, out.data(), &len, input, int(inputLen)) == 1 &&
        EVP_CipherFinal_ex(ctx, out.data() + len, &finalLen) == 1) {
        signal_buffer* buffer = signal_buffer_create(out.data(), std::size_t(len + finalLen));
        rc = buffer ? SG_SUCCESS : SG_ERR_NOMEM;
        if (buffer) *output = buffer;
    }
    OPENSSL_cleanse(out.data(), out.size());
    EVP_CIPHER_CTX_free(ctx);
    return rc;
}

int encryptFunc(signal_buffer** output, int cipher, const std::uint8_t* key, std::size_t keyLen, const std::uint8_t* iv,
                std::size_t ivLen, const std::uint8_t* plaintext, std::size_t plaintextLen, void*) {
    return aes(true, output, cipher, key, keyLen, iv, ivLen, plaintext, plaintextLen);
}

int decryptFunc(signal_buffer** output, int cipher, const std::uint8_t* key, std::size_t keyLen, const std::uint8_t* iv,
                std::size_t ivLen, const std::uint8_t* ciphertext, std::size_t ciphertextLen, void*) {
    return aes(false, output, cipher, key, keyLen, iv, ivLen, ciphertext, ciphertextLen);
}

} // namespace

Expected<std::unique_ptr<OpenSslCryptoProvider>> OpenSslCryptoProvider::create() {
    linkOpenSslX25519();
    std::unique_ptr<OpenSslCryptoProvider> p(new OpenSslCryptoProvider());
    p->m_hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    p->m_sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
    if (!p->m_hmac || !p->m_sha512)
        return makeClientError(ErrorKind::Crypto, QStringLiteral("OpenSSL lacks HMAC or SHA-512"));
    return p;
}

OpenSslCryptoProvider::~OpenSslCryptoProvider() {
    EVP_MAC_free(m_hmac);
    EVP_MD_free(m_sha512);
}

signal_crypto_provider OpenSslCryptoProvider::provider() {
    signal_crypto_provider p{};
    p.random_func = randomBytes;
    p.hmac_sha256_init_func = hmacInit;
    p.hmac_sha256_update_func = hmacUpdate;
    p.hmac_sha256_final_func = hmacFinal;
    p.hmac_sha256_cleanup_func = hmacCleanup;
    p.sha512_digest_init_func = sha512Init;
    p.sha512_digest_update_func = sha512Update;
    p.sha512_digest_final_func = sha512Final;
    p.sha512_digest_cleanup_func = sha512Cleanup;
    p.encrypt_func = encryptFunc;
    p.decrypt_func = decryptFunc;
    p.user_data = this;
    return p;
}

} // namespace natter::client::crypto
