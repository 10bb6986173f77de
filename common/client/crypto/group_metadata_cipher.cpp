#include "client/crypto/group_metadata_cipher.h"

#include "protocol/base64.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace natter::client::crypto {

namespace {

struct CtxFree { void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); } };
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

ClientError failure(const char* what) { return makeClientError(ErrorKind::Crypto, QString::fromLatin1(what)); }
unsigned char* u8(QByteArray& b) { return reinterpret_cast<unsigned char*>(b.data()); }
const unsigned char* u8(const QByteArray& b) { return reinterpret_cast<const unsigned char*>(b.constData()); }

Expected<void> checkSecret(const QByteArray& secret) {
    if (secret.size() != GroupMetadataCipher::kSecretSize)
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("group secret must be 32 bytes"));
    return {};
}

} // namespace

Expected<QByteArray> GroupMetadataCipher::generateSecret() {
    QByteArray secret(kSecretSize, '\0');
    if (RAND_bytes(u8(secret), kSecretSize) != 1) return failure("no randomness");
    return secret;
}

Expected<QString> GroupMetadataCipher::seal(const QByteArray& secret, const QString& plaintext) {
    if (auto r = checkSecret(secret); !r) return r.error();
    QByteArray plain = plaintext.toUtf8();
    QByteArray out(kNonceSize + plain.size() + kTagSize, '\0');
    unsigned char* nonce = u8(out);
    unsigned char* body = nonce + kNonceSize;
    if (RAND_bytes(nonce, kNonceSize) != 1) return failure("no randomness");
    Ctx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    int finalLen = 0;
    const bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) == 1 &&
                    EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, u8(secret), nonce) == 1 &&
                    EVP_EncryptUpdate(ctx.get(), body, &len, u8(plain), int(plain.size())) == 1 &&
                    EVP_EncryptFinal_ex(ctx.get(), body + len, &finalLen) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, body + plain.size()) == 1;
    OPENSSL_cleanse(plain.data(), std::size_t(plain.size()));
    if (!ok) return failure("sealing group metadata failed");
    const std::string encoded =
        protocol::base64::encode(std::string_view(out.constData(), std::size_t(out.size())));
    return QString::fromLatin1(encoded.data(), qsizetype(encoded.size()));
}

Expected<QString> GroupMetadataCipher::open(const QByteArray& secret, const QString& sealed) {
    if (auto r = checkSecret(secret); !r) return r.error();
    auto decoded = protocol::base64::decode(sealed.toStdString());
    if (!decoded || decoded->size() < std::size_t(kNonceSize + kTagSize))
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("sealed group metadata is malformed"));
    const QByteArray in(decoded->data(), qsizetype(decoded->size()));
    const unsigned char* nonce = u8(in);
    const int bodyLen = int(in.size()) - kNonceSize - kTagSize;
    const unsigned char* body = nonce + kNonceSize;
    QByteArray tag = in.right(kTagSize);
    QByteArray plain(bodyLen, '\0');
    Ctx ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    int finalLen = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, u8(secret), nonce) != 1 ||
        EVP_DecryptUpdate(ctx.get(), u8(plain), &len, body, bodyLen) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, u8(tag)) != 1)
        return failure("opening group metadata failed");
    if (EVP_DecryptFinal_ex(ctx.get(), u8(plain) + len, &finalLen) != 1) {
        OPENSSL_cleanse(plain.data(), std::size_t(plain.size()));
        return makeClientError(ErrorKind::Corrupted,
                               QStringLiteral("group metadata failed authentication (wrong secret or altered)"));
    }
    const QString text = QString::fromUtf8(plain.constData(), len + finalLen);
    OPENSSL_cleanse(plain.data(), std::size_t(plain.size()));
    return text;
}

} // namespace natter::client::crypto
