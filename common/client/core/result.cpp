#include "client/core/result.h"

#include <stdexcept>

namespace natter::client {

void throw_exception_from_error(const ClientError& e, const boost::source_location&) {
    throw std::runtime_error("natter client error: " + e.message.toStdString());
}

QString toString(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::WrongPassphrase: return QStringLiteral("wrong_passphrase");
    case ErrorKind::StoreLocked: return QStringLiteral("store_locked");
    case ErrorKind::Storage: return QStringLiteral("storage");
    case ErrorKind::Crypto: return QStringLiteral("crypto");
    case ErrorKind::Network: return QStringLiteral("network");
    case ErrorKind::Server: return QStringLiteral("server");
    case ErrorKind::InvalidArgument: return QStringLiteral("invalid_argument");
    case ErrorKind::NotFound: return QStringLiteral("not_found");
    case ErrorKind::Corrupted: return QStringLiteral("corrupted");
    case ErrorKind::Revoked: return QStringLiteral("revoked");
    }
    return QStringLiteral("unknown");
}

} // namespace natter::client
