// Test helper: one device with its own store, SignalAccount and ciphers, and the server's
// part of key publication (turning a KeysUpload into PreKeyBundles, one one-time key each).
#pragma once

#include "client/crypto/group_cipher.h"
#include "client/crypto/memory_key_store.h"
#include "client/crypto/pairwise_cipher.h"
#include "client/crypto/signal_account.h"

#include <QtTest>

#include <deque>

namespace natter::client::crypto::testing {

template <class T>
T ok(Expected<T> r) {
    if (!r) qFatal("unexpected failure: %s", qPrintable(r.error().message));
    return std::move(*r);
}
inline void ok(Expected<void> r) {
    if (!r) qFatal("unexpected failure: %s", qPrintable(r.error().message));
}

struct Peer {
    Peer(UserId u, DeviceId d, std::unique_ptr<KeyStore> s = std::make_unique<MemoryKeyStore>())
        : user(u), device(d), store(std::move(s)), account(ok(SignalAccount::open(*store))), pairwise(*account),
          group(*account) {
        publish(ok(account->keysUpload(5)));
    }

    // Like the server: remembers the upload and hands out each one-time key at most once.
    void publish(const protocol::rest::KeysUpload& upload) {
        published = upload;
        oneTime.assign(upload.one_time_prekeys.begin(), upload.one_time_prekeys.end());
    }
    protocol::rest::PreKeyBundle bundle(bool withOneTimeKey = true) {
        protocol::rest::PreKeyBundle b;
        b.device_id = device;
        b.registration_id = published.registration_id;
        b.identity_key = published.identity_key;
        b.signed_prekey = published.signed_prekey;
        if (withOneTimeKey && !oneTime.empty()) {
            b.one_time_prekey = oneTime.front();
            oneTime.pop_front();
        }
        return b;
    }

    UserId user;
    DeviceId device;
    std::unique_ptr<KeyStore> store;
    std::unique_ptr<SignalAccount> account;
    PairwiseCipher pairwise;
    GroupCipher group;
    protocol::rest::KeysUpload published;
    std::deque<protocol::rest::OneTimePreKey> oneTime;
};

} // namespace natter::client::crypto::testing
