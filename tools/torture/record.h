// What a torture run records: every message the server acknowledged `sent`, and every
// device's view (what it received, connection by connection). The checker judges these.
#pragma once

#include "protocol/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace natter::torture {

// One message natterd acknowledged `sent`, and the devices it is for.
struct AckedMessage {
    std::string chat_id;
    protocol::MessageId message_id = 0;
    protocol::Seq seq = 0;
    std::size_t sender = 0;              // client index
    std::vector<std::size_t> recipients; // client indexes (one device each)
};

// One chat entry a device received (a message or a group event).
struct Delivery {
    std::string chat_id;
    protocol::MessageId message_id = 0;
    protocol::Seq seq = 0;
};

// A `receipt` (delivered) the sender got: natterd relays it only after it recorded that the
// recipient device acked the message, so that device must not get the message again after
// natterd's next start.
struct Receipt {
    protocol::MessageId message_id = 0;
    std::size_t recipient = 0; // client index
    std::uint64_t epoch = 0;   // natterd's lifetime (0: first start, +1 per restart) it arrived in
};

// One WebSocket session of a device, from upgrade to its end (normally a kill).
struct Connection {
    std::uint64_t epoch = 0;          // natterd's lifetime it belonged to
    std::vector<Delivery> deliveries; // in arrival order
};

// Everything one device received, in connection order.
struct DeviceView {
    std::vector<Connection> connections;
};

} // namespace natter::torture
