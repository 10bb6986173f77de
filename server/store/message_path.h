// The hot steps of a message's life as single store calls: what a 1:1 send reads, what it
// writes, what a recipient's ack takes, and the receipt queued for the sender's devices. A
// networked engine (PostgreSQL) runs each as one statement, one round trip; the defaults
// (message_path.cpp) compose the per-domain calls, which is what SQLite, in the process, uses.
#pragma once

#include "store/store_records.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace natter::server {

// What a 1:1 send needs to know before it writes anything.
struct DirectSendFacts {
    std::optional<MessageRecord> original; // this client_msg_id from this device, already stored
    std::vector<DeviceRecord> devices;     // active devices of the sender's account and the recipient
    bool blocked = false;                  // the recipient has blocked the sender
    bool chat_exists = false;
};

// The ciphertext for one device of a 1:1 message (raw bytes, not base64).
struct EnvelopeToQueue {
    DeviceKey target;
    std::string content;
};

// A stored 1:1 message and the queue id it got in each envelope's device queue, in order.
struct AppendedDirect {
    MessageRecord record;
    std::vector<std::uint64_t> qids;
};

// What a device's ack of a message finds: the message, the queue entry it removed (none for a
// repeated ack or the sending device), and whether the message was addressed to that device
// (a 1:1 envelope for it, or its membership of the group).
struct AckTarget {
    std::optional<MessageRecord> message;
    std::optional<std::uint64_t> removed_qid;
    bool addressed = false;
};

// A receipt queued for one of the sender's devices.
using QueuedReceipt = std::pair<DeviceKey, std::uint64_t>;

// What a device's `delivered` ack did: what takeForAck found, and the delivered receipt queued
// for each active device of the sender (none unless this ack marked the message delivered to
// its account first, and none for a group event).
struct DeliveredAck {
    AckTarget target;
    std::vector<QueuedReceipt> receipts;
};

} // namespace natter::server
