// crypto-1to1, crypto-group and x3dh: two in-process devices (MemoryKeyStore, or a keyed
// SQLCipher KeyStore each with --keystore sqlcipher) and the real client ciphers.
#include "scenarios.h"

#include "measure.h"
#include "report.h"

#include "client/crypto/group_cipher.h"
#include "client/crypto/memory_key_store.h"
#include "client/crypto/pairwise_cipher.h"
#include "client/crypto/signal_account.h"
#include "client/crypto/sqlcipher_key_store.h"
#include "client/store/database.h"

#include <QTemporaryDir>

#include <deque>
#include <memory>

namespace natter::benchclient {

using namespace natter::client;
using namespace natter::client::crypto;

namespace {

// One device: its key store (in memory or in its own SQLCipher file), account and ciphers.
struct Device {
    Device(UserId u, const QString& keystore, const QString& dir) : user(u) {
        if (keystore == QLatin1String("sqlcipher")) {
            static int files = 0;
            const QString path = dir + QStringLiteral("/keys-%1-%2.db").arg(u).arg(++files);
            db = must(store::Database::open(path, QByteArrayLiteral("bench-passphrase")),
                      "open key database");
            store = std::make_unique<SqlcipherKeyStore>(*db);
        } else {
            store = std::make_unique<MemoryKeyStore>();
        }
        account = must(SignalAccount::open(*store), "open signal account");
        pairwise = std::make_unique<PairwiseCipher>(*account);
        group = std::make_unique<GroupCipher>(*account);
    }

    // What the server hands out for this device (protocol::rest::PreKeyBundle), one
    // one-time key each from `oneTime` while there are any.
    protocol::rest::PreKeyBundle bundle() {
        protocol::rest::PreKeyBundle b;
        b.device_id = device;
        b.registration_id = published.registration_id;
        b.identity_key = published.identity_key;
        b.signed_prekey = published.signed_prekey;
        if (!oneTime.empty()) {
            b.one_time_prekey = oneTime.front();
            oneTime.pop_front();
        }
        return b;
    }
    void publishKeys(int oneTimeKeys) {
        published = must(account->keysUpload(oneTimeKeys), "keys upload");
        oneTime.assign(published.one_time_prekeys.begin(), published.one_time_prekeys.end());
    }

    UserId user;
    DeviceId device = 1;
    std::unique_ptr<store::Database> db;
    std::unique_ptr<KeyStore> store;
    std::unique_ptr<SignalAccount> account;
    std::unique_ptr<PairwiseCipher> pairwise;
    std::unique_ptr<GroupCipher> group;
    protocol::rest::KeysUpload published;
    std::deque<protocol::rest::OneTimePreKey> oneTime;
};

// About the size of a short message's Content JSON.
QByteArray plaintext(qint64 i) {
    QByteArray p = QByteArrayLiteral("{\"v\":1,\"type\":\"text\",\"text\":\"benchmark message number ");
    p += QByteArray::number(i) + QByteArrayLiteral(", a few words long like most chat messages are\"}");
    return p;
}

void check(const QByteArray& got, const QByteArray& want) {
    if (got != want) throw RunFailure("decrypted text differs from the plaintext");
}

void setSessionUp(Device& alice, Device& bob) {
    bob.publishKeys(1);
    must(alice.pairwise->buildSession(bob.user, bob.bundle()), "build session");
    const QByteArray first = must(alice.pairwise->encrypt(bob.user, 1, "hi"), "first encrypt");
    check(must(bob.pairwise->decrypt(alice.user, 1, first), "first decrypt"), "hi");
    const QByteArray reply = must(bob.pairwise->encrypt(alice.user, 1, "hi"), "reply encrypt");
    check(must(alice.pairwise->decrypt(bob.user, 1, reply), "reply decrypt"), "hi");
}

RunResult cryptoRun(const QString& scenario, const Options& o, qint64 n) {
    RunResult r;
    r.scenario = scenario;
    r.variant = o.keystore;
    r.sizes = QJsonObject{{QStringLiteral("messages"), double(n)}};
    return r;
}

} // namespace

void runCrypto1to1(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish) {
    for (const qint64 n : sizes) {
        RunResult r = cryptoRun(QStringLiteral("crypto-1to1"), o, n);
        Device alice(1001, o.keystore, dir), bob(1002, o.keystore, dir);
        setSessionUp(alice, bob);
        // Ping-pong: the direction changes every message, so each one carries a new ratchet
        // key and both sides do a DH ratchet step (a chat's usual pattern).
        std::vector<double> total, enc, dec;
        total.reserve(std::size_t(n));
        const double cpu0 = selfCpuSeconds();
        Stopwatch wall;
        for (qint64 i = 0; i < n; ++i) {
            Device& from = i % 2 ? bob : alice;
            Device& to = i % 2 ? alice : bob;
            const QByteArray p = plaintext(i);
            Stopwatch t;
            const QByteArray wire = must(from.pairwise->encrypt(to.user, 1, p), "encrypt");
            const double e = t.us();
            check(must(to.pairwise->decrypt(from.user, 1, wire), "decrypt"), p);
            const double all = t.us();
            enc.push_back(e);
            dec.push_back(all - e);
            total.push_back(all);
            if (i == 0) r.extras.insert(QStringLiteral("wire_bytes"), double(wire.size()));
        }
        r.wallS = wall.seconds();
        r.cpuS = selfCpuSeconds() - cpu0;
        // Stream: one side sends every message (only symmetric chain steps).
        std::vector<double> stream;
        stream.reserve(std::size_t(n));
        Stopwatch streamWall;
        for (qint64 i = 0; i < n; ++i) {
            const QByteArray p = plaintext(i);
            Stopwatch t;
            const QByteArray wire = must(alice.pairwise->encrypt(bob.user, 1, p), "encrypt");
            check(must(bob.pairwise->decrypt(alice.user, 1, wire), "decrypt"), p);
            stream.push_back(t.us());
        }
        r.ops = double(n);
        r.opsPerS = double(n) / r.wallS;
        r.usPerOp = r.wallS * 1e6 / double(n);
        setLatencies(r, total);
        r.extras.insert(QStringLiteral("encrypt_p50_us"), percentile(enc, 50));
        r.extras.insert(QStringLiteral("decrypt_p50_us"), percentile(dec, 50));
        r.extras.insert(QStringLiteral("stream_us_per_msg"), streamWall.us() / double(n));
        r.extras.insert(QStringLiteral("stream_p50_us"), percentile(stream, 50));
        r.extras.insert(QStringLiteral("stream_p99_us"), percentile(stream, 99));
        r.extras.insert(QStringLiteral("plaintext_bytes"), double(plaintext(0).size()));
        r.ok = true;
        publish(r);
    }
    return;
}

void runCryptoGroup(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish) {
    const QString groupId = QStringLiteral("g:benchmarkgroup0000001");
    for (const qint64 n : sizes) {
        RunResult r = cryptoRun(QStringLiteral("crypto-group"), o, n);
        Device alice(2001, o.keystore, dir), bob(2002, o.keystore, dir);
        Stopwatch setup;
        for (Device* d : {&alice, &bob}) {
            Device& other = d == &alice ? bob : alice;
            const QByteArray dist = must(d->group->distributionMessage(groupId, d->user, 1), "distribution message");
            must(other.group->processDistribution(groupId, d->user, 1, dist), "process distribution");
        }
        r.extras.insert(QStringLiteral("distribution_pair_us"), setup.us() / 2);
        // Senders alternate; each message is encrypted once and decrypted by one member
        // (a group of G members costs one encrypt plus G-1 decrypts on G-1 devices).
        std::vector<double> total, enc, dec;
        total.reserve(std::size_t(n));
        const double cpu0 = selfCpuSeconds();
        Stopwatch wall;
        for (qint64 i = 0; i < n; ++i) {
            Device& from = i % 2 ? bob : alice;
            Device& to = i % 2 ? alice : bob;
            const QByteArray p = plaintext(i);
            Stopwatch t;
            const QByteArray wire = must(from.group->encrypt(groupId, from.user, 1, p), "group encrypt");
            const double e = t.us();
            check(must(to.group->decrypt(groupId, from.user, 1, wire), "group decrypt"), p);
            const double all = t.us();
            enc.push_back(e);
            dec.push_back(all - e);
            total.push_back(all);
            if (i == 0) r.extras.insert(QStringLiteral("wire_bytes"), double(wire.size()));
        }
        r.wallS = wall.seconds();
        r.cpuS = selfCpuSeconds() - cpu0;
        r.ops = double(n);
        r.opsPerS = double(n) / r.wallS;
        r.usPerOp = r.wallS * 1e6 / double(n);
        setLatencies(r, total);
        r.extras.insert(QStringLiteral("encrypt_p50_us"), percentile(enc, 50));
        r.extras.insert(QStringLiteral("decrypt_p50_us"), percentile(dec, 50));
        r.ok = true;
        publish(r);
    }
    return;
}

void runX3dh(const Options& o, const std::vector<qint64>& sizes, const QString& dir, const Emit& publish) {
    for (const qint64 n : sizes) {
        RunResult r;
        r.scenario = QStringLiteral("x3dh");
        r.variant = o.keystore;
        r.sizes = QJsonObject{{QStringLiteral("sessions"), double(n)}};
        Device alice(3001, o.keystore, dir), bob(3002, o.keystore, dir);
        Stopwatch keygen;
        bob.publishKeys(int(n));
        r.extras.insert(QStringLiteral("prekey_generation_us_per_key"), keygen.us() / double(n));
        // Each session: a fresh address on both sides (user ids 10000+i / 50000+i), Bob's
        // bundle with its own one-time key; Alice builds the session and encrypts the first
        // message, Bob decrypts that PreKey message (his side of X3DH).
        std::vector<double> total, build, first, accept;
        total.reserve(std::size_t(n));
        const double cpu0 = selfCpuSeconds();
        Stopwatch wall;
        for (qint64 i = 0; i < n; ++i) {
            const UserId bobAs = UserId(10000 + i), aliceAs = UserId(50000 + i);
            auto bundle = bob.bundle();
            const QByteArray p = plaintext(i);
            Stopwatch t;
            must(alice.pairwise->buildSession(bobAs, bundle), "build session");
            const double b = t.us();
            const QByteArray wire = must(alice.pairwise->encrypt(bobAs, 1, p), "first encrypt");
            const double e = t.us();
            check(must(bob.pairwise->decrypt(aliceAs, 1, wire), "prekey decrypt"), p);
            const double all = t.us();
            build.push_back(b);
            first.push_back(e - b);
            accept.push_back(all - e);
            total.push_back(all);
        }
        r.wallS = wall.seconds();
        r.cpuS = selfCpuSeconds() - cpu0;
        r.ops = double(n);
        r.opsPerS = double(n) / r.wallS;
        r.usPerOp = r.wallS * 1e6 / double(n);
        setLatencies(r, total);
        r.extras.insert(QStringLiteral("build_session_p50_us"), percentile(build, 50));
        r.extras.insert(QStringLiteral("first_encrypt_p50_us"), percentile(first, 50));
        r.extras.insert(QStringLiteral("prekey_decrypt_p50_us"), percentile(accept, 50));
        r.ok = true;
        publish(r);
    }
    return;
}

} // namespace natter::benchclient
