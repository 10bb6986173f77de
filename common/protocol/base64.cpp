#include "protocol/base64.h"

#include <openssl/evp.h>

namespace natter::protocol::base64 {

std::string encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    if (text.empty()) return std::string{};
    std::string out(3 * (text.size() / 4), '\0');
    // EVP_DecodeBlock rejects characters outside the alphabet but counts padding as zero bytes.
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    std::size_t padding = 0;
    if (text.back() == '=') ++padding;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
    // '=' is only allowed as trailing padding.
    if (text.substr(0, text.size() - padding).find('=') != std::string_view::npos) return std::nullopt;
    out.resize(static_cast<std::size_t>(n) - padding);
    if (encode(out) != text) return std::nullopt; // reject non-canonical trailing bits
    return out;
}

bool isValid(std::string_view text) { return decode(text).has_value(); }

} // namespace natter::protocol::base64
