// Account sync against a real natterd: a device linked to an account takes over its contacts
// with their names, its display name, its chats' pinned/muted/archived settings and its groups;
// later changes on either device reach the other, also one that was offline meanwhile; and an
// account_sync another account forges changes nothing.
#include "client_harness.h"
#include "natterd_process.h"
#include "test_client.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/outbox_store.h"
#include "client/store/profile_store.h"
#include "protocol/e2e_codec.h"
#include "protocol/identifiers.h"

#include <QJsonArray>
#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::ContactRecord;
namespace e2e = natter::protocol::e2e;

namespace {
// The name a device gives the contact with this phone number ("" when it is no contact there).
QString contactName(Client* c, const QString& phone) {
    auto contact = c->store().contacts().byPhone(phone);
    return contact && *contact ? (*contact)->name : QString();
}

std::optional<natter::client::ChatRecord> chatOf(Client* c, const QString& chatId) { return c->chatInfo(chatId); }

bool isPinnedAndMuted(Client* c, const QString& chatId) {
    const auto chat = chatOf(c, chatId);
    return chat && chat->pinned && chat->muted && !chat->archived;
}
} // namespace

class TestClientAccountSync : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    Client* m_carol = nullptr;

    Client* linkLaptop() {
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        if (!laptop) qWarning() << m_world->clients().lastError();
        return laptop;
    }
    bool addContact(Client* c, const QString& phone, const QString& name) {
        auto added = await<ContactRecord>([&](auto done) { c->addContact(phone, name, done); });
        if (!added) qWarning() << "add contact:" << added.error().message;
        return bool(added);
    }
    bool setProfileName(Client* c, const QString& name) {
        auto set = await<void>([&](auto done) { c->setProfileName(name, done); });
        if (!set) qWarning() << "profile name:" << set.error().message;
        return bool(set);
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915160000001"}, {"Bob", "+4915160000002"}, {"Carol", "+4915160000003"}}),
                 qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_carol = m_world->user("Carol");
    }

    void cleanup() { m_world.reset(); }

    void aLinkedDeviceFindsTheContactsProfileNameChatSettingsAndGroups() {
        QVERIFY(addContact(m_alice, m_bob->account().phone, "Bobby")); // renamed
        QVERIFY(setProfileName(m_alice, "Alice Liddell"));
        const QString bobChat = *m_alice->resolveChat("Bobby");
        const QString carolChat = *m_alice->resolveChat("Carol");
        QVERIFY(ClientHarness::sendAndWait(m_alice, m_bob, bobChat, "hi Bob"));
        QVERIFY(m_alice->setChatFlags(bobChat, true, true, false));
        QVERIFY(m_alice->setChatFlags(carolChat, false, false, true));
        auto group = await<QString>([&](auto done) { m_alice->groups().create("Climbing", {m_bob->account().userId}, done); });
        QVERIFY2(group, group ? "" : qPrintable(group.error().message));

        Client* laptop = linkLaptop();
        QVERIFY(laptop);
        QTRY_COMPARE_WITH_TIMEOUT(contactName(laptop, m_bob->account().phone), QStringLiteral("Bobby"), kClientTimeoutMs);
        QCOMPARE(contactName(laptop, m_carol->account().phone), QStringLiteral("Carol"));
        QCOMPARE(laptop->account().displayName, QStringLiteral("Alice Liddell"));
        QVERIFY(isPinnedAndMuted(laptop, bobChat));
        QVERIFY(chatOf(laptop, carolChat) && chatOf(laptop, carolChat)->archived);
        QTRY_COMPARE_WITH_TIMEOUT(laptop->groupInfo(*group).value_or(natter::client::GroupRecord{}).name,
                                  QStringLiteral("Climbing"), kClientTimeoutMs);
        QCOMPARE(laptop->groupInfo(*group)->members.size(), std::size_t(2));
        QCOMPARE(natter::client::valueOr(laptop->resolveGroup("Climbing"), QString()), *group);
        // Nothing of it is a message: no chat of the account with itself on the new device; the
        // first device shows only its notice that a device was linked (docs/protocol.md §14.1).
        const QString own = QString::fromStdString(natter::protocol::ownChatId(m_alice->account().userId));
        QVERIFY(!chatOf(laptop, own));
        const auto notices = ClientHarness::messagesOf(m_alice, own);
        QCOMPARE(notices.size(), 1);
        QCOMPARE(notices.front().kind, natter::client::MessageKind::system);
        QCOMPARE(notices.front().text, QStringLiteral("A new device was linked to your account."));
    }

    void aContactAddedOnEitherDeviceAppearsOnTheOther() {
        Client* dave = m_world->clients().signUp("dave", "+4915160000004", "Dave");
        Client* erin = m_world->clients().signUp("erin", "+4915160000005", "Erin");
        QVERIFY2(dave && erin, qPrintable(m_world->clients().lastError()));
        Client* laptop = linkLaptop();
        QVERIFY(laptop);
        QTRY_COMPARE_WITH_TIMEOUT(contactName(laptop, m_bob->account().phone), QStringLiteral("Bob"), kClientTimeoutMs);

        QVERIFY(addContact(laptop, dave->account().phone, "Dave from climbing"));
        QTRY_COMPARE_WITH_TIMEOUT(contactName(m_alice, dave->account().phone), QStringLiteral("Dave from climbing"),
                                  kClientTimeoutMs);
        QVERIFY(addContact(m_alice, erin->account().phone, "Erin"));
        QTRY_COMPARE_WITH_TIMEOUT(contactName(laptop, erin->account().phone), QStringLiteral("Erin"), kClientTimeoutMs);
        // Applying again is harmless: a rename on the laptop wins on both.
        QVERIFY(addContact(laptop, erin->account().phone, "Erin B."));
        QTRY_COMPARE_WITH_TIMEOUT(contactName(m_alice, erin->account().phone), QStringLiteral("Erin B."), kClientTimeoutMs);
        QCOMPARE(contactName(laptop, erin->account().phone), QStringLiteral("Erin B."));
    }

    void aContactRemovedOnOneDeviceIsGoneOnTheOtherAndOnNatterdWhileTheChatStays() {
        const QString bobChat = *m_alice->resolveChat("Bob");
        QVERIFY(ClientHarness::sendAndWait(m_alice, m_bob, bobChat, "see you"));
        Client* laptop = linkLaptop();
        QVERIFY(laptop);
        QTRY_COMPARE_WITH_TIMEOUT(contactName(laptop, m_bob->account().phone), QStringLiteral("Bob"), kClientTimeoutMs);

        const auto bob = m_bob->account().userId;
        QVERIFY(await<void>([&](auto done) { laptop->removeContact(bob, done); }));
        QCOMPARE(contactName(laptop, m_bob->account().phone), QString());
        QTRY_COMPARE_WITH_TIMEOUT(contactName(m_alice, m_bob->account().phone), QString(), kClientTimeoutMs);
        QVERIFY(ClientHarness::findMessage(m_alice, bobChat, "see you")); // the chat stays
        auto raw = actAs(m_world->server(), m_alice);
        QVERIFY(raw);
        const HttpResult listed = raw->request("GET", "/api/contacts", QJsonObject{});
        QCOMPARE(listed.status, 200);
        for (const auto& c : listed.object().value("contacts").toArray())
            QVERIFY2(c.toObject().value("user_id").toInteger() != qint64(bob), qPrintable(listed.describe()));

        const auto again = await<void>([&](auto done) { laptop->removeContact(bob, done); });
        QVERIFY(!again);
        QVERIFY(again.error().kind == natter::client::ErrorKind::NotFound);
    }

    void aSettingChangedWhileTheOtherDeviceIsOfflineArrivesAfterItReconnects() {
        Client* laptop = linkLaptop();
        QVERIFY(laptop);
        const QString bobChat = *m_alice->resolveChat("Bob");
        QVERIFY(ClientHarness::sendAndWait(m_alice, m_bob, bobChat, "hello"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, bobChat, "hello"), kClientTimeoutMs);
        m_world->clients().close("alice-laptop");

        QVERIFY(m_alice->setChatFlags(bobChat, true, true, false));
        QVERIFY(setProfileName(m_alice, "Al"));
        QTRY_COMPARE_WITH_TIMEOUT(natter::client::valueOr(m_alice->store().outbox().count(), -1), 0, kClientTimeoutMs);

        laptop = m_world->clients().reopen("alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(isPinnedAndMuted(laptop, bobChat), kClientTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(laptop->account().displayName, QStringLiteral("Al"), kClientTimeoutMs);

        // And back: unpinned on the laptop, unpinned on the phone.
        QVERIFY(laptop->setChatFlags(bobChat, false, true, false));
        QTRY_VERIFY_WITH_TIMEOUT(!chatOf(m_alice, bobChat)->pinned, kClientTimeoutMs);
        QVERIFY(chatOf(m_alice, bobChat)->muted);
    }

    // Carol's client is made to send Alice an account_sync in their direct chat (natterd refuses
    // it in Alice's own chat): Alice's client ignores it and shows nothing.
    void aStrangersForgedAccountSyncChangesNothing() {
        const QString carolChat = *m_alice->resolveChat("Carol");
        const QString bobChat = *m_alice->resolveChat("Bob");
        QVERIFY(ClientHarness::sendAndWait(m_alice, m_carol, carolChat, "hi Carol"));
        e2e::AccountSnapshot forged;
        forged.contacts = {{m_bob->account().userId, m_bob->account().phone.toStdString(), "Mallory"}};
        forged.profile_name = "Hacked";
        forged.chats = {{bobChat.toStdString(), true, e2e::kMutedForever, true}};
        e2e::Content content;
        content.account_sync = e2e::AccountSync{std::nullopt, forged, std::nullopt};
        natter::client::OutboxEntry entry;
        entry.chatId = carolChat;
        entry.clientMsgId = QStringLiteral("forged-account-sync");
        entry.content = QByteArray::fromStdString(e2e::serializeContent(content));
        QVERIFY(m_carol->store().outbox().enqueue(entry));

        // Carol's next message goes after it: once Alice has it, the forged sync was handled.
        QVERIFY(ClientHarness::sendAndWait(m_carol, m_alice, carolChat, "after the forged sync"));
        QCOMPARE(contactName(m_alice, m_bob->account().phone), QStringLiteral("Bob"));
        QCOMPARE(m_alice->account().displayName, QStringLiteral("Alice"));
        QVERIFY(!chatOf(m_alice, bobChat) || (!chatOf(m_alice, bobChat)->pinned && !chatOf(m_alice, bobChat)->archived));
        for (const auto& m : ClientHarness::messagesOf(m_alice, carolChat))
            QVERIFY2(!m.text.contains("Mallory") && !m.text.contains("Hacked"), qPrintable(m.text));
    }
};

QTEST_GUILESS_MAIN(TestClientAccountSync)
#include "tst_client_account_sync.moc"
