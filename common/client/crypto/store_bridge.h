// The signal_protocol_store_context callbacks: each forwards to a KeyStore and translates
// its result into the return-code convention that callback's header documents.
#pragma once

#include "client/crypto/key_store.h"

#include <signal_protocol.h>

#include <functional>

namespace natter::client::crypto {

class StoreBridge {
public:
    // Called (under the account lock) when saveIdentity replaced a different stored key.
    using IdentityChanged = std::function<void(const QString& name, DeviceId device)>;

    StoreBridge(KeyStore& store, IdentityChanged onIdentityChanged)
        : m_store(store), m_onIdentityChanged(std::move(onIdentityChanged)) {}
    StoreBridge(const StoreBridge&) = delete;
    StoreBridge& operator=(const StoreBridge&) = delete;

    // Installs the five stores into context with user_data = this; this must outlive context.
    Expected<void> install(signal_protocol_store_context* context);

    KeyStore& store() { return m_store; }
    void identityChanged(const QString& name, DeviceId device) {
        if (m_onIdentityChanged) m_onIdentityChanged(name, device);
    }

private:
    KeyStore& m_store;
    IdentityChanged m_onIdentityChanged;
};

} // namespace natter::client::crypto
