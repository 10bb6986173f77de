// Groups: creation and membership events, fan-out to every member device, the member cap,
// admin rules, leaving, receipts, rate limit, typing, history of late members, client_msg_id.
#include "http_batch.h"
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QMap>
#include <QRegularExpression>
#include <QTest>

using namespace natter::test;

namespace {
// user_id -> field of each object: GroupInfo.members' role, MessageReceipts.recipients' status.
QMap<qint64, QString> byUser(const QJsonArray& arr, const QString& field) {
    QMap<qint64, QString> out;
    for (const QJsonValue& v : arr) out.insert(v.toObject().value("user_id").toInteger(), v.toObject().value(field).toString());
    return out;
}
QMap<qint64, QString> roles(const QJsonObject& info) { return byUser(info.value("members").toArray(), "role"); }
} // namespace

class TstGroups : public QObject {
    Q_OBJECT
private slots:
    void creatorBecomesAdminAndEveryMemberDeviceGetsTheCreatedEvent();
    void unknownParticipantOrUndecodableNameCreatesNothing();
    void groupMessageReachesEveryMemberDeviceExceptTheSendingOne();
    void everyMemberOfAFullGroupOf256ReceivesEveryMessageAndThe257thIsRefused();
    void configuredMaxGroupSizeIsPublishedAndEnforced();
    void nonMemberCannotSendAndNothingIsDelivered();
    void removedMemberGetsTheRemovedEventAndNothingAfterwards();
    void memberAddedLaterSeesHistoryFromTheirAddedEventOn();
    void onlyAdminsChangeTheGroupUnlessMembersMayEdit();
    void lastAdminLeavingPromotesTheLowestIdMember();
    void promotingAndDemotingChangesRolesWithEventsAndKeepsAnAdmin();
    void receiptsAreKeptPerMemberAndRelayedToTheSender();
    void burstBeyondTheGroupMessageRateIsRateLimited();
    void typingInAGroupReachesOtherMembersOnlineDevices();
    void envelopesToAGroupAndContentToADirectChatAreInvalid();
    void clientMsgIdsNeverCollideWithGroupEvents_data();
    void clientMsgIdsNeverCollideWithGroupEvents();
};

void TstGroups::creatorBecomesAdminAndEveryMemberDeviceGetsTheCreatedEvent() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    TestClient a2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    for (TestClient* x : {&a1, &a2, &b, &c}) NATTER_SESSION(*x);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const HttpResult created = a1.createGroup("secret name", {b.userId(), c.userId()});
    NATTER_HTTP(created, 200);
    const QJsonObject info = created.object();
    const QString chat = info.value("chat_id").toString();
    QVERIFY2(QRegularExpression("^g:[A-Za-z0-9_-]{22}$").match(chat).hasMatch(), qPrintable(chat));
    QCOMPARE(info.value("name").toString(), b64("secret name"));
    QCOMPARE(info.value("members_can_edit").toBool(true), false);
    QCOMPARE(roles(info), (QMap<qint64, QString>{{a1.userId(), "admin"}, {b.userId(), "member"}, {c.userId(), "member"}}));
    QVERIFY(intField(info, "created_at") >= before - 60000);

    // Every member device except the acting one, which has the REST answer (docs/protocol.md 12.3).
    qint64 eventId = 0;
    for (TestClient* x : {&a2, &b, &c}) {
        NATTER_TAKE(ev, *x, "group_event", groupEvent(chat, "created"));
        QCOMPARE(intField(ev, "actor_id"), a1.userId());
        QCOMPARE(intField(ev, "seq"), 1);
        QCOMPARE(idSet(ev.value("user_ids").toArray()), (QSet<qint64>{a1.userId(), b.userId(), c.userId()}));
        if (eventId == 0) eventId = intField(ev, "message_id");
        QCOMPARE(intField(ev, "message_id"), eventId);
        x->ackDelivered(eventId);
    }
    NATTER_QUIET(a1, "group_event");
    for (const QString& path : {TestClient::groupPath(chat), TestClient::groupPath(QString(chat).replace(":", "%3A"))}) {
        const HttpResult got = c.request("GET", path);
        NATTER_HTTP(got, 200);
        QCOMPARE(got.object().value("chat_id").toString(), chat);
        QCOMPARE(roles(got.object()), roles(info));
    }
    NATTER_REFUSED(a1.request("GET", TestClient::groupPath("g:AAAAAAAAAAAAAAAAAAAAAA")), 404, "not_found");
}

void TstGroups::unknownParticipantOrUndecodableNameCreatesNothing() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_SESSION(b);
    NATTER_REFUSED(a.createGroup("n", {b.userId(), b.userId() + 100}), 404, "not_found");
    NATTER_REFUSED(a.request("POST", "/api/groups", QJsonObject{{"name", "not base64!"}, {"participants", QJsonArray{b.userId()}}}),
                   400, "invalid_field");
    NATTER_QUIET(b, "group_event");
    for (TestClient* x : {&a, &b}) {
        const HttpResult chats = x->request("GET", "/api/chats");
        NATTER_HTTP(chats, 200);
        QVERIFY2(chats.object().value("chats").toArray().isEmpty(), qPrintable(chats.describe()));
    }
}

void TstGroups::groupMessageReachesEveryMemberDeviceExceptTheSendingOne() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b1 = world.user("Bob"), &c = world.user("Cid");
    TestClient a2(world.server()), b2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));
    for (TestClient* x : {&a1, &a2, &b1, &b2, &c}) NATTER_SESSION(*x);
    NATTER_GROUP(chat, a1, "g", {b1.userId(), c.userId()});

    const auto ack = a1.sendToGroup(chat, "g1", "sender-key ciphertext");
    NATTER_ACKED(ack, a1);
    QCOMPARE(ack->value("status").toString(), QStringLiteral("sent"));
    QCOMPARE(ack->value("chat_id").toString(), chat);
    QCOMPARE(intField(*ack, "seq"), 2); // after the "created" event
    for (TestClient* x : {&a2, &b1, &b2, &c}) {
        NATTER_TAKE(m, *x, "message", inChat(chat));
        QCOMPARE(intField(m, "message_id"), intField(*ack, "message_id"));
        QCOMPARE(intField(m, "seq"), 2);
        QCOMPARE(m.value("content").toString(), b64("sender-key ciphertext"));
        QCOMPARE(intField(m, "sender_id"), a1.userId());
        QCOMPARE(intField(m, "sender_device"), a1.deviceId());
        QCOMPARE(m.value("client_msg_id").toString(), QStringLiteral("g1"));
    }
    NATTER_QUIET(a1, "message");
    const auto resend = a1.sendToGroup(chat, "g1", "sender-key ciphertext"); // idempotent: the original ack
    NATTER_ACKED(resend, a1);
    QCOMPARE(intField(*resend, "message_id"), intField(*ack, "message_id"));
    for (TestClient* x : {&a2, &b1, &c}) NATTER_QUIET(*x, "message");
}

void TstGroups::everyMemberOfAFullGroupOf256ReceivesEveryMessageAndThe257thIsRefused() {
    // 257 sign-ups and 257 WebSockets and more, all from 127.0.0.1
    NatterdProcess server({"--codes-per-address", "1000", "--max-connections-per-address", "1024"});
    NATTER_START(server);
    QCOMPARE(intField(TestClient(server).request("GET", "/api/config").object(), "max_group_size"), 256);

    constexpr int kMembers = 256;
    ClientCrowd crowd(server, kMembers + 1);
    QString error;
    QVERIFY2(crowd.signUpAndConnect(1, &error), qPrintable(error));
    const QList<TestClient*>& users = crowd.clients();
    TestClient& admin = *users.first();
    TestClient& outsider = *users.last();
    const QList<TestClient*> members = users.mid(0, kMembers);
    QList<qint64> others;
    for (TestClient* u : members.mid(1)) others << u->userId();

    QList<qint64> everyone = others;
    everyone << outsider.userId(); // creator + 256 others: one over the cap
    NATTER_REFUSED(admin.createGroup("too big", everyone), 409, "conflict");

    const HttpResult created = admin.createGroup("big", others);
    NATTER_HTTP(created, 200);
    const QString chat = created.object().value("chat_id").toString();
    QCOMPARE(created.object().value("members").toArray().size(), kMembers);
    for (TestClient* u : members.mid(1))
        QVERIFY2(u->waitFor("group_event", groupEvent(chat, "created"), 30000), qPrintable(u->describePending()));

    const QList<TestClient*> senders{members.at(0), members.at(128), members.at(255)};
    for (int i = 0; i < senders.size(); ++i)
        senders.at(i)->send(TestClient::groupMessageFrame(chat, QStringLiteral("big%1").arg(i), "to all " + QByteArray::number(i)));
    for (int i = 0; i < senders.size(); ++i) {
        const auto ack = senders.at(i)->waitForSendResult(QStringLiteral("big%1").arg(i), 30000);
        NATTER_ACKED(ack, *senders.at(i));
    }
    for (TestClient* u : members) {
        for (int i = 0; i < senders.size(); ++i) {
            if (senders.at(i) == u) continue;
            const auto m = u->waitFor("message", byClientMsgId(QStringLiteral("big%1").arg(i)), 30000);
            QVERIFY2(m, qPrintable(QStringLiteral("user %1 lacks message %2; pending: %3").arg(u->userId()).arg(i).arg(u->describePending())));
            QCOMPARE(m->value("content").toString(), b64("to all " + QByteArray::number(i)));
        }
    }

    // The 257th member: refused, and nobody hears of it.
    NATTER_REFUSED(admin.request("POST", TestClient::groupPath(chat) + "/members", QJsonObject{{"user_ids", QJsonArray{outsider.userId()}}}),
                   409, "conflict");
    const HttpResult info = admin.request("GET", TestClient::groupPath(chat));
    NATTER_HTTP(info, 200);
    QCOMPARE(info.object().value("members").toArray().size(), kMembers);
    QVERIFY(!roles(info.object()).contains(outsider.userId()));
    NATTER_REFUSED(outsider.request("GET", TestClient::groupPath(chat)), 403, "forbidden");
    for (TestClient* u : users) {
        QVERIFY2(u->pingPong(), qPrintable(u->describePending()));
        for (const QJsonObject& f : u->pending())
            QVERIFY2(f.value("type") != "group_event" && f.value("type") != "message",
                     qPrintable(QStringLiteral("user %1 got %2").arg(u->userId()).arg(compact(f))));
    }
}

void TstGroups::configuredMaxGroupSizeIsPublishedAndEnforced() {
    NatterdProcess server({"--max-group-size", "5"});
    NATTER_START(server);
    ClientCrowd crowd(server, 6);
    QString error;
    QVERIFY2(crowd.signUpAndConnect(1, &error), qPrintable(error));
    const QList<TestClient*>& users = crowd.clients();
    const HttpResult config = users[0]->request("GET", "/api/config");
    NATTER_HTTP(config, 200);
    QCOMPARE(intField(config.object(), "max_group_size"), 5);

    const QList<qint64> five{users[1]->userId(), users[2]->userId(), users[3]->userId(), users[4]->userId(), users[5]->userId()};
    NATTER_REFUSED(users[0]->createGroup("six", five), 409, "conflict");
    for (TestClient* u : users) NATTER_QUIET(*u, "group_event");
    const HttpResult created = users[0]->createGroup("five", five.mid(0, 4));
    NATTER_HTTP(created, 200);
    const QString chat = created.object().value("chat_id").toString();
    NATTER_REFUSED(users[0]->request("POST", TestClient::groupPath(chat) + "/members", QJsonObject{{"user_ids", QJsonArray{five.last()}}}),
                   409, "conflict");
    const HttpResult info = users[0]->request("GET", TestClient::groupPath(chat));
    NATTER_HTTP(info, 200);
    QCOMPARE(info.object().value("members").toArray().size(), 5);
    NATTER_QUIET(*users[1], "group_event", groupEvent(chat, "added"));
    NATTER_QUIET(*users[5], "group_event");
}

void TstGroups::nonMemberCannotSendAndNothingIsDelivered() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Dan"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &d = world.user("Dan");
    NATTER_GROUP(chat, a, "g", {b.userId()});

    NATTER_SEND_REFUSED(d.sendToGroup(chat, "intruder", "spam"), d, "forbidden");
    NATTER_SEND_REFUSED(d.sendToGroup("g:AAAAAAAAAAAAAAAAAAAAAA", "nowhere", "x"), d, "not_found");
    for (TestClient* x : {&a, &b}) NATTER_QUIET(*x, "message");
    const auto ok = b.sendToGroup(chat, "member", "hi");
    NATTER_ACKED(ok, b);
    QCOMPARE(intField(*ok, "seq"), 2); // nothing was stored for the refused send
}

void TstGroups::removedMemberGetsTheRemovedEventAndNothingAfterwards() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b1 = world.user("Bob"), &c = world.user("Cid");
    TestClient b2(world.server());
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));
    for (TestClient* x : {&a, &b1, &b2, &c}) NATTER_SESSION(*x);
    NATTER_GROUP(chat, a, "g", {b1.userId(), c.userId()});
    for (TestClient* x : {&b1, &b2, &c}) {
        NATTER_TAKE(ev, *x, "group_event", groupEvent(chat, "created"));
        x->ackDelivered(intField(ev, "message_id"));
    }

    const HttpResult removed = a.request("DELETE", TestClient::groupPath(chat) + QStringLiteral("/members/%1").arg(b1.userId()));
    NATTER_HTTP(removed, 200);
    QCOMPARE(roles(removed.object()), (QMap<qint64, QString>{{a.userId(), "admin"}, {c.userId(), "member"}}));
    for (TestClient* x : {&b1, &b2, &c}) {
        NATTER_TAKE(ev, *x, "group_event", groupEvent(chat, "removed"));
        QCOMPARE(idSet(ev.value("user_ids").toArray()), QSet<qint64>{b1.userId()});
        QCOMPARE(intField(ev, "actor_id"), a.userId());
        x->ackDelivered(intField(ev, "message_id"));
    }

    const auto after = a.sendToGroup(chat, "after", "not for Bob");
    NATTER_ACKED(after, a);
    NATTER_HTTP(a.request("PUT", TestClient::groupPath(chat), QJsonObject{{"name", b64("renamed")}}), 200);
    NATTER_TAKE(m, c, "message", byClientMsgId("after"));
    NATTER_TAKE(upd, c, "group_event", groupEvent(chat, "updated"));
    a.send(QJsonObject{{"type", "typing"}, {"chat_id", chat}, {"state", "start"}});
    NATTER_TAKE(typing, c, "typing", inChat(chat));
    for (TestClient* x : {&b1, &b2}) {
        NATTER_QUIET(*x, "message");
        QVERIFY2(x->expectNo("group_event", 0) && x->expectNo("typing", 0), qPrintable(x->describePending()));
        x->closeWs();
        QVERIFY2(x->connectWs(), qPrintable(x->lastError()));
        const auto sync = x->readSync(true);
        QVERIFY2(sync.ok, qPrintable(sync.error));
        QVERIFY2(sync.queued.isEmpty(), qPrintable("removed member got after reconnect: " + compact(sync.queued.value(0))));
    }
    NATTER_SEND_REFUSED(b1.sendToGroup(chat, "still here?", "x"), b1, "forbidden");
    NATTER_REFUSED(b1.request("GET", TestClient::groupPath(chat)), 403, "forbidden");
    NATTER_REFUSED(b2.request("GET", TestClient::historyPath(chat)), 403, "forbidden");
}

void TstGroups::memberAddedLaterSeesHistoryFromTheirAddedEventOn() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    NATTER_GROUP(chat, a, "g", {b.userId()});
    for (const char* id : {"early1", "early2"}) NATTER_ACKED(a.sendToGroup(chat, id, id), a);

    const HttpResult added = a.request("POST", TestClient::groupPath(chat) + "/members", QJsonObject{{"user_ids", QJsonArray{c.userId()}}});
    NATTER_HTTP(added, 200);
    QCOMPARE(roles(added.object()).value(c.userId()), QStringLiteral("member"));
    qint64 addedSeq = 0;
    for (TestClient* x : {&b, &c}) {
        NATTER_TAKE(ev, *x, "group_event", groupEvent(chat, "added"));
        QCOMPARE(idSet(ev.value("user_ids").toArray()), QSet<qint64>{c.userId()});
        addedSeq = intField(ev, "seq");
    }
    QCOMPARE(addedSeq, 4); // created, early1, early2, added
    const auto late = b.sendToGroup(chat, "late", "welcome Cid");
    NATTER_ACKED(late, b);
    NATTER_TAKE(m, c, "message", byClientMsgId("late"));
    QVERIFY2(c.expectNo("message", 0, byClientMsgId("early1")) && c.expectNo("message", 0, byClientMsgId("early2")), qPrintable(c.describePending()));

    const HttpResult hc = c.request("GET", TestClient::historyPath(chat));
    NATTER_HTTP(hc, 200);
    const QJsonArray items = hc.object().value("messages").toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(intField(items[0].toObject(), "seq"), addedSeq);
    QCOMPARE(items[0].toObject().value("event").toString(), QStringLiteral("added"));
    QCOMPARE(idSet(items[0].toObject().value("user_ids").toArray()), QSet<qint64>{c.userId()});
    QCOMPARE(intField(items[0].toObject(), "sender_id"), a.userId()); // the actor and its device
    QCOMPARE(intField(items[0].toObject(), "sender_device"), a.deviceId());
    QVERIFY2(items[0].toObject().value("client_msg_id").toString().isEmpty() && !items[0].toObject().contains("content"),
             qPrintable(compact(items[0].toObject())));
    QCOMPARE(intField(items[1].toObject(), "seq"), addedSeq + 1);
    QCOMPARE(items[1].toObject().value("content").toString(), b64("welcome Cid"));
    QCOMPARE(hc.object().value("has_more").toBool(true), false);

    const HttpResult hb = b.request("GET", TestClient::historyPath(chat));
    NATTER_HTTP(hb, 200);
    QCOMPARE(hb.object().value("messages").toArray().size(), 5);
    QCOMPARE(hb.object().value("messages").toArray().at(0).toObject().value("event").toString(), QStringLiteral("created"));
}

void TstGroups::onlyAdminsChangeTheGroupUnlessMembersMayEdit() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid", "Dan"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid"), &d = world.user("Dan");
    for (TestClient* x : {&a, &b, &c}) NATTER_SESSION(*x);
    NATTER_GROUP(chat, a, "original", {b.userId(), c.userId()});
    const QString path = TestClient::groupPath(chat);

    NATTER_REFUSED(b.request("POST", path + "/members", QJsonObject{{"user_ids", QJsonArray{d.userId()}}}), 403, "forbidden");
    NATTER_REFUSED(b.request("DELETE", path + QStringLiteral("/members/%1").arg(c.userId())), 403, "forbidden");
    NATTER_REFUSED(b.request("PUT", path, QJsonObject{{"name", b64("by Bob")}}), 403, "forbidden");
    NATTER_REFUSED(b.request("PUT", path, QJsonObject{{"members_can_edit", true}}), 403, "forbidden");
    NATTER_REFUSED(b.request("PUT", path + QStringLiteral("/members/%1").arg(b.userId()), QJsonObject{{"role", "admin"}}), 403, "forbidden");
    const HttpResult unchanged = c.request("GET", path);
    NATTER_HTTP(unchanged, 200);
    QCOMPARE(unchanged.object().value("name").toString(), b64("original"));
    QCOMPARE(roles(unchanged.object()), (QMap<qint64, QString>{{a.userId(), "admin"}, {b.userId(), "member"}, {c.userId(), "member"}}));
    QCOMPARE(unchanged.object().value("members_can_edit").toBool(true), false);
    NATTER_QUIET(c, "group_event", [](const QJsonObject& f) { return f.value("event") != "created"; });

    const HttpResult opened = a.request("PUT", path, QJsonObject{{"members_can_edit", true}});
    NATTER_HTTP(opened, 200);
    QCOMPARE(opened.object().value("members_can_edit").toBool(), true);
    NATTER_TAKE(ev1, c, "group_event", groupEvent(chat, "updated"));
    QCOMPARE(intField(ev1, "actor_id"), a.userId());

    const HttpResult renamed = b.request("PUT", path, QJsonObject{{"name", b64("by Bob")}, {"description", b64("desc")}});
    NATTER_HTTP(renamed, 200);
    QCOMPARE(renamed.object().value("name").toString(), b64("by Bob"));
    NATTER_TAKE(ev2, c, "group_event", groupEvent(chat, "updated"));
    QCOMPARE(intField(ev2, "actor_id"), b.userId());
    const HttpResult seen = c.request("GET", path);
    QCOMPARE(seen.object().value("name").toString(), b64("by Bob"));
    QCOMPARE(seen.object().value("description").toString(), b64("desc"));

    NATTER_REFUSED(b.request("PUT", path, QJsonObject{{"members_can_edit", false}}), 403, "forbidden");
    NATTER_REFUSED(b.request("POST", path + "/members", QJsonObject{{"user_ids", QJsonArray{d.userId()}}}), 403, "forbidden");
    QCOMPARE(c.request("GET", path).object().value("members_can_edit").toBool(), true);
}

void TstGroups::lastAdminLeavingPromotesTheLowestIdMember() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid", "Dan"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid"), &d = world.user("Dan");
    NATTER_GROUP(chat, a, "g", {d.userId(), c.userId(), b.userId()});
    const QString path = TestClient::groupPath(chat);

    const HttpResult left = b.request("DELETE", path + QStringLiteral("/members/%1").arg(b.userId()));
    NATTER_HTTP(left, 200);
    QVERIFY(!roles(left.object()).contains(b.userId()));
    for (TestClient* x : {&a, &c, &d}) {
        NATTER_TAKE(ev, *x, "group_event", groupEvent(chat, "left"));
        QCOMPARE(idSet(ev.value("user_ids").toArray()), QSet<qint64>{b.userId()});
        QCOMPARE(intField(ev, "actor_id"), b.userId());
    }
    NATTER_REFUSED(b.request("GET", path), 403, "forbidden");

    const HttpResult adminLeft = a.request("DELETE", path + QStringLiteral("/members/%1").arg(a.userId()));
    NATTER_HTTP(adminLeft, 200);
    const qint64 lowest = std::min(c.userId(), d.userId());
    QCOMPARE(roles(adminLeft.object()), (QMap<qint64, QString>{{lowest, "admin"}, {std::max(c.userId(), d.userId()), "member"}}));
    for (TestClient* x : {&c, &d}) {
        NATTER_TAKE(l, *x, "group_event", groupEvent(chat, "left"));
        NATTER_TAKE(p, *x, "group_event", groupEvent(chat, "promoted"));
        QCOMPARE(idSet(p.value("user_ids").toArray()), QSet<qint64>{lowest});
        QVERIFY(intField(p, "seq") > intField(l, "seq"));
    }
    NATTER_HTTP((lowest == c.userId() ? c : d).request("PUT", path, QJsonObject{{"name", b64("new admin")}}), 200);
}

void TstGroups::promotingAndDemotingChangesRolesWithEventsAndKeepsAnAdmin() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid", "Dan"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid"), &d = world.user("Dan");
    for (TestClient* x : {&a, &b, &c}) NATTER_SESSION(*x);
    NATTER_GROUP(chat, a, "g", {b.userId(), c.userId()});
    const QString path = TestClient::groupPath(chat);
    const QString bRole = path + QStringLiteral("/members/%1").arg(b.userId());

    const HttpResult promoted = a.request("PUT", bRole, QJsonObject{{"role", "admin"}});
    NATTER_HTTP(promoted, 200);
    QCOMPARE(roles(promoted.object()).value(b.userId()), QStringLiteral("admin"));
    for (TestClient* x : {&b, &c}) {
        NATTER_TAKE(ev, *x, "group_event", groupEvent(chat, "promoted"));
        QCOMPARE(idSet(ev.value("user_ids").toArray()), QSet<qint64>{b.userId()});
        QCOMPARE(intField(ev, "actor_id"), a.userId());
    }
    NATTER_HTTP(b.request("POST", path + "/members", QJsonObject{{"user_ids", QJsonArray{d.userId()}}}), 200);

    const HttpResult demoted = a.request("PUT", bRole, QJsonObject{{"role", "member"}});
    NATTER_HTTP(demoted, 200);
    QCOMPARE(roles(demoted.object()).value(b.userId()), QStringLiteral("member"));
    for (TestClient* x : {&b, &c}) {
        NATTER_TAKE(ev, *x, "group_event", groupEvent(chat, "demoted"));
        QCOMPARE(idSet(ev.value("user_ids").toArray()), QSet<qint64>{b.userId()});
    }
    NATTER_REFUSED(b.request("DELETE", path + QStringLiteral("/members/%1").arg(d.userId())), 403, "forbidden");
    NATTER_REFUSED(c.request("PUT", bRole, QJsonObject{{"role", "admin"}}), 403, "forbidden");
    // The only admin cannot step down: a group always keeps an admin.
    NATTER_REFUSED(a.request("PUT", path + QStringLiteral("/members/%1").arg(a.userId()), QJsonObject{{"role", "member"}}), 409, "conflict");
    QCOMPARE(roles(a.request("GET", path).object()).value(a.userId()), QStringLiteral("admin"));
}

void TstGroups::receiptsAreKeptPerMemberAndRelayedToTheSender() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    TestClient a2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    for (TestClient* x : {&a1, &a2, &b, &c}) NATTER_SESSION(*x);
    NATTER_GROUP(chat, a1, "g", {b.userId(), c.userId()});
    const auto ack = a1.sendToGroup(chat, "r1", "hello group");
    NATTER_ACKED(ack, a1);
    const qint64 id = intField(*ack, "message_id");
    for (TestClient* x : {&b, &c}) QVERIFY2(x->waitFor("message", byMessageId(id)), qPrintable(x->describePending()));

    const QString receiptsPath = QStringLiteral("/api/messages/%1/receipts").arg(id);
    const HttpResult fresh = a1.request("GET", receiptsPath);
    NATTER_HTTP(fresh, 200);
    QCOMPARE(fresh.object().value("chat_id").toString(), chat);
    QCOMPARE(byUser(fresh.object().value("recipients").toArray(), "status"),
             (QMap<qint64, QString>{{b.userId(), "sent"}, {c.userId(), "sent"}}));

    b.ackDelivered(id);
    for (TestClient* sender : {&a1, &a2}) {
        NATTER_TAKE(r, *sender, "receipt", byMessageId(id));
        QCOMPARE(r.value("status").toString(), QStringLiteral("delivered"));
        QCOMPARE(intField(r, "user_id"), b.userId());
        QCOMPARE(r.value("chat_id").toString(), chat);
    }
    c.ackDelivered(id);
    c.ackRead(id);
    for (TestClient* sender : {&a1, &a2}) {
        NATTER_TAKE(r1, *sender, "receipt", byMessageId(id));
        NATTER_TAKE(r2, *sender, "receipt", byMessageId(id));
        QCOMPARE(intField(r1, "user_id"), c.userId());
        QCOMPARE(r1.value("status").toString(), QStringLiteral("delivered"));
        QCOMPARE(r2.value("status").toString(), QStringLiteral("read"));
    }
    const HttpResult later = a1.request("GET", receiptsPath);
    NATTER_HTTP(later, 200);
    QCOMPARE(byUser(later.object().value("recipients").toArray(), "status"),
             (QMap<qint64, QString>{{b.userId(), "delivered"}, {c.userId(), "read"}}));
    NATTER_REFUSED(b.request("GET", receiptsPath), 403, "forbidden");
}

void TstGroups::burstBeyondTheGroupMessageRateIsRateLimited() {
    ServerWorld world({"--group-message-rate", "2"});
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    QCOMPARE(a.request("GET", "/api/config").object().value("group_message_rate").toDouble(), 2.0);
    NATTER_GROUP(chat, a, "g", {b.userId(), c.userId()});
    constexpr int kEach = 15; // two senders together: one shared budget per group
    for (int i = 0; i < kEach; ++i) {
        a.send(TestClient::groupMessageFrame(chat, QStringLiteral("a%1").arg(i), "x"));
        b.send(TestClient::groupMessageFrame(chat, QStringLiteral("b%1").arg(i), "x"));
    }
    int acked = 0, limited = 0, ackedA = 0;
    for (auto [sender, prefix] : {std::pair{&a, 'a'}, std::pair{&b, 'b'}})
        for (int i = 0; i < kEach; ++i) {
            const auto res = sender->waitForSendResult(QStringLiteral("%1%2").arg(prefix).arg(i), 10000);
            QVERIFY2(res, qPrintable(sender->describePending()));
            if (res->value("type") == "ack") {
                ++acked;
                if (sender == &a) ++ackedA;
            } else {
                QVERIFY2(res->value("code") == "rate_limited", qPrintable(compact(*res)));
                ++limited;
            }
        }
    QVERIFY2(limited > 0 && acked > 0, qPrintable(QStringLiteral("%1 acked, %2 rate_limited").arg(acked).arg(limited)));
    QVERIFY2(acked <= 10, qPrintable(QStringLiteral("%1 of %2 accepted at 2 msg/s").arg(acked).arg(2 * kEach)));
    // Only accepted messages are delivered: C gets exactly `acked` of them, B exactly A's.
    const auto got = c.waitForCount("message", acked, 10000);
    QVERIFY2(got, qPrintable(c.describePending()));
    NATTER_QUIET(c, "message");
    QVERIFY2(b.waitForCount("message", ackedA, 10000), qPrintable(b.describePending()));
    NATTER_QUIET(b, "message");
}

void TstGroups::typingInAGroupReachesOtherMembersOnlineDevices() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid", "Dan"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b1 = world.user("Bob"), &c = world.user("Cid"), &d = world.user("Dan");
    TestClient b2(world.server());
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));
    for (TestClient* x : {&a, &b1, &b2, &c, &d}) NATTER_SESSION(*x);
    NATTER_GROUP(chat, a, "g", {b1.userId(), c.userId()});
    a.send(QJsonObject{{"type", "typing"}, {"chat_id", chat}, {"state", "start"}});
    for (TestClient* x : {&b1, &b2, &c}) {
        NATTER_TAKE(t, *x, "typing", inChat(chat));
        QCOMPARE(intField(t, "user_id"), a.userId());
        QCOMPARE(intField(t, "device_id"), a.deviceId());
        QCOMPARE(t.value("state").toString(), QStringLiteral("start"));
    }
    for (TestClient* x : {&a, &d}) NATTER_QUIET(*x, "typing");
    d.send(QJsonObject{{"type", "typing"}, {"chat_id", chat}, {"state", "start"}});
    NATTER_TAKE(err, d, "error");
    QCOMPARE(err.value("code").toString(), QStringLiteral("forbidden"));
    for (TestClient* x : {&a, &b1, &c}) NATTER_QUIET(*x, "typing");
}

void TstGroups::envelopesToAGroupAndContentToADirectChatAreInvalid() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_GROUP(chat, a, "g", {b.userId()});
    a.send(TestClient::messageFrame(chat, "env", TestClient::envelopes({b.address()}, "x")));
    NATTER_SEND_REFUSED(a.waitForSendResult("env"), a, "invalid_field");
    a.send(QJsonObject{{"type", "message"}, {"chat_id", a.chatWith(b)}, {"client_msg_id", "content"}, {"content", b64("x")}});
    NATTER_SEND_REFUSED(a.waitForSendResult("content"), a, "invalid_field");
    NATTER_QUIET(b, "message");
}

// client_msg_id is the client's to choose: no value may collide with the group's own events
// (natterd gives each event an internal id "event:<chat>:<seq>" of the acting device).
void TstGroups::clientMsgIdsNeverCollideWithGroupEvents_data() {
    QTest::addColumn<bool>("aliasPastEvent");
    QTest::newRow("id of the created event: still a new message") << true;
    QTest::newRow("id of the next event: the change still succeeds") << false;
}

void TstGroups::clientMsgIdsNeverCollideWithGroupEvents() {
    QFETCH(bool, aliasPastEvent);
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_GROUP(chat, a, "g", {b.userId()});
    const QString cmid = "event:" + chat + (aliasPastEvent ? ":1" : ":3");
    const auto ack = a.sendToGroup(chat, cmid, "m");
    NATTER_ACKED(ack, a);
    QCOMPARE(intField(*ack, "seq"), 2);
    NATTER_TAKE(m, b, "message", byClientMsgId(cmid));
    NATTER_HTTP(a.request("PUT", TestClient::groupPath(chat), QJsonObject{{"name", b64("n")}}), 200); // the event at seq 3
}

QTEST_GUILESS_MAIN(TstGroups)
#include "tst_groups.moc"
