#include "protocol/device_list.h"

#include "protocol/base64.h"

#include <openssl/sha.h>

#include <algorithm>
#include <tuple>

namespace natter::protocol {

std::string deviceListSigningText(const rest::SignedDeviceList& list) {
    std::string text = "natter-device-list-v1\n" + std::to_string(list.user_id) + "\n" + std::to_string(list.version) +
                       "\n" + list.identity_key + "\n";
    for (std::size_t i = 0; i < list.devices.size(); ++i) {
        if (i) text += ',';
        text += std::to_string(list.devices[i]);
    }
    return text;
}

std::string devicesHash(std::vector<DeviceAddress> devices) {
    std::sort(devices.begin(), devices.end(), [](const DeviceAddress& a, const DeviceAddress& b) {
        return std::tie(a.user_id, a.device_id) < std::tie(b.user_id, b.device_id);
    });
    std::string text;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        if (i) text += ',';
        text += std::to_string(devices[i].user_id) + "." + std::to_string(devices[i].device_id);
    }
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    return base64::encode(std::string_view(reinterpret_cast<const char*>(digest), 16));
}

} // namespace natter::protocol
