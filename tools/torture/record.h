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

// One WebSocket session of a device, from upgrade to its end (normally a kill).
struct Connection {
    std::vector<Delivery> deliveries; // in arrival order
};

// Everything one device received, in connection order.
struct DeviceView {
    std::vector<Connection> connections;
};

} // namespace natter::torture
