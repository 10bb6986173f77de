#include "client/crypto/signal_errors.h"

#include <signal_protocol.h>

namespace natter::client::crypto {

QString signalErrorText(int rc) {
    switch (rc) {
    case SG_ERR_NOMEM: return QStringLiteral("out of memory");
    case SG_ERR_INVAL: return QStringLiteral("invalid argument");
    case SG_ERR_DUPLICATE_MESSAGE: return QStringLiteral("duplicate message (already decrypted once)");
    case SG_ERR_INVALID_KEY: return QStringLiteral("invalid key");
    case SG_ERR_INVALID_KEY_ID: return QStringLiteral("unknown key id (pre-key already used or never issued)");
    case SG_ERR_INVALID_MAC: return QStringLiteral("message authentication failed");
    case SG_ERR_INVALID_MESSAGE: return QStringLiteral("invalid or undecryptable message");
    case SG_ERR_INVALID_VERSION: return QStringLiteral("unsupported message version");
    case SG_ERR_LEGACY_MESSAGE: return QStringLiteral("legacy message version");
    case SG_ERR_NO_SESSION: return QStringLiteral("no session for this sender or key");
    case SG_ERR_STALE_KEY_EXCHANGE: return QStringLiteral("stale key exchange");
    case SG_ERR_UNTRUSTED_IDENTITY: return QStringLiteral("untrusted identity");
    case SG_ERR_VRF_SIG_VERIF_FAILED: return QStringLiteral("signature verification failed");
    case SG_ERR_INVALID_PROTO_BUF: return QStringLiteral("malformed message");
    case SG_ERR_FP_VERSION_MISMATCH: return QStringLiteral("safety number version mismatch");
    case SG_ERR_FP_IDENT_MISMATCH: return QStringLiteral("safety number belongs to other identifiers");
    default: return QStringLiteral("libsignal error");
    }
}

ClientError signalError(int rc, const QString& operation) {
    return makeClientError(ErrorKind::Crypto,
                           QStringLiteral("%1: %2 (%3)").arg(operation, signalErrorText(rc)).arg(rc));
}

} // namespace natter::client::crypto
