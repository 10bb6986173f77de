// Attachment encryption as WhatsApp does it: a fresh 64-byte key per file, blob = IV ||
// AES-256-CBC(PKCS7) || HMAC-SHA256(IV || ciphertext), digest = SHA-256(blob). Streams in chunks.
#pragma once

#include "client/core/result.h"

#include <QByteArray>

#include <functional>

class QIODevice;

namespace natter::client::crypto {

struct MediaEncryption {
    QByteArray key;         // 64 bytes: AES-256 key then HMAC-SHA256 key (goes into e2e::Attachment)
    QByteArray digest;      // 32 bytes: SHA-256 of the whole blob
    qint64 plaintextSize = 0;
    qint64 blobSize = 0;
};

// done grows to total; total is 0 when the source's size is unknown (a sequential device).
using MediaProgress = std::function<void(qint64 done, qint64 total)>;

class MediaCipher {
public:
    static constexpr int kKeySize = 64;
    static constexpr int kIvSize = 16;
    static constexpr int kMacSize = 32;
    static constexpr qint64 kChunkSize = 64 * 1024;

    // Reads source to its end and writes the blob to sink, with a fresh random key and IV.
    static Expected<MediaEncryption> encrypt(QIODevice& source, QIODevice& sink, const MediaProgress& progress = {});

    // blob must be random access (a file or buffer): a first pass verifies digest, MAC and
    // the final padding; only then a second pass decrypts into sink. Mismatch (or a wrong key)
    // -> ErrorKind::Corrupted with sink untouched. Should the blob change between the passes,
    // pass 2's own MAC check fails with Corrupted after writing: discard the sink then.
    // Progress covers both passes (total = 2 x blob size). Returns the plaintext size.
    static Expected<qint64> decrypt(QIODevice& blob, QIODevice& sink, const QByteArray& key, const QByteArray& digest,
                                    const MediaProgress& progress = {});
};

} // namespace natter::client::crypto
