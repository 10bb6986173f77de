#include "client/crypto/media_cipher.h"

#include <QIODevice>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>

namespace natter::client::crypto {

namespace {

struct CipherCtxFree { void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); } };
struct MacCtxFree { void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); } };
struct MacFree { void operator()(EVP_MAC* m) const { EVP_MAC_free(m); } };
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

// Zeroes its bytes when it goes out of scope (keys, plaintext chunks).
struct SecretBytes {
    QByteArray bytes;
    explicit SecretBytes(qsizetype size) : bytes(size, '\0') {}
    ~SecretBytes() { OPENSSL_cleanse(bytes.data(), std::size_t(bytes.size())); }
    unsigned char* data() { return reinterpret_cast<unsigned char*>(bytes.data()); }
};

ClientError cryptoError(const char* what) { return makeClientError(ErrorKind::Crypto, QString::fromLatin1(what)); }
ClientError corrupted() {
    return makeClientError(ErrorKind::Corrupted, QStringLiteral("attachment failed verification (digest or MAC)"));
}
const unsigned char* u8(const QByteArray& b) { return reinterpret_cast<const unsigned char*>(b.constData()); }

Expected<MacCtx> newHmac(const unsigned char* key) {
    std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac) return cryptoError("HMAC unavailable");
    MacCtx ctx(EVP_MAC_CTX_new(mac.get()));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_init(ctx.get(), key + 32, 32, params) != 1) return cryptoError("HMAC init failed");
    return ctx;
}

Expected<MdCtx> newSha256() {
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return cryptoError("SHA-256 init failed");
    return ctx;
}

Expected<CipherCtx> newAes(const unsigned char* key, const unsigned char* iv, bool encrypt) {
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key, iv, encrypt ? 1 : 0) != 1)
        return cryptoError("AES init failed");
    return ctx;
}

Expected<void> writeAll(QIODevice& sink, const char* data, qint64 len) {
    if (len > 0 && sink.write(data, len) != len)
        return makeClientError(ErrorKind::Storage, QStringLiteral("writing the attachment failed"));
    return {};
}

// Reads exactly len bytes (less only at the end of the device); -1 on a read error.
qint64 readSome(QIODevice& source, char* into, qint64 len) {
    qint64 got = 0;
    while (got < len) {
        const qint64 n = source.read(into + got, len - got);
        if (n < 0) return -1;
        if (n == 0 && (!source.isSequential() || !source.waitForReadyRead(30000))) break;
        got += n;
    }
    return got;
}

ClientError readError() { return makeClientError(ErrorKind::Storage, QStringLiteral("reading the attachment failed")); }

} // namespace

Expected<MediaEncryption> MediaCipher::encrypt(QIODevice& source, QIODevice& sink, const MediaProgress& progress) {
    MediaEncryption result;
    SecretBytes key(kKeySize);
    unsigned char iv[kIvSize];
    if (RAND_bytes(key.data(), kKeySize) != 1 || RAND_bytes(iv, kIvSize) != 1) return cryptoError("no randomness");
    auto aes = newAes(key.data(), iv, true);
    if (!aes) return aes.error();
    auto mac = newHmac(key.data());
    if (!mac) return mac.error();
    auto sha = newSha256();
    if (!sha) return sha.error();

    // Everything written to sink passes through here: the MAC covers it all, the digest too.
    auto output = [&](const unsigned char* data, int len) -> Expected<void> {
        if (len <= 0) return {};
        if (EVP_MAC_update(mac->get(), data, std::size_t(len)) != 1 ||
            EVP_DigestUpdate(sha->get(), data, std::size_t(len)) != 1)
            return cryptoError("MAC update failed");
        result.blobSize += len;
        return writeAll(sink, reinterpret_cast<const char*>(data), len);
    };
    if (auto r = output(iv, kIvSize); !r) return r.error();

    const qint64 total = source.isSequential() ? 0 : source.size() - source.pos();
    SecretBytes plain(kChunkSize);
    QByteArray cipher(kChunkSize + 16, '\0');
    for (;;) {
        const qint64 n = readSome(source, plain.bytes.data(), kChunkSize);
        if (n < 0) return readError();
        if (n == 0) break;
        int outLen = 0;
        if (EVP_EncryptUpdate(aes->get(), reinterpret_cast<unsigned char*>(cipher.data()), &outLen, plain.data(),
                              int(n)) != 1)
            return cryptoError("AES encryption failed");
        if (auto r = output(u8(cipher), outLen); !r) return r.error();
        result.plaintextSize += n;
        if (progress) progress(result.plaintextSize, total);
        if (n < kChunkSize && source.atEnd()) break;
    }
    int outLen = 0;
    if (EVP_EncryptFinal_ex(aes->get(), reinterpret_cast<unsigned char*>(cipher.data()), &outLen) != 1)
        return cryptoError("AES encryption failed");
    if (auto r = output(u8(cipher), outLen); !r) return r.error();

    unsigned char tag[EVP_MAX_MD_SIZE];
    std::size_t tagLen = 0;
    if (EVP_MAC_final(mac->get(), tag, &tagLen, sizeof tag) != 1 || tagLen != kMacSize)
        return cryptoError("MAC failed");
    if (EVP_DigestUpdate(sha->get(), tag, tagLen) != 1) return cryptoError("digest failed");
    if (auto r = writeAll(sink, reinterpret_cast<const char*>(tag), qint64(tagLen)); !r) return r.error();
    result.blobSize += qint64(tagLen);

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLen = 0;
    if (EVP_DigestFinal_ex(sha->get(), digest, &digestLen) != 1) return cryptoError("digest failed");
    result.key = key.bytes;
    result.key.detach();
    result.digest = QByteArray(reinterpret_cast<const char*>(digest), qsizetype(digestLen));
    if (progress && total == 0) progress(result.plaintextSize, result.plaintextSize);
    return result;
}

Expected<qint64> MediaCipher::decrypt(QIODevice& blob, QIODevice& sink, const QByteArray& key, const QByteArray& digest,
                                      const MediaProgress& progress) {
    if (key.size() != kKeySize || digest.size() != 32)
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("attachment key or digest has a wrong size"));
    if (blob.isSequential())
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("attachment blob must be random access"));
    const qint64 size = blob.size();
    const qint64 cipherLen = size - kIvSize - kMacSize;
    if (cipherLen < 16 || cipherLen % 16 != 0) return corrupted();
    const qint64 total = 2 * size;
    QByteArray chunk(kChunkSize, '\0');

    // Pass 1: digest of everything and MAC of IV || ciphertext, nothing written.
    auto mac = newHmac(u8(key));
    if (!mac) return mac.error();
    auto sha = newSha256();
    if (!sha) return sha.error();
    if (!blob.seek(0)) return readError();
    QByteArray tag;
    for (qint64 done = 0; done < size;) {
        const qint64 n = readSome(blob, chunk.data(), std::min(kChunkSize, size - done));
        if (n <= 0) return readError();
        const qint64 macPart = std::clamp(size - kMacSize - done, qint64(0), n);
        if (EVP_DigestUpdate(sha->get(), chunk.constData(), std::size_t(n)) != 1 ||
            EVP_MAC_update(mac->get(), u8(chunk), std::size_t(macPart)) != 1)
            return cryptoError("verification failed");
        tag.append(chunk.constData() + macPart, n - macPart);
        done += n;
        if (progress) progress(done, total);
    }
    unsigned char computed[EVP_MAX_MD_SIZE];
    unsigned int digestLen = 0;
    std::size_t macLen = 0;
    if (EVP_DigestFinal_ex(sha->get(), computed, &digestLen) != 1 || digestLen != 32) return cryptoError("digest failed");
    if (CRYPTO_memcmp(computed, digest.constData(), 32) != 0) return corrupted();
    if (EVP_MAC_final(mac->get(), computed, &macLen, sizeof computed) != 1 || macLen != kMacSize)
        return cryptoError("MAC failed");
    if (tag.size() != kMacSize || CRYPTO_memcmp(computed, tag.constData(), kMacSize) != 0) return corrupted();

    // Still before any output: the last block's padding must be valid under this AES key
    // (catches a key whose MAC half is right but AES half wrong, with probability 255/256).
    if (!blob.seek(size - kMacSize - 2 * 16)) return readError();
    unsigned char tail[32];
    if (readSome(blob, reinterpret_cast<char*>(tail), 32) != 32) return readError();
    {
        auto check = newAes(u8(key), tail, false);
        if (!check) return check.error();
        unsigned char block[32];
        int len = 0;
        int finalLen = 0;
        const bool padded = EVP_DecryptUpdate(check->get(), block, &len, tail + 16, 16) == 1 &&
                            EVP_DecryptFinal_ex(check->get(), block + len, &finalLen) == 1;
        OPENSSL_cleanse(block, sizeof block);
        if (!padded) return corrupted();
    }

    // Pass 2: decrypt. The blob was just verified; the sink sees plaintext only from here on.
    if (!blob.seek(0)) return readError();
    unsigned char iv[kIvSize];
    if (readSome(blob, reinterpret_cast<char*>(iv), kIvSize) != kIvSize) return readError();
    auto aes = newAes(u8(key), iv, false);
    if (!aes) return aes.error();
    // The MAC again over what pass 2 reads: the blob must not have changed between passes.
    auto recheck = newHmac(u8(key));
    if (!recheck) return recheck.error();
    if (EVP_MAC_update(recheck->get(), iv, kIvSize) != 1) return cryptoError("MAC update failed");
    SecretBytes plain(kChunkSize + 16);
    qint64 written = 0;
    for (qint64 done = 0; done < cipherLen;) {
        const qint64 n = readSome(blob, chunk.data(), std::min(kChunkSize, cipherLen - done));
        if (n <= 0) return readError();
        int outLen = 0;
        if (EVP_MAC_update(recheck->get(), u8(chunk), std::size_t(n)) != 1) return cryptoError("MAC update failed");
        if (EVP_DecryptUpdate(aes->get(), plain.data(), &outLen, u8(chunk), int(n)) != 1)
            return cryptoError("AES decryption failed");
        if (auto r = writeAll(sink, plain.bytes.constData(), outLen); !r) return r.error();
        written += outLen;
        done += n;
        if (progress) progress(size + kIvSize + done, total);
    }
    int outLen = 0;
    if (EVP_DecryptFinal_ex(aes->get(), plain.data(), &outLen) != 1) return corrupted();
    if (auto r = writeAll(sink, plain.bytes.constData(), outLen); !r) return r.error();
    written += outLen;
    if (EVP_MAC_final(recheck->get(), computed, &macLen, sizeof computed) != 1 || macLen != kMacSize)
        return cryptoError("MAC failed");
    if (CRYPTO_memcmp(computed, tag.constData(), kMacSize) != 0)
        return makeClientError(ErrorKind::Corrupted,
                               QStringLiteral("attachment changed while it was decrypted: discard the output"));
    if (progress) progress(total, total);
    return written;
}

} // namespace natter::client::crypto
