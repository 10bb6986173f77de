// The shared services a device session works with, bundled so sessions receive one
// reference instead of many. Owned by ServerApp; outlives every session.
#pragma once

#include <cstddef>

namespace boost::asio {
class io_context;
}

namespace natter::server {

class Hub;
class KeyDirectory;
class Metrics;
class MessageService;
class PresenceService;
class SharedLimits;
class StoreWorker;

struct GatewaySettings {
    std::size_t sync_window = 256;
    double message_rate = 1000;
    double typing_rate = 5;
    int heartbeat_interval_s = 15;
    // Offers only trigger an ordered read of the queue (several nodes write to it).
    bool fetch_on_offer = false;
    double group_message_rate = 50; // cluster-wide, through SharedLimits (MessageService keeps the local one)
};

struct GatewayContext {
    boost::asio::io_context& io;
    StoreWorker& worker;
    Hub& hub;
    MessageService& messages;
    PresenceService& presence;
    KeyDirectory& keys;
    Metrics& metrics;
    SharedLimits& limits;
    GatewaySettings settings;
};

} // namespace natter::server
