// Signal sessions between in-process accounts (each with its own SignalAccount and store):
// X3DH from published keys, the Double Ratchet, several devices, sender keys in a group.
#include "signal_peer.h"

#include "client/crypto/sqlcipher_key_store.h"
#include "client/store/database.h"

#include <QTemporaryDir>

#include <protocol.h>

using namespace natter::client;
using namespace natter::client::crypto;
using namespace natter::client::crypto::testing;

namespace {

const QString kGroup = QStringLiteral("g:book-club");

// Sends text from one peer's device to another's and returns what the receiver decrypted.
QByteArray send(Peer& from, Peer& to, const QByteArray& text) {
    const QByteArray wire = ok(from.pairwise.encrypt(to.user, to.device, text));
    return ok(to.pairwise.decrypt(from.user, from.device, wire));
}

} // namespace

class TestSignalSessions : public QObject {
    Q_OBJECT

private slots:
    void twoAccountsTalkBothWaysAfterX3dhFromPublishedKeys() {
        Peer alice(1, 1), bob(2, 1);
        QVERIFY(!ok(alice.pairwise.hasSession(bob.user, bob.device)));
        const auto built = ok(alice.pairwise.buildSession(bob.user, bob.bundle()));
        QVERIFY(!built.identityChanged); // first contact is trusted, not a change
        QVERIFY(ok(alice.pairwise.hasSession(bob.user, bob.device)));

        const QByteArray first = ok(alice.pairwise.encrypt(bob.user, bob.device, "hello bob"));
        QCOMPARE(int(std::uint8_t(first.at(0))), CIPHERTEXT_PREKEY_TYPE);
        QCOMPARE(ok(bob.pairwise.decrypt(alice.user, alice.device, first)), QByteArray("hello bob"));
        QVERIFY(ok(bob.pairwise.hasSession(alice.user, alice.device)));

        const QByteArray reply = ok(bob.pairwise.encrypt(alice.user, alice.device, "hi alice"));
        QCOMPARE(int(std::uint8_t(reply.at(0))), CIPHERTEXT_SIGNAL_TYPE);
        QCOMPARE(ok(alice.pairwise.decrypt(bob.user, bob.device, reply)), QByteArray("hi alice"));

        for (int i = 0; i < 5; ++i) {
            QCOMPARE(send(alice, bob, "a" + QByteArray::number(i)), "a" + QByteArray::number(i));
            QCOMPARE(send(bob, alice, "b" + QByteArray::number(i)), "b" + QByteArray::number(i));
        }
        // Once bob answered, alice's messages are ordinary ratchet messages.
        QCOMPARE(int(std::uint8_t(ok(alice.pairwise.encrypt(bob.user, bob.device, "x")).at(0))),
                 CIPHERTEXT_SIGNAL_TYPE);
    }

    void theOneTimePreKeyIsUsedUpByTheFirstMessage() {
        Peer alice(1, 1), bob(2, 1);
        const auto bundle = bob.bundle();
        const std::uint32_t used = bundle.one_time_prekey->key_id;
        QVERIFY(ok(bob.store->containsPreKey(used)));
        ok(alice.pairwise.buildSession(bob.user, bundle));
        QCOMPARE(send(alice, bob, "hello"), QByteArray("hello"));
        QVERIFY(!ok(bob.store->containsPreKey(used)));
    }

    void aBundleWithoutOneTimePreKeyStillBuildsASession() {
        Peer alice(1, 1), bob(2, 1);
        ok(alice.pairwise.buildSession(bob.user, bob.bundle(false)));
        QCOMPARE(send(alice, bob, "no one-time key left"), QByteArray("no one-time key left"));
        QCOMPARE(send(bob, alice, "fine"), QByteArray("fine"));
    }

    void messagesArrivingOutOfOrderWithinTheRatchetDecrypt() {
        Peer alice(1, 1), bob(2, 1);
        ok(alice.pairwise.buildSession(bob.user, bob.bundle()));
        QCOMPARE(send(alice, bob, "setup"), QByteArray("setup"));
        QCOMPARE(send(bob, alice, "ack"), QByteArray("ack"));
        std::vector<QByteArray> wires;
        for (int i = 0; i < 6; ++i)
            wires.push_back(ok(alice.pairwise.encrypt(bob.user, bob.device, "m" + QByteArray::number(i))));
        for (int i : {4, 0, 5, 2, 1, 3})
            QCOMPARE(ok(bob.pairwise.decrypt(alice.user, alice.device, wires[std::size_t(i)])),
                     "m" + QByteArray::number(i));
    }

    void aReplayedCiphertextIsRefusedAsDuplicate() {
        Peer alice(1, 1), bob(2, 1);
        ok(alice.pairwise.buildSession(bob.user, bob.bundle()));
        const QByteArray first = ok(alice.pairwise.encrypt(bob.user, bob.device, "once"));
        QCOMPARE(ok(bob.pairwise.decrypt(alice.user, alice.device, first)), QByteArray("once"));
        auto replayedPreKey = bob.pairwise.decrypt(alice.user, alice.device, first);
        QVERIFY(!replayedPreKey);
        QCOMPARE(toString(replayedPreKey.error().kind), toString(ErrorKind::Crypto));

        QCOMPARE(send(bob, alice, "reply"), QByteArray("reply"));
        const QByteArray later = ok(alice.pairwise.encrypt(bob.user, bob.device, "later"));
        QCOMPARE(int(std::uint8_t(later.at(0))), CIPHERTEXT_SIGNAL_TYPE);
        QCOMPARE(ok(bob.pairwise.decrypt(alice.user, alice.device, later)), QByteArray("later"));
        auto replayed = bob.pairwise.decrypt(alice.user, alice.device, later);
        QVERIFY(!replayed);
        QCOMPARE(toString(replayed.error().kind), toString(ErrorKind::Crypto));
        QVERIFY2(replayed.error().message.contains("duplicate"), qPrintable(replayed.error().message));
    }

    void garbageAndMessagesWithoutSessionAreCryptoErrors() {
        Peer alice(1, 1), bob(2, 1);
        auto noSession = alice.pairwise.encrypt(bob.user, bob.device, "x");
        QVERIFY(!noSession);
        QCOMPARE(toString(noSession.error().kind), toString(ErrorKind::Crypto));
        for (const QByteArray& wire : {QByteArray(), QByteArray("\x02"), QByteArray("\x09garbage"),
                                       QByteArray("\x02garbage"), QByteArray("\x03garbage")}) {
            auto r = bob.pairwise.decrypt(alice.user, alice.device, wire);
            QVERIFY(!r);
            QCOMPARE(toString(r.error().kind), toString(ErrorKind::Crypto));
        }
    }

    void aSecondDeviceOfTheSameUserGetsItsOwnSession() {
        Peer alice(1, 1), bob(2, 1), bobPhone(2, 2);
        ok(alice.pairwise.buildSession(bob.user, bob.bundle()));
        ok(alice.pairwise.buildSession(bobPhone.user, bobPhone.bundle()));
        QCOMPARE(ok(alice.pairwise.sessionDevices(bob.user)), (std::vector<DeviceId>{1, 2}));

        const QByteArray toDesktop = ok(alice.pairwise.encrypt(bob.user, 1, "for device 1"));
        const QByteArray toPhone = ok(alice.pairwise.encrypt(bob.user, 2, "for device 2"));
        QVERIFY(!bobPhone.pairwise.decrypt(alice.user, alice.device, toDesktop));
        QCOMPARE(ok(bob.pairwise.decrypt(alice.user, alice.device, toDesktop)), QByteArray("for device 1"));
        QCOMPARE(ok(bobPhone.pairwise.decrypt(alice.user, alice.device, toPhone)), QByteArray("for device 2"));
        QCOMPARE(send(bobPhone, alice, "phone reply"), QByteArray("phone reply"));
        QCOMPARE(send(bob, alice, "desktop reply"), QByteArray("desktop reply"));

        QVERIFY(ok(alice.pairwise.deleteSession(bob.user, 2)));
        QCOMPARE(ok(alice.pairwise.sessionDevices(bob.user)), (std::vector<DeviceId>{1}));
        QVERIFY(!alice.pairwise.encrypt(bob.user, 2, "gone"));
    }

    void anIdentityChangeIsReportedByBuildSession() {
        Peer alice(1, 1);
        auto bob = std::make_unique<Peer>(2, 1);
        QVERIFY(!ok(alice.pairwise.buildSession(bob->user, bob->bundle())).identityChanged);
        QCOMPARE(send(alice, *bob, "before"), QByteArray("before"));
        // The same bundle again (same identity): no change reported.
        QVERIFY(!ok(alice.pairwise.buildSession(bob->user, bob->bundle())).identityChanged);

        bob = std::make_unique<Peer>(2, 1); // reinstalled: a new identity for the same device
        QVERIFY(ok(alice.pairwise.buildSession(bob->user, bob->bundle())).identityChanged);
        const auto changes = alice.account->takeIdentityChanges();
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(changes[0].name, QStringLiteral("2"));
        QCOMPARE(changes[0].device, DeviceId(1));
        QCOMPARE(send(alice, *bob, "after"), QByteArray("after")); // accepted, not refused
        QCOMPARE(send(*bob, alice, "hello again"), QByteArray("hello again"));
    }

    void oneTimePreKeyIdsContinueAcrossBatches() {
        MemoryKeyStore store;
        auto account = ok(SignalAccount::open(store));
        const auto upload = ok(account->keysUpload(3));
        QCOMPARE(upload.one_time_prekeys.size(), std::size_t(3));
        QCOMPARE(upload.one_time_prekeys.front().key_id, 1u);
        QCOMPARE(upload.one_time_prekeys.back().key_id, 3u);
        const auto more = ok(account->oneTimePreKeysUpload(4));
        QCOMPARE(more.one_time_prekeys.front().key_id, 4u);
        QCOMPARE(more.one_time_prekeys.back().key_id, 7u);
        QCOMPARE(ok(store.preKeyCount()), 7);
        QCOMPARE(natter::client::fromBase64(upload.identity_key)->size(), 33);
        QCOMPARE(natter::client::fromBase64(upload.signed_prekey.public_key)->size(), 33);
        QCOMPARE(natter::client::fromBase64(more.one_time_prekeys[0].public_key)->size(), 33);
        QCOMPARE(natter::client::fromBase64(upload.signed_prekey.signature)->size(), 64);
        // Reopening the account keeps its identity.
        const QByteArray identity = ok(account->identityPublicKey());
        account.reset();
        account = ok(SignalAccount::open(store));
        QCOMPARE(ok(account->identityPublicKey()), identity);
        QCOMPARE(ok(account->oneTimePreKeysUpload(1)).one_time_prekeys.front().key_id, 8u);
    }

    void signedPreKeyRotationKeepsThePreviousKeyForLateMessages() {
        Peer alice(1, 1), bob(2, 1);
        const auto oldBundle = bob.bundle(); // fetched before bob rotates
        QVERIFY(!ok(bob.account->rotateSignedPreKeyIfOlderThan(std::chrono::hours(24 * 7))));
        QVERIFY(ok(bob.account->rotateSignedPreKeyIfOlderThan(std::chrono::seconds(0))));
        const auto current = ok(bob.account->currentSignedPreKey());
        QVERIFY(current.key_id != oldBundle.signed_prekey.key_id);
        QCOMPARE(ok(bob.store->listSignedPreKeys()).size(), std::size_t(2));

        ok(alice.pairwise.buildSession(bob.user, oldBundle));
        QCOMPARE(send(alice, bob, "late but fine"), QByteArray("late but fine"));

        QVERIFY(ok(bob.account->rotateSignedPreKeyIfOlderThan(std::chrono::seconds(0))));
        const auto list = ok(bob.store->listSignedPreKeys());
        QCOMPARE(list.size(), std::size_t(2)); // the oldest went
        QVERIFY(!ok(bob.store->containsSignedPreKey(oldBundle.signed_prekey.key_id)));
    }

    void sessionsWorkOverTheSqlcipherStoreAndSurviveReopening() {
        QTemporaryDir dir;
        const QString path = dir.filePath("bob.db");
        Peer alice(1, 1);
        QByteArray wire;
        {
            auto db = ok(store::Database::open(path, "bob's passphrase"));
            Peer bob(2, 1, std::make_unique<SqlcipherKeyStore>(*db));
            ok(alice.pairwise.buildSession(bob.user, bob.bundle()));
            QCOMPARE(send(alice, bob, "stored"), QByteArray("stored"));
            QCOMPARE(send(bob, alice, "reply"), QByteArray("reply"));
            wire = ok(alice.pairwise.encrypt(bob.user, bob.device, "while bob was away"));
        }
        auto db = ok(store::Database::open(path, "bob's passphrase"));
        SqlcipherKeyStore store(*db);
        auto account = ok(SignalAccount::open(store));
        PairwiseCipher bob(*account);
        QCOMPARE(ok(bob.decrypt(alice.user, alice.device, wire)), QByteArray("while bob was away"));
    }

    void threeMembersExchangeGroupMessagesWithSenderKeys() {
        Peer alice(1, 1), bob(2, 1), carol(3, 1);
        std::vector<Peer*> members{&alice, &bob, &carol};
        for (Peer* sender : members) {
            const QByteArray skdm = ok(sender->group.distributionMessage(kGroup, sender->user, sender->device));
            for (Peer* member : members)
                if (member != sender) ok(member->group.processDistribution(kGroup, sender->user, sender->device, skdm));
        }
        for (Peer* sender : members) {
            for (int i = 0; i < 3; ++i) {
                const QByteArray text = "from " + QByteArray::number(sender->user) + " #" + QByteArray::number(i);
                const QByteArray ciphertext = ok(sender->group.encrypt(kGroup, sender->user, sender->device, text));
                for (Peer* member : members)
                    if (member != sender)
                        QCOMPARE(ok(member->group.decrypt(kGroup, sender->user, sender->device, ciphertext)), text);
            }
        }
        // A replayed group message is refused.
        const QByteArray once = ok(alice.group.encrypt(kGroup, alice.user, alice.device, "once"));
        QCOMPARE(ok(bob.group.decrypt(kGroup, alice.user, alice.device, once)), QByteArray("once"));
        auto replay = bob.group.decrypt(kGroup, alice.user, alice.device, once);
        QVERIFY(!replay);
        QCOMPARE(toString(replay.error().kind), toString(ErrorKind::Crypto));
        // Without our sender key there is nothing to encrypt with.
        auto none = alice.group.encrypt("g:other", alice.user, alice.device, "x");
        QVERIFY(!none);
        QCOMPARE(toString(none.error().kind), toString(ErrorKind::Crypto));
    }

    void afterResetOwnSenderKeyAFormerMemberCannotDecryptNewMessages() {
        Peer alice(1, 1), bob(2, 1), carol(3, 1);
        const QByteArray oldKey = ok(alice.group.distributionMessage(kGroup, alice.user, alice.device));
        ok(bob.group.processDistribution(kGroup, alice.user, alice.device, oldKey));
        ok(carol.group.processDistribution(kGroup, alice.user, alice.device, oldKey));
        const QByteArray before = ok(alice.group.encrypt(kGroup, alice.user, alice.device, "before"));
        QCOMPARE(ok(carol.group.decrypt(kGroup, alice.user, alice.device, before)), QByteArray("before"));
        QCOMPARE(ok(bob.group.decrypt(kGroup, alice.user, alice.device, before)), QByteArray("before"));

        // Carol is removed: alice resets and distributes a new key to the remaining members.
        ok(alice.group.resetOwnSenderKey(kGroup, alice.user, alice.device));
        const QByteArray newKey = ok(alice.group.distributionMessage(kGroup, alice.user, alice.device));
        QVERIFY(newKey != oldKey);
        ok(bob.group.processDistribution(kGroup, alice.user, alice.device, newKey));

        const QByteArray after = ok(alice.group.encrypt(kGroup, alice.user, alice.device, "after"));
        QCOMPARE(ok(bob.group.decrypt(kGroup, alice.user, alice.device, after)), QByteArray("after"));
        auto formerMember = carol.group.decrypt(kGroup, alice.user, alice.device, after);
        QVERIFY(!formerMember);
        QCOMPARE(toString(formerMember.error().kind), toString(ErrorKind::Crypto));
        // Asking again without a reset keeps the same key: bob needs nothing new.
        ok(alice.group.distributionMessage(kGroup, alice.user, alice.device));
        const QByteArray still = ok(alice.group.encrypt(kGroup, alice.user, alice.device, "still"));
        QCOMPARE(ok(bob.group.decrypt(kGroup, alice.user, alice.device, still)), QByteArray("still"));
        QVERIFY(!carol.group.decrypt(kGroup, alice.user, alice.device, still));
    }
};

QTEST_GUILESS_MAIN(TestSignalSessions)
#include "tst_signal_sessions.moc"
