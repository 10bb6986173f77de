// A device of an account that got a new identity key while keeping its device id (a reinstall
// restored from its credentials): it publishes its keys and a signed device list with the new
// key, and can write 1:1 messages encrypted under it, driven by hand over natterd's protocol.
#pragma once

#include "client/crypto/memory_key_store.h"
#include "client/crypto/pairwise_cipher.h"
#include "client/crypto/signal_account.h"
#include "protocol/types.h"

#include <QString>

#include <memory>

namespace natter::client { class Client; }

namespace natter::test {

class NatterdProcess;
class TestClient;

class ReinstalledDevice {
public:
    // Takes over `device`'s credentials (close its client first if it must not be displaced
    // when this one connects) and publishes the new identity; nullptr when natterd refuses.
    static std::unique_ptr<ReinstalledDevice> publish(const NatterdProcess& server, client::Client* device);
    ~ReinstalledDevice();

    // Sends text to one device of another user under the new identity (a PreKey message built
    // from that device's bundle) and waits for natterd's ack; false with why on failure.
    bool sendText(const QString& chatId, protocol::UserId user, protocol::DeviceId device, const QString& text,
                  QString* why);

private:
    ReinstalledDevice() = default;

    std::unique_ptr<TestClient> m_raw;
    client::crypto::MemoryKeyStore m_keys;
    std::unique_ptr<client::crypto::SignalAccount> m_account;
    std::unique_ptr<client::crypto::PairwiseCipher> m_cipher;
    int m_sent = 0;
    bool m_connected = false;
};

} // namespace natter::test
