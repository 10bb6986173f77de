// Conversions between the protocol's base64 strings and Qt byte arrays, through the
// protocol's own strict codec (canonical base64 only, as natterd checks it).
#pragma once

#include "protocol/base64.h"

#include <QByteArray>

#include <optional>
#include <string>
#include <string_view>

namespace natter::client {

inline std::string toBase64(const QByteArray& bytes) {
    return protocol::base64::encode(std::string_view(bytes.constData(), std::size_t(bytes.size())));
}

inline std::optional<QByteArray> fromBase64(const std::string& text) {
    auto decoded = protocol::base64::decode(text);
    if (!decoded) return std::nullopt;
    return QByteArray(decoded->data(), qsizetype(decoded->size()));
}

} // namespace natter::client
