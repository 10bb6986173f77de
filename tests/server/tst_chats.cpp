// The chat list (order, unread counts, last message, groups) and history paging.
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QMap>
#include <QTest>

#include <limits>

using namespace natter::test;

namespace {
// GET /api/chats as chat id -> summary, plus the ids in list order.
struct Chats {
    QList<QString> order;
    QMap<QString, QJsonObject> byId;
    QString error;
};
Chats chatsOf(TestClient& c) {
    Chats out;
    const HttpResult r = c.request("GET", "/api/chats");
    if (r.status != 200) {
        out.error = r.describe();
        return out;
    }
    for (const QJsonValue& v : r.object().value("chats").toArray()) {
        out.order << v.toObject().value("chat_id").toString();
        out.byId.insert(out.order.last(), v.toObject());
    }
    return out;
}
qint64 unread(TestClient& c, const QString& chat) { return intField(chatsOf(c).byId.value(chat), "unread_count"); }
QList<qint64> seqsOf(const QJsonArray& items) {
    QList<qint64> out;
    for (const QJsonValue& v : items) out << v.toObject().value("seq").toInteger();
    return out;
}
// The server stamps entries in milliseconds: move its clock so activity times differ.
bool nextMillisecond(NatterdProcess& server) { return server.advanceClock(std::chrono::milliseconds(5)); }
} // namespace

#define NATTER_CHATS(var, client)                                   \
    const Chats var = chatsOf(client);                              \
    QVERIFY2(var.error.isEmpty(), qPrintable(var.error))

class TstChats : public QObject {
    Q_OBJECT
private slots:
    void chatListIsOrderedByLastActivityNewestFirstWithGroupsByName();
    void lastMessageDescribesTheNewestEntryOfEachChat();
    void unreadCountsOthersMessagesAfterTheReadPosition();
    void groupUnreadCountIgnoresEventsAndOwnMessages();
    void formerMembersNoLongerListTheGroup();
    void historyPagesBackwardsWithEachDevicesOwnContent();
    void badPagingParametersAreRefused();
    void historyOfOthersOrUnknownChatsIsRefused();
};

void TstChats::chatListIsOrderedByLastActivityNewestFirstWithGroupsByName() {
    ServerWorld world;
    NatterdProcess& server = world.server();
    server.useAdjustableClock();
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    const QString ab = a.chatWith(b), ac = a.chatWith(c);

    NATTER_ACKED(a.sendTo(b, "1", "to Bob"), a);
    QVERIFY(nextMillisecond(server));
    NATTER_ACKED(a.sendTo(c, "2", "to Cid"), a);
    QVERIFY(nextMillisecond(server));
    NATTER_GROUP(group, a, "group name", {b.userId()});
    {
        NATTER_CHATS(list, a);
        QCOMPARE(list.order, (QList<QString>{group, ac, ab}));
    }
    QVERIFY(nextMillisecond(server));
    NATTER_ACKED(b.sendTo(a, "3", "Bob again"), b);

    NATTER_CHATS(list, a);
    QCOMPARE(list.order, (QList<QString>{ab, group, ac}));
    qint64 previous = std::numeric_limits<qint64>::max();
    for (const QString& id : list.order) {
        const qint64 activity = intField(list.byId[id], "last_activity");
        QVERIFY2(activity <= previous, qPrintable(compact(list.byId[id])));
        QCOMPARE(activity, intField(list.byId[id].value("last_message").toObject(), "timestamp"));
        previous = activity;
    }
    const QJsonObject g = list.byId[group];
    QCOMPARE(g.value("type").toString(), QStringLiteral("group"));
    QCOMPARE(g.value("name").toString(), b64("group name"));
    QCOMPARE(idSet(g.value("participants").toArray()), (QSet<qint64>{a.userId(), b.userId()}));
    const QJsonObject d = list.byId[ab];
    QCOMPARE(d.value("type").toString(), QStringLiteral("direct"));
    QVERIFY2(!d.contains("name") || d.value("name").isNull(), qPrintable(compact(d)));
    QCOMPARE(idSet(d.value("participants").toArray()), (QSet<qint64>{a.userId(), b.userId()}));

    NATTER_CHATS(bobs, b);
    QCOMPARE(bobs.order, (QList<QString>{ab, group})); // not Ann's chat with Cid
    NATTER_CHATS(cids, c);
    QCOMPARE(cids.order, QList<QString>{ac});
}

void TstChats::lastMessageDescribesTheNewestEntryOfEachChat() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_ACKED(a.sendTo(b, "1", "first"), a);
    const auto second = b.sendTo(a, "2", "second");
    NATTER_ACKED(second, b);
    NATTER_GROUP(group, a, "g", {b.userId()});
    NATTER_TAKE(event, b, "group_event", groupEvent(group, "created"));

    NATTER_CHATS(list, a);
    const QJsonObject dm = list.byId[a.chatWith(b)].value("last_message").toObject();
    QCOMPARE(intField(dm, "message_id"), intField(*second, "message_id"));
    QCOMPARE(intField(dm, "seq"), 2);
    QCOMPARE(intField(dm, "sender_id"), b.userId());
    QCOMPARE(intField(dm, "timestamp"), intField(*second, "timestamp"));
    // A group's newest entry may be an event: the actor is its sender.
    const QJsonObject ev = list.byId[group].value("last_message").toObject();
    QCOMPARE(intField(ev, "message_id"), intField(event, "message_id"));
    QCOMPARE(intField(ev, "seq"), 1);
    QCOMPARE(intField(ev, "sender_id"), a.userId());
    QCOMPARE(intField(ev, "timestamp"), intField(event, "timestamp"));

    const auto inGroup = b.sendToGroup(group, "g1", "hello group");
    NATTER_ACKED(inGroup, b);
    NATTER_CHATS(after, a);
    const QJsonObject gm = after.byId[group].value("last_message").toObject();
    QCOMPARE(intField(gm, "message_id"), intField(*inGroup, "message_id"));
    QCOMPARE(intField(gm, "seq"), 2);
    QCOMPARE(intField(gm, "sender_id"), b.userId());
    QCOMPARE(after.order.first(), group);
}

void TstChats::unreadCountsOthersMessagesAfterTheReadPosition() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b1 = world.user("Bob");
    TestClient b2(world.server());
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));
    for (TestClient* x : {&a, &b1, &b2}) NATTER_SESSION(*x);
    const QString chat = a.chatWith(b1);

    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const auto ack = a.sendTo(b1, QString::number(i), "m");
        NATTER_ACKED(ack, a);
        ids << intField(*ack, "message_id");
    }
    QCOMPARE(unread(b1, chat), 3);
    QCOMPARE(unread(a, chat), 0); // own messages never count
    for (qint64 id : ids) b1.ackDelivered(id);
    QVERIFY(b1.pingPong());
    QCOMPARE(unread(b1, chat), 3); // delivered is not read

    b2.ackRead(ids[1]); // any of the user's devices moves the user's read position
    QVERIFY(b2.pingPong());
    QCOMPARE(unread(b1, chat), 1);

    NATTER_ACKED(b1.sendTo(a, "reply", "r"), b1); // own send: read up to the newest
    QCOMPARE(unread(b1, chat), 0);
    QCOMPARE(unread(a, chat), 1);

    QList<qint64> more;
    for (int i = 0; i < 2; ++i) {
        const auto ack = a.sendTo(b1, QStringLiteral("more%1").arg(i), "m");
        NATTER_ACKED(ack, a);
        more << intField(*ack, "message_id");
    }
    QCOMPARE(unread(b1, chat), 2);
    QVERIFY2(b1.waitFor("message", byMessageId(more[1])), qPrintable(b1.describePending()));
    b1.ackRead(more[1]);
    QVERIFY(b1.pingPong());
    QCOMPARE(unread(b1, chat), 0);
}

void TstChats::groupUnreadCountIgnoresEventsAndOwnMessages() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    NATTER_GROUP(group, a, "g", {b.userId(), c.userId()});
    QCOMPARE(unread(b, group), 0); // the "created" event is no message

    NATTER_ACKED(a.sendToGroup(group, "a1", "x"), a);
    const auto last = c.sendToGroup(group, "c1", "y");
    NATTER_ACKED(last, c);
    QCOMPARE(unread(b, group), 2);
    QCOMPARE(unread(a, group), 1);
    QCOMPARE(unread(c, group), 0);
    QVERIFY2(b.waitFor("message", byMessageId(intField(*last, "message_id"))), qPrintable(b.describePending()));
    b.ackRead(intField(*last, "message_id"));
    QVERIFY(b.pingPong());
    QCOMPARE(unread(b, group), 0);
    QCOMPARE(unread(a, group), 1); // read positions are per user
}

void TstChats::formerMembersNoLongerListTheGroup() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    NATTER_GROUP(group, a, "g", {b.userId(), c.userId()});
    NATTER_HTTP(a.request("DELETE", TestClient::groupPath(group) + QStringLiteral("/members/%1").arg(b.userId())), 200);
    NATTER_HTTP(c.request("DELETE", TestClient::groupPath(group) + QStringLiteral("/members/%1").arg(c.userId())), 200);
    for (TestClient* former : {&b, &c}) {
        NATTER_CHATS(list, *former);
        QVERIFY2(!list.order.contains(group), qPrintable(compact(list.byId.value(group))));
    }
    NATTER_CHATS(admins, a);
    QCOMPARE(admins.order, QList<QString>{group});
    QCOMPARE(idSet(admins.byId[group].value("participants").toArray()), QSet<qint64>{a.userId()});
}

void TstChats::historyPagesBackwardsWithEachDevicesOwnContent() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b = world.user("Bob");
    TestClient a2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    NATTER_SESSION(a1);
    const QString chat = a1.chatWith(b);
    const auto to = a1.recipientsFor(b.userId()); // B/1 and A/2
    const auto contentFor = [](int i, DeviceAddr d) { return QStringLiteral("msg %1 for %2/%3").arg(i).arg(d.userId).arg(d.deviceId).toUtf8(); };
    constexpr int kMessages = 120;
    for (int i = 1; i <= kMessages; ++i)
        a1.send(TestClient::messageFrame(chat, QStringLiteral("c%1").arg(i),
                                         TestClient::envelopes(to, [&](DeviceAddr d) { return contentFor(i, d); })));
    for (int i = 1; i <= kMessages; ++i) {
        const auto ack = a1.waitForSendResult(QStringLiteral("c%1").arg(i), 20000);
        NATTER_ACKED(ack, a1);
        QCOMPARE(intField(*ack, "seq"), i);
    }

    // Bob pages back: 71..120, 21..70, 1..20.
    const QList<std::tuple<QString, qint64, qint64, bool>> pages{
        {QString(), 71, 120, true}, {"?before=71", 21, 70, true}, {"?before=21", 1, 20, false}};
    for (const auto& [query, from, to_, more] : pages) {
        const HttpResult page = b.request("GET", TestClient::historyPath(chat, query));
        NATTER_HTTP(page, 200);
        const QJsonArray items = page.object().value("messages").toArray();
        QCOMPARE(seqsOf(items), range(from, to_));
        QCOMPARE(page.object().value("has_more").toBool(!more), more);
        for (const QJsonValue& v : items) {
            const QJsonObject item = v.toObject();
            const int i = int(item.value("seq").toInteger());
            QCOMPARE(item.value("content").toString(), b64(contentFor(i, b.address())));
            QCOMPARE(intField(item, "sender_id"), a1.userId());
            QCOMPARE(intField(item, "sender_device"), 1);
            QCOMPARE(item.value("client_msg_id").toString(), QStringLiteral("c%1").arg(i));
            QVERIFY(intField(item, "message_id") > 0 && intField(item, "timestamp") > 0);
            QVERIFY2(!item.contains("event") || item.value("event").isNull(), qPrintable(compact(item)));
        }
    }
    const HttpResult small = b.request("GET", TestClient::historyPath(chat, "?before=5&limit=3"));
    NATTER_HTTP(small, 200);
    QCOMPARE(seqsOf(small.object().value("messages").toArray()), (QList<qint64>{2, 3, 4}));
    QCOMPARE(small.object().value("has_more").toBool(), true);

    // The sending device kept no envelope of its own; the sender's other device has its copy.
    const HttpResult own = a1.request("GET", TestClient::historyPath(chat, "?limit=200"));
    NATTER_HTTP(own, 200);
    QCOMPARE(seqsOf(own.object().value("messages").toArray()), range(1, kMessages));
    QCOMPARE(own.object().value("has_more").toBool(true), false);
    for (const QJsonValue& v : own.object().value("messages").toArray())
        QVERIFY2(!v.toObject().contains("content") || v.toObject().value("content").isNull(), qPrintable(compact(v.toObject())));
    const HttpResult copy = a2.request("GET", TestClient::historyPath(chat, "?before=3"));
    NATTER_HTTP(copy, 200);
    const QJsonArray copies = copy.object().value("messages").toArray();
    QCOMPARE(seqsOf(copies), (QList<qint64>{1, 2}));
    QCOMPARE(copies.at(1).toObject().value("content").toString(), b64(contentFor(2, a2.address())));
}

void TstChats::badPagingParametersAreRefused() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_SESSION(a);
    NATTER_ACKED(a.sendTo(b, "1", "x"), a);
    const QString chat = a.chatWith(b);
    for (const char* query : {"?before=0", "?before=-1", "?before=abc", "?before=", "?limit=0", "?limit=201",
                              "?limit=-5", "?limit=ten", "?limit=1.5", "?before=2&limit=999"})
        NATTER_REFUSED(a.request("GET", TestClient::historyPath(chat, query)), 400, "invalid_field");
    NATTER_HTTP(a.request("GET", TestClient::historyPath(chat, "?limit=200")), 200);
    NATTER_HTTP(a.request("GET", TestClient::historyPath(chat, "?limit=1&before=1")), 200);
}

void TstChats::historyOfOthersOrUnknownChatsIsRefused() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    NATTER_SESSION(a);
    NATTER_ACKED(a.sendTo(b, "1", "private"), a);
    NATTER_GROUP(group, a, "g", {b.userId()});

    NATTER_REFUSED(c.request("GET", TestClient::historyPath(a.chatWith(b))), 403, "forbidden");
    NATTER_REFUSED(c.request("GET", TestClient::historyPath(group)), 403, "forbidden");
    NATTER_REFUSED(c.request("GET", TestClient::historyPath(QString(group).replace(":", "%3A"))), 403, "forbidden");
    NATTER_REFUSED(a.request("GET", TestClient::historyPath("g:AAAAAAAAAAAAAAAAAAAAAA")), 404, "not_found");
    NATTER_REFUSED(a.request("GET", TestClient::historyPath(a.chatWith(c))), 404, "not_found"); // no message yet: no chat
    NATTER_HTTP(b.request("GET", TestClient::historyPath(QString(group).replace(":", "%3A"))), 200);
    NATTER_CHATS(cids, c);
    QVERIFY2(cids.order.isEmpty(), qPrintable(cids.order.join(',')));
}

QTEST_GUILESS_MAIN(TstChats)
#include "tst_chats.moc"
