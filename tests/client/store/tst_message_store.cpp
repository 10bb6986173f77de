// MessageStore and ChatStore behaviour: dedup, seq ordering and paging, forward-only state,
// receipts, unread counts, full-text search and the chat list order.
#include "store_test_support.h"

#include "client/store/chat_store.h"
#include "client/store/message_store.h"

using namespace natter::client;
using namespace natter::client::store;
using namespace natter::client::store::test;

namespace {

const QString kChat = QStringLiteral("d:1:42");
const QString kOther = QStringLiteral("d:1:43");

QStringList texts(const std::vector<MessageRecord>& page) {
    QStringList out;
    for (const auto& m : page) out << m.text;
    return out;
}

ChatRecord chat(const QString& id, const QString& title) {
    ChatRecord c;
    c.chatId = id;
    c.title = title;
    return c;
}

} // namespace

class TestMessageStore : public QObject {
    Q_OBJECT
    std::unique_ptr<TempStore> m_store;
    std::unique_ptr<MessageStore> m_messages;
    std::unique_ptr<ChatStore> m_chats;

    qint64 add(const MessageRecord& m) {
        auto r = m_messages->insert(m);
        if (!r || !r->inserted) qWarning() << "insert failed or deduplicated";
        return r ? r->localId : 0;
    }

private slots:
    void init() {
        m_store = std::make_unique<TempStore>();
        QVERIFY(m_store->open());
        m_messages = std::make_unique<MessageStore>(*m_store->db);
        m_chats = std::make_unique<ChatStore>(*m_store->db);
    }
    void cleanup() {
        m_messages.reset();
        m_chats.reset();
        m_store.reset();
    }

    void aSecondCopyWithTheSameServerIdIsNotInserted() {
        auto first = m_messages->insert(message(kChat, 42, QStringLiteral("a"), 1, QStringLiteral("hello"), 500));
        QVERIFY(first && first->inserted);
        auto again = m_messages->insert(message(kChat, 42, QStringLiteral("b"), 1, QStringLiteral("hello"), 500));
        QVERIFY(again);
        QVERIFY(!again->inserted);
        QCOMPARE(again->localId, first->localId);
        QCOMPARE(*m_messages->count(kChat), 1);
    }

    void aResendWithTheSameSenderAndClientMsgIdIsNotInserted() {
        auto first = m_messages->insert(message(kChat, 42, QStringLiteral("c-1"), 1, QStringLiteral("hi"), 501));
        QVERIFY(first && first->inserted);
        auto resend = m_messages->insert(message(kChat, 42, QStringLiteral("c-1"), 2, QStringLiteral("hi"), 502));
        QVERIFY(resend && !resend->inserted);
        QCOMPARE(resend->localId, first->localId);
        auto otherSender = m_messages->insert(message(kChat, 43, QStringLiteral("c-1"), 3, QStringLiteral("hi"), 503));
        QVERIFY(otherSender && otherSender->inserted);
        QCOMPARE(*m_messages->count(kChat), 2);
        auto found = m_messages->byClientMsgId(43, QStringLiteral("c-1"));
        QVERIFY(found && *found);
        QCOMPARE((*found)->messageId, MessageId(503));
    }

    void pagesAreOrderedBySeqWithPendingMessagesLast() {
        add(message(kChat, 42, QStringLiteral("m3"), 3, QStringLiteral("three"), 3));
        add(message(kChat, 42, QStringLiteral("m1"), 1, QStringLiteral("one"), 1));
        const qint64 p1 = add(message(kChat, 1, QStringLiteral("p1"), 0, QStringLiteral("pending one")));
        const qint64 two = add(message(kChat, 42, QStringLiteral("m2"), 2, QStringLiteral("two"), 2));
        add(message(kChat, 1, QStringLiteral("p2"), 0, QStringLiteral("pending two")));
        add(message(kChat, 42, QStringLiteral("m4"), 4, QStringLiteral("four"), 4));
        add(message(kOther, 43, QStringLiteral("x"), 1, QStringLiteral("elsewhere"), 9));

        const QStringList all{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three"),
                              QStringLiteral("four"), QStringLiteral("pending one"), QStringLiteral("pending two")};
        QCOMPARE(texts(*m_messages->page(kChat, 50)), all);
        QCOMPARE(texts(*m_messages->page(kChat, 2)), all.mid(4, 2));
        QCOMPARE(texts(*m_messages->page(kChat, 3, p1)), all.mid(1, 3));
        QCOMPARE(texts(*m_messages->page(kChat, 5, two)), all.mid(0, 1));
        QVERIFY(m_messages->page(kChat, 5, add(message(kOther, 43, QStringLiteral("y"), 2, QStringLiteral("z"), 10)))
                    .has_error());
    }

    void aSentMessageMovesFromThePendingTailIntoSeqOrder() {
        add(message(kChat, 42, QStringLiteral("m1"), 1, QStringLiteral("one"), 1));
        const qint64 mine = add(message(kChat, 1, QStringLiteral("p1"), 0, QStringLiteral("mine")));
        add(message(kChat, 42, QStringLiteral("m3"), 3, QStringLiteral("three"), 3));
        QCOMPARE(texts(*m_messages->page(kChat, 10)).last(), QStringLiteral("mine"));
        QVERIFY(m_messages->markSent(mine, 2, 2, 1'700'000'002'000));
        QCOMPARE(texts(*m_messages->page(kChat, 10)),
                 (QStringList{QStringLiteral("one"), QStringLiteral("mine"), QStringLiteral("three")}));
        auto sent = *m_messages->byLocalId(mine);
        QCOMPARE(sent->state, MessageState::sent);
        QCOMPARE(sent->seq, Seq(2));
        QCOMPARE(sent->messageId, MessageId(2));
    }

    void advanceStateNeverGoesBackwards() {
        const qint64 id = add(message(kChat, 1, QStringLiteral("p"), 0, QStringLiteral("out")));
        auto state = [&] { return (*m_messages->byLocalId(id))->state; };
        QVERIFY(m_messages->advanceState(id, MessageState::read));
        QCOMPARE(state(), MessageState::read);
        QVERIFY(m_messages->advanceState(id, MessageState::delivered));
        QCOMPARE(state(), MessageState::read);
        QVERIFY(m_messages->advanceState(id, MessageState::sent));
        QVERIFY(m_messages->advanceState(id, MessageState::pending));
        QVERIFY(m_messages->advanceState(id, MessageState::failed));
        QCOMPARE(state(), MessageState::read);
        QVERIFY(m_messages->markSent(id, 77, 5, 1));
        QCOMPARE(state(), MessageState::read);

        const qint64 other = add(message(kChat, 1, QStringLiteral("q"), 0, QStringLiteral("out2")));
        QVERIFY(m_messages->advanceState(other, MessageState::failed));
        QCOMPARE((*m_messages->byLocalId(other))->state, MessageState::failed);
        QVERIFY(m_messages->advanceState(other, MessageState::delivered));
        QCOMPARE((*m_messages->byLocalId(other))->state, MessageState::delivered);
    }

    void receiptsKeepTheFurthestStatusPerRecipient() {
        const qint64 id = add(message(QStringLiteral("g:team"), 1, QStringLiteral("g1"), 1, QStringLiteral("hi all"), 70));
        QVERIFY(m_messages->addReceipt(id, ReceiptRecord{42, DeliveryStatus::delivered, 10}));
        QVERIFY(m_messages->addReceipt(id, ReceiptRecord{42, DeliveryStatus::read, 20}));
        QVERIFY(m_messages->addReceipt(id, ReceiptRecord{42, DeliveryStatus::delivered, 30}));
        QVERIFY(m_messages->addReceipt(id, ReceiptRecord{43, DeliveryStatus::delivered, 15}));
        auto receipts = *m_messages->receipts(id);
        QCOMPARE(receipts.size(), size_t(2));
        QCOMPARE(receipts[0].userId, UserId(42));
        QCOMPARE(receipts[0].status, DeliveryStatus::read);
        QCOMPARE(receipts[0].at, 20);
        QCOMPARE(receipts[1].status, DeliveryStatus::delivered);
        auto unknown = m_messages->addReceipt(id + 100, ReceiptRecord{42, DeliveryStatus::read, 1});
        QVERIFY(!unknown);
        COMPARE_KIND(unknown.error().kind, ErrorKind::NotFound);
    }

    void unreadCountsFollowIncomingMessagesUntilMarkedRead() {
        QVERIFY(m_chats->ensure(chat(kChat, QStringLiteral("Alice"))));
        add(message(kChat, 42, QStringLiteral("i1"), 1, QStringLiteral("first"), 1));
        QVERIFY(m_chats->touch(kChat, 1000, QStringLiteral("first"), true));
        add(message(kChat, 1, QStringLiteral("o1"), 2, QStringLiteral("mine"), 2));
        QVERIFY(m_chats->touch(kChat, 2000, QStringLiteral("mine"), false));
        add(message(kChat, 42, QStringLiteral("i2"), 3, QStringLiteral("second"), 3));
        QVERIFY(m_chats->touch(kChat, 3000, QStringLiteral("second"), true));

        QCOMPARE((*m_chats->byId(kChat))->unread, 2);
        QCOMPARE((*m_chats->byId(kChat))->lastPreview, QStringLiteral("second"));
        QCOMPARE(texts(*m_messages->unreadIncoming(kChat)), (QStringList{QStringLiteral("first"), QStringLiteral("second")}));

        QVERIFY(m_messages->markIncomingRead(kChat));
        QVERIFY(m_chats->clearUnread(kChat));
        QCOMPARE((*m_chats->byId(kChat))->unread, 0);
        QVERIFY(m_messages->unreadIncoming(kChat)->empty());
        for (const auto& m : *m_messages->page(kChat, 10))
            if (m.direction == MessageDirection::incoming) QCOMPARE(m.state, MessageState::read);
            else QCOMPARE(m.state, MessageState::sent);
    }

    void anOlderMessageArrivingLateDoesNotReplaceThePreview() {
        QVERIFY(m_chats->ensure(chat(kChat, QStringLiteral("Alice"))));
        QVERIFY(m_chats->touch(kChat, 5000, QStringLiteral("newest"), false));
        QVERIFY(m_chats->touch(kChat, 4000, QStringLiteral("older"), true));
        auto c = *m_chats->byId(kChat);
        QCOMPARE(c->lastPreview, QStringLiteral("newest"));
        QCOMPARE(c->lastActivity, 5000);
        QCOMPARE(c->unread, 1);
        COMPARE_KIND(m_chats->touch(QStringLiteral("d:9:9"), 1, QStringLiteral("x"), false).error().kind, ErrorKind::NotFound);
    }

    void searchFindsWordsAcrossChatsNewestFirstWithSnippets() {
        add(message(kChat, 42, QStringLiteral("a"), 1, QStringLiteral("the blue heron flew over the lake"), 1));
        add(message(kOther, 43, QStringLiteral("b"), 5, QStringLiteral("I saw a Heron today"), 2));
        add(message(kOther, 43, QStringLiteral("c"), 6, QStringLiteral("nothing to see here"), 3));
        auto hits = m_messages->search(QStringLiteral("heron"));
        QVERIFY(hits);
        QCOMPARE(hits->size(), size_t(2));
        QCOMPARE((*hits)[0].chatId, kOther);
        QCOMPARE((*hits)[1].chatId, kChat);
        QVERIFY((*hits)[0].timestamp > (*hits)[1].timestamp);
        QVERIFY2((*hits)[0].snippet.contains(QStringLiteral("[Heron]")), qPrintable((*hits)[0].snippet));
        QVERIFY2((*hits)[1].snippet.contains(QStringLiteral("[heron]")), qPrintable((*hits)[1].snippet));
        QCOMPARE(m_messages->search(QStringLiteral("blue heron"))->size(), size_t(1));
        QCOMPARE(m_messages->search(QStringLiteral("heron flamingo"))->size(), size_t(0));
    }

    void searchMatchesThePrefixOfTheLastWord() {
        add(message(kChat, 42, QStringLiteral("a"), 1, QStringLiteral("let us reschedule the rendezvous"), 1));
        QCOMPARE(m_messages->search(QStringLiteral("rendez"))->size(), size_t(1));
        QCOMPARE(m_messages->search(QStringLiteral("resched rendezvous"))->size(), size_t(0));
        QCOMPARE(m_messages->search(QStringLiteral("reschedule rend"))->size(), size_t(1));
    }

    void searchSurvivesHostileInput() {
        add(message(kChat, 42, QStringLiteral("a"), 1, QStringLiteral("hello AND goodbye (or not) \"quoted\""), 1));
        const QStringList hostile{QStringLiteral("\""), QStringLiteral("AND("), QStringLiteral("*"),
                                  QStringLiteral("NEAR/3"), QStringLiteral("-"), QStringLiteral("OR"),
                                  QStringLiteral("'); DROP TABLE messages; --"), QStringLiteral("a\"b"),
                                  QStringLiteral("hello OR"), QStringLiteral("(((("), QStringLiteral("^"),
                                  QStringLiteral("col:hello"), QString(), QStringLiteral("   ")};
        for (const QString& input : hostile) {
            auto hits = m_messages->search(input);
            QVERIFY2(hits, qPrintable(QStringLiteral("search failed for: ") + input));
        }
        QCOMPARE(m_messages->search(QStringLiteral("\"hello"))->size(), size_t(1));
        QCOMPARE(m_messages->search(QStringLiteral("AND("))->size(), size_t(1));
        QCOMPARE(m_messages->search(QStringLiteral("\"quoted\""))->size(), size_t(1));
        QCOMPARE(*m_messages->count(kChat), 1);
    }

    void searchReflectsReplacedContent() {
        MessageRecord placeholder = message(kChat, 42, QStringLiteral("u"), 1, QStringLiteral("waiting for this message"), 1);
        placeholder.kind = MessageKind::undecryptable;
        const qint64 id = add(placeholder);
        QCOMPARE(m_messages->search(QStringLiteral("waiting"))->size(), size_t(0));
        QVERIFY(m_messages->replaceContent(id, MessageKind::text, QStringLiteral("the password is swordfish"), std::nullopt));
        auto hits = *m_messages->search(QStringLiteral("swordfish"));
        QCOMPARE(hits.size(), size_t(1));
        QCOMPARE(hits[0].localId, id);
        QCOMPARE(m_messages->search(QStringLiteral("waiting"))->size(), size_t(0));
        QVERIFY(m_messages->replaceContent(id, MessageKind::text, QStringLiteral("changed again"), std::nullopt));
        QCOMPARE(m_messages->search(QStringLiteral("swordfish"))->size(), size_t(0));
        QCOMPARE(m_messages->search(QStringLiteral("changed"))->size(), size_t(1));
    }

    void mediaFieldsRoundTripAndTheBlobPathCanBeSetLater() {
        MessageRecord m = message(kChat, 42, QStringLiteral("m"), 1, QStringLiteral("caption"), 1);
        m.kind = MessageKind::media;
        m.media = MediaRecord{QStringLiteral("mid"), QByteArray(64, 'k'), QByteArray(32, 'd'), QStringLiteral("image/png"),
                              1234, QStringLiteral("cat.png"), QByteArrayLiteral("thumb"), QString()};
        const qint64 id = add(m);
        QVERIFY(m_messages->setMediaBlobPath(id, QStringLiteral("/p/media/mid")));
        auto stored = *m_messages->byLocalId(id);
        QVERIFY(stored->media);
        QCOMPARE(stored->media->key, QByteArray(64, 'k'));
        QCOMPARE(stored->media->fileName, QStringLiteral("cat.png"));
        QCOMPARE(stored->media->size, 1234);
        QCOMPARE(stored->media->localBlobPath, QStringLiteral("/p/media/mid"));
    }

    void seqBookkeepingCoversMessagesAndControlEntries() {
        QCOMPARE(*m_messages->maxSeq(kChat), Seq(0));
        add(message(kChat, 42, QStringLiteral("a"), 3, QStringLiteral("x"), 1));
        QVERIFY(m_messages->recordSeq(kChat, 5));
        QVERIFY(m_messages->recordSeq(kChat, 5));
        QCOMPARE(*m_messages->maxSeq(kChat), Seq(5));
        QVERIFY(*m_messages->hasSeq(kChat, 3));
        QVERIFY(*m_messages->hasSeq(kChat, 5));
        QVERIFY(!*m_messages->hasSeq(kChat, 4));
        QVERIFY(!*m_messages->hasSeq(kOther, 5));
    }

    void theChatListShowsPinnedChatsFirstThenByActivity() {
        QVERIFY(m_chats->ensure(chat(QStringLiteral("c:old"), QStringLiteral("Old"))));
        QVERIFY(m_chats->ensure(chat(QStringLiteral("c:new"), QStringLiteral("New"))));
        QVERIFY(m_chats->ensure(chat(QStringLiteral("c:pin"), QStringLiteral("Pinned"))));
        QVERIFY(m_chats->ensure(chat(QStringLiteral("c:arc"), QStringLiteral("Archived"))));
        QVERIFY(m_chats->touch(QStringLiteral("c:old"), 1000, QStringLiteral("a"), false));
        QVERIFY(m_chats->touch(QStringLiteral("c:new"), 3000, QStringLiteral("b"), false));
        QVERIFY(m_chats->touch(QStringLiteral("c:pin"), 500, QStringLiteral("c"), false));
        QVERIFY(m_chats->touch(QStringLiteral("c:arc"), 9000, QStringLiteral("d"), false));
        QVERIFY(m_chats->setFlags(QStringLiteral("c:pin"), true, false, false));
        QVERIFY(m_chats->setFlags(QStringLiteral("c:arc"), false, false, true));
        auto ids = [](const std::vector<ChatRecord>& list) {
            QStringList out;
            for (const auto& c : list) out << c.chatId;
            return out;
        };
        QCOMPARE(ids(*m_chats->list()), (QStringList{QStringLiteral("c:pin"), QStringLiteral("c:new"), QStringLiteral("c:old")}));
        QCOMPARE(ids(*m_chats->list(true)), (QStringList{QStringLiteral("c:pin"), QStringLiteral("c:arc"),
                                                         QStringLiteral("c:new"), QStringLiteral("c:old")}));
        QVERIFY(m_chats->ensure(chat(QStringLiteral("c:old"), QString())));
        QCOMPARE((*m_chats->byId(QStringLiteral("c:old")))->title, QStringLiteral("Old"));
    }
};

QTEST_GUILESS_MAIN(TestMessageStore)
#include "tst_message_store.moc"
