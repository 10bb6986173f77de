#include "auth/signing_keys.h"

#include "auth/secrets.h"

namespace natter::server {

protocol::Result<std::vector<jwt::Key>> loadSigningKeys(const std::filesystem::path& current,
                                                        const std::vector<std::filesystem::path>& previous) {
    std::vector<jwt::Key> keys;
    auto key = secrets::loadOrCreateKey(current);
    if (!key) return key.error();
    keys.push_back(jwt::makeKey(std::move(*key)));
    for (const auto& file : previous) {
        auto old = secrets::loadKey(file);
        if (!old) return old.error();
        keys.push_back(jwt::makeKey(std::move(*old)));
    }
    return keys;
}

} // namespace natter::server
