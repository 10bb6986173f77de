// What an account's identity key signs for its device list, and the hash a group message
// carries of the devices its sender key reached: defined once for natterd, the clients and
// docs/protocol.md (section 14).
#pragma once

#include "protocol/rest.h"
#include "protocol/types.h"

#include <string>
#include <vector>

namespace natter::protocol {

// "natter-device-list-v1\n<user_id>\n<version>\n<identity_key>\n<d1>,<d2>,..." (the fields as
// sent, device ids in the list's order): the bytes the signature covers.
std::string deviceListSigningText(const rest::SignedDeviceList& list);

// Base64 of the first 16 bytes of SHA-256 over "<user>.<device>" of every address, sorted
// ascending and joined with ",": the same value on both sides when they know the same devices.
std::string devicesHash(std::vector<DeviceAddress> devices);

} // namespace natter::protocol
