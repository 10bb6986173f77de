// The list models the apps show, over a real encrypted profile store: a conversation in
// seq order with unsent messages last, older pages fetched on demand, late messages landing
// where they belong; the chat list with pinned chats first, a filter and unread totals.
#include "client/models/chat_list_model.h"
#include "client/models/message_list_model.h"
#include "client/store/chat_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::client;

class TestListModels : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::ProfileStore> m_store;
    const QString m_chat = QStringLiteral("dm:1:2");
    int m_nextId = 1;

    qint64 add(Seq seq, const QString& text, MessageDirection direction = MessageDirection::incoming) {
        MessageRecord m;
        m.chatId = m_chat;
        m.seq = seq;
        m.messageId = seq ? MessageId(1000 + seq) : 0;
        m.clientMsgId = QStringLiteral("c-%1").arg(m_nextId++);
        m.senderId = direction == MessageDirection::incoming ? 2 : 1;
        m.direction = direction;
        m.state = seq ? MessageState::delivered : MessageState::pending;
        m.timestamp = 1732780800000 + qint64(seq) * 1000;
        m.text = text;
        auto inserted = m_store->messages().insert(m);
        return inserted ? inserted->localId : 0;
    }
    static QStringList texts(const MessageListModel& model) {
        QStringList out;
        for (int i = 0; i < model.rowCount(); ++i) out << model.data(model.index(i), MessageListModel::TextRole).toString();
        return out;
    }

private slots:
    void init() {
        qputenv("NATTER_PASSPHRASE", "models test passphrase");
        qputenv("NATTER_NO_KEYCHAIN", "1");
        m_store.reset();
        const QString root = m_dir.filePath(QStringLiteral("root-%1").arg(QTest::currentTestFunction()));
        auto opened = store::ProfileStore::open(QStringLiteral("models"), root, {});
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        m_store = std::move(*opened);
        ChatRecord chat;
        chat.chatId = m_chat;
        chat.title = QStringLiteral("Bob");
        chat.peerId = 2;
        QVERIFY(m_store->chats().ensure(chat));
    }

    void conversationRowsExposeQuoteReactionsEditedAndDeletedAndLoseDeletedForMeRows() {
        const qint64 original = add(1, QStringLiteral("See you at 8"));
        MessageRecord reply;
        reply.chatId = m_chat;
        reply.seq = 2;
        reply.messageId = 1002;
        reply.clientMsgId = QStringLiteral("c-reply");
        reply.senderId = 1;
        reply.direction = MessageDirection::outgoing;
        reply.state = MessageState::sent;
        reply.timestamp = 1732780802000;
        reply.text = QStringLiteral("9 is better");
        reply.quote = QuoteRecord{1001, 2, QStringLiteral("See you at 8"), false};
        QVERIFY(m_store->messages().insert(reply));
        QVERIFY(m_store->messages().setReaction(m_chat, 1001, 1, QStringLiteral("👍"), 1));
        QVERIFY(m_store->messages().setReaction(m_chat, 1001, 2, QStringLiteral("👍"), 2));
        QVERIFY(m_store->messages().setReaction(m_chat, 1001, 3, QStringLiteral("❤️"), 3));
        QVERIFY(m_store->messages().applyEdit(original, QStringLiteral("See you at 9"), QStringLiteral("See you at 9"), 4));

        MessageListModel model(*m_store, m_chat, 1);
        QCOMPARE(model.rowCount(), 2);
        const QVariantMap quote = model.data(model.index(1), MessageListModel::QuoteRole).toMap();
        QCOMPARE(quote.value("senderName").toString(), QStringLiteral("User 2"));
        QCOMPARE(quote.value("snippet").toString(), QStringLiteral("See you at 9")); // follows the edit
        QCOMPARE(quote.value("deleted").toBool(), false);
        QVERIFY(model.data(model.index(0), MessageListModel::QuoteRole).toMap().isEmpty());
        QCOMPARE(model.data(model.index(0), MessageListModel::EditedRole).toBool(), true);
        const QVariantList reactions = model.data(model.index(0), MessageListModel::ReactionsRole).toList();
        QCOMPARE(reactions.size(), 2);
        QCOMPARE(reactions[0].toMap().value("emoji").toString(), QStringLiteral("👍"));
        QCOMPARE(reactions[0].toMap().value("count").toInt(), 2);
        QCOMPARE(reactions[0].toMap().value("names").toStringList(), (QStringList{"You", "User 2"}));
        QCOMPARE(reactions[0].toMap().value("mine").toBool(), true);
        QCOMPARE(reactions[1].toMap().value("mine").toBool(), false);

        QVERIFY(m_store->messages().eraseForEveryone(original, 5));
        model.onMessageUpdated(original, m_chat);
        QCOMPARE(model.data(model.index(0), MessageListModel::DeletedRole).toBool(), true);
        QCOMPARE(model.data(model.index(0), MessageListModel::TextRole).toString(), QString());
        QVERIFY(model.data(model.index(0), MessageListModel::ReactionsRole).toList().isEmpty());
        model.onMessageUpdated(model.data(model.index(1), MessageListModel::LocalIdRole).toLongLong(), m_chat);
        QCOMPARE(model.data(model.index(1), MessageListModel::QuoteRole).toMap().value("deleted").toBool(), true);

        QVERIFY(m_store->messages().remove(original));
        model.onMessageRemoved(original, m_chat);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(texts(model), QStringList{"9 is better"});
    }

    void conversationIsInSeqOrderWithUnsentMessagesLast() {
        add(2, "second");
        add(0, "not sent yet", MessageDirection::outgoing);
        add(1, "first");
        MessageListModel model(*m_store, m_chat, 1);
        QCOMPARE(texts(model), (QStringList{"first", "second", "not sent yet"}));
        QCOMPARE(model.data(model.index(2), MessageListModel::StateRole).toString(), QStringLiteral("pending"));
        QCOMPARE(model.data(model.index(2), MessageListModel::OutgoingRole).toBool(), true);
        QCOMPARE(model.data(model.index(0), MessageListModel::SenderNameRole).toString(), QStringLiteral("User 2"));
    }

    void olderMessagesArePagedInOnlyWhenAsked() {
        for (int i = 1; i <= 120; ++i) add(Seq(i), QStringLiteral("m%1").arg(i));
        MessageListModel model(*m_store, m_chat, 1);
        QCOMPARE(model.rowCount(), 50);
        QCOMPARE(texts(model).front(), QStringLiteral("m71"));
        QCOMPARE(texts(model).back(), QStringLiteral("m120"));
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 100);
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 120);
        QCOMPARE(texts(model).front(), QStringLiteral("m1"));
        QVERIFY(!model.canFetchMore({}));
    }

    void aLateMessageLandsWhereItsSeqBelongs() {
        add(1, "one");
        add(2, "two");
        add(4, "four");
        MessageListModel model(*m_store, m_chat, 1);
        const qint64 three = add(3, "three");
        model.onMessageAdded(three, m_chat);
        QCOMPARE(texts(model), (QStringList{"one", "two", "three", "four"}));
        model.onMessageAdded(three, m_chat); // told twice: still shown once
        QCOMPARE(model.rowCount(), 4);
    }

    void aSentMessageMovesFromTheEndToItsSeq() {
        add(1, "one");
        const qint64 mine = add(0, "mine", MessageDirection::outgoing);
        MessageListModel model(*m_store, m_chat, 1);
        const qint64 three = add(3, "three");
        model.onMessageAdded(three, m_chat);
        QCOMPARE(texts(model), (QStringList{"one", "three", "mine"}));
        QVERIFY(m_store->messages().markSent(mine, 5002, 2, 1732780802000));
        model.onMessageUpdated(mine, m_chat);
        QCOMPARE(texts(model), (QStringList{"one", "mine", "three"}));
        QCOMPARE(model.data(model.index(1), MessageListModel::StateRole).toString(), QStringLiteral("sent"));
    }

    void chatListShowsPinnedFirstFiltersAndCountsUnread() {
        for (const auto& [id, title] : {std::pair{"dm:1:3", "Carol"}, std::pair{"dm:1:4", "Dave"}}) {
            ChatRecord chat;
            chat.chatId = id;
            chat.title = title;
            QVERIFY(m_store->chats().ensure(chat));
        }
        QVERIFY(m_store->chats().touch("dm:1:3", 3000, "newest", true));
        QVERIFY(m_store->chats().touch("dm:1:4", 2000, "older", true));
        QVERIFY(m_store->chats().touch("dm:1:4", 2500, "older again", true));
        QVERIFY(m_store->chats().touch(m_chat, 1000, "oldest", false));
        QVERIFY(m_store->chats().setFlags(m_chat, true, false, false));
        ChatListModel model(*m_store, [](const QString& chatId) {
            return chatId == "dm:1:3" ? QStringList{"Carol"} : QStringList{};
        });
        QStringList titles;
        for (int i = 0; i < model.rowCount(); ++i) titles << model.data(model.index(i), ChatListModel::TitleRole).toString();
        QCOMPARE(titles, (QStringList{"Bob", "Carol", "Dave"}));
        QCOMPARE(model.totalUnread(), 3);
        QCOMPARE(model.data(model.index(1), ChatListModel::TypingRole).toString(), QStringLiteral("Carol is typing…"));
        model.setFilter("dav");
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.totalUnread(), 3); // the badge does not shrink while searching
        QCOMPARE(model.data(model.index(0), ChatListModel::UnreadRole).toInt(), 2);
    }

    // "You: …" and its ticks: the row says whether the newest message is mine and its state,
    // and follows the state; archived chats are counted even while hidden.
    void chatListMarksMyOwnLastMessageAndCountsArchivedChats() {
        ChatRecord carol;
        carol.chatId = QStringLiteral("dm:1:3");
        carol.title = QStringLiteral("Carol");
        QVERIFY(m_store->chats().ensure(carol));
        const qint64 mine = add(1, QStringLiteral("see you"), MessageDirection::outgoing);
        ChatListModel model(*m_store, {});
        const auto rowOf = [&model](const QString& chatId) {
            for (int i = 0; i < model.rowCount(); ++i)
                if (model.data(model.index(i), ChatListModel::ChatIdRole).toString() == chatId) return i;
            return -1;
        };
        QCOMPARE(model.data(model.index(rowOf(m_chat)), ChatListModel::LastOutgoingRole).toBool(), true);
        QCOMPARE(model.data(model.index(rowOf(m_chat)), ChatListModel::LastStateRole).toString(), QStringLiteral("delivered"));
        QCOMPARE(model.data(model.index(rowOf(carol.chatId)), ChatListModel::LastOutgoingRole).toBool(), false);
        QCOMPARE(model.data(model.index(rowOf(carol.chatId)), ChatListModel::LastStateRole).toString(), QString());

        QVERIFY(m_store->messages().advanceState(mine, MessageState::read));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.onMessageUpdated(mine, m_chat);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(rowOf(m_chat)), ChatListModel::LastStateRole).toString(), QStringLiteral("read"));
        add(2, QStringLiteral("ok"));
        model.reload();
        QCOMPARE(model.data(model.index(rowOf(m_chat)), ChatListModel::LastOutgoingRole).toBool(), false);

        QCOMPARE(model.archivedCount(), 0);
        QVERIFY(m_store->chats().setFlags(carol.chatId, false, false, true));
        model.reload();
        QCOMPARE(model.archivedCount(), 1);
        QCOMPARE(model.rowCount(), 1);
        model.setShowArchived(true);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.archivedCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestListModels)
#include "tst_list_models.moc"
