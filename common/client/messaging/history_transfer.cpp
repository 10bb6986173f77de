#include "client/messaging/history_transfer.h"

#include "client/messaging/new_chat.h"

#include "client/core/bytes.h"
#include "client/store/account_store.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/database.h"
#include "client/store/group_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"
#include "protocol/identifiers.h"

#include <QLoggingCategory>

#include <algorithm>
#include <limits>
#include <utility>

Q_LOGGING_CATEGORY(lcHistory, "natter.history")

namespace natter::client {

namespace e2e = protocol::e2e;

namespace {

// The receiving device's place in the transfer, as settings rows of its store.
const QString kWanted = QStringLiteral("history.wanted");
const QString kReceived = QStringLiteral("history.received");
const QString kTotal = QStringLiteral("history.total");
const QString kLast = QStringLiteral("history.last");

e2e::HistoryMessage historyOf(const MessageRecord& m) {
    e2e::HistoryMessage h;
    h.chat_id = m.chatId.toStdString();
    h.message_id = m.messageId;
    h.client_msg_id = m.clientMsgId.toStdString();
    h.sender_id = m.senderId;
    h.sender_device = m.senderDevice;
    h.seq = m.seq;
    h.timestamp = m.timestamp;
    h.state = m.state == MessageState::read ? "read" : m.state == MessageState::delivered ? "delivered" : "sent";
    if (!m.text.isEmpty() || !m.media) h.text = m.text.toStdString();
    if (m.media) {
        e2e::Attachment a;
        a.media_id = m.media->mediaId.toStdString();
        a.key = toBase64(m.media->key);
        a.digest = toBase64(m.media->digest);
        a.mime = m.media->mime.toStdString();
        a.size = std::uint64_t(m.media->size);
        a.file_name = m.media->fileName.toStdString();
        if (!m.media->thumbnail.isEmpty()) a.thumbnail = toBase64(m.media->thumbnail);
        h.attachment = std::move(a);
    }
    if (m.quote) h.quote = e2e::Quote{m.quote->messageId, m.quote->senderId, m.quote->snippet.toStdString()};
    h.forwarded = m.forwarded;
    h.expire_timer = m.expireTimer;
    h.edited_at = m.editedAt;
    return h;
}

// About what a message adds to a chunk's JSON.
std::size_t weightOf(const e2e::HistoryMessage& h) {
    std::size_t bytes = 300 + h.chat_id.size() + h.client_msg_id.size() + (h.text ? h.text->size() : 0);
    if (h.attachment)
        bytes += 200 + h.attachment->mime.size() + h.attachment->file_name.size() +
                 (h.attachment->thumbnail ? h.attachment->thumbnail->size() : 0);
    if (h.quote) bytes += 60 + h.quote->snippet.size();
    return bytes;
}

} // namespace

HistoryTransfer::HistoryTransfer(store::ProfileStore& store, UserId self, Send send, QObject* parent)
    : QObject(parent), m_store(store), m_self(self), m_send(std::move(send)),
      m_chunkMessages(int(e2e::kMaxHistoryChunkMessages)) {}

void HistoryTransfer::setChunkMessages(int messages) {
    m_chunkMessages = std::clamp(messages, 1, int(e2e::kMaxHistoryChunkMessages));
}

Expected<HistoryTransfer::Progress> HistoryTransfer::progress() {
    auto& account = m_store.account();
    auto wanted = account.setting(kWanted);
    if (!wanted) return wanted.error();
    auto received = account.setting(kReceived);
    if (!received) return received.error();
    auto total = account.setting(kTotal);
    if (!total) return total.error();
    return Progress{*wanted == QLatin1String("true"), received->toLongLong(), total->toLongLong()};
}

Expected<protocol::MessageId> HistoryTransfer::lastApplied() {
    auto last = m_store.account().setting(kLast);
    if (!last) return last.error();
    return protocol::MessageId(last->toULongLong());
}

Expected<void> HistoryTransfer::saveProgress(const Progress& p, protocol::MessageId last) {
    auto& account = m_store.account();
    if (auto r = account.setSetting(kWanted, p.wanted ? QStringLiteral("true") : QStringLiteral("false")); !r) return r;
    if (auto r = account.setSetting(kReceived, QString::number(p.received)); !r) return r;
    if (auto r = account.setSetting(kTotal, QString::number(p.total)); !r) return r;
    return account.setSetting(kLast, QString::number(last));
}

Expected<void> HistoryTransfer::request() {
    auto now = progress();
    if (!now) return now.error();
    auto last = lastApplied();
    if (!last) return last.error();
    if (!now->wanted && now->total == 0)
        if (auto r = saveProgress(Progress{true, 0, 0}, 0); !r) return r;
    e2e::AccountSync sync;
    sync.history_request = e2e::HistoryRequest{*last};
    m_active = true;
    return m_send(sync);
}

void HistoryTransfer::resumeIfStalled() {
    auto now = progress();
    if (!now || !now->wanted) return;
    if (std::exchange(m_active, false)) return;
    qCInfo(lcHistory) << "the history transfer stopped at" << now->received << "of" << now->total << "messages; asking again";
    if (auto r = request(); !r) qCWarning(lcHistory) << "the history could not be asked for again:" << r.error().message;
}

Expected<void> HistoryTransfer::sendHistory(protocol::MessageId after, std::size_t recipients) {
    const std::size_t chunkBudget =
        std::min(e2e::kHistoryChunkBudgetBytes, e2e::kHistoryFrameBudgetBytes / std::max<std::size_t>(recipients, 1));
    auto first = m_store.messages().historyCount(after);
    if (!first) return first.error();
    auto total = m_store.messages().historyCount(std::numeric_limits<qint64>::max());
    if (!total) return total.error();
    e2e::HistoryChunk chunk;
    chunk.first = std::uint64_t(*first);
    chunk.total = std::uint64_t(*total);
    const auto flush = [&]() -> Expected<void> {
        e2e::AccountSync sync;
        sync.history = chunk;
        if (auto r = m_send(sync); !r) return r;
        chunk.first += chunk.messages.size();
        chunk.messages.clear();
        return {};
    };
    std::size_t budget = 0;
    std::size_t flushed = 0;
    protocol::MessageId cursor = after;
    while (!chunk.more) {
        auto page = m_store.messages().historyAfter(cursor, m_chunkMessages);
        if (!page) return page.error();
        if (page->empty()) break;
        for (const MessageRecord& m : *page) {
            e2e::HistoryMessage h = historyOf(m);
            const std::size_t weight = weightOf(h);
            if (!chunk.messages.empty() &&
                (chunk.messages.size() >= std::size_t(m_chunkMessages) || budget + weight > chunkBudget)) {
                // The answer's last chunk: the receiver asks for the rest once it applied it.
                if (flushed + 1 == e2e::kHistoryChunksPerAnswer) {
                    chunk.more = true;
                    break;
                }
                if (auto r = flush(); !r) return r;
                ++flushed;
                budget = 0;
            }
            chunk.messages.push_back(std::move(h));
            chunk.last = m.messageId;
            budget += weight;
            cursor = m.messageId;
        }
    }
    // The rest, or the answer that there is nothing (more).
    if (!chunk.messages.empty() || chunk.first == chunk.total) return flush();
    return {};
}

Expected<void> HistoryTransfer::apply(const e2e::HistoryChunk& chunk) {
    m_active = true;
    Progress now;
    bool inOrder = false;
    auto applied = m_store.database().transaction([&]() -> Expected<void> {
        auto p = progress();
        if (!p) return p.error();
        now = *p;
        auto last = lastApplied();
        if (!last) return last.error();
        // Only the next chunk in order: one applied before, or one after a gap, changes nothing.
        if (!now.wanted || chunk.first > std::uint64_t(now.received) ||
            (!chunk.messages.empty() && chunk.messages.front().message_id <= *last)) {
            qCInfo(lcHistory) << "history chunk from" << chunk.first << "skipped at" << now.received;
            return {};
        }
        inOrder = true;
        for (const auto& m : chunk.messages)
            if (auto r = store(m); !r) return r;
        now.received = qint64(chunk.first + chunk.messages.size());
        now.total = qint64(chunk.total);
        now.wanted = now.received < now.total;
        return saveProgress(now, chunk.messages.empty() ? *last : chunk.last);
    });
    if (!applied || !inOrder) return applied;
    emit progressChanged(now.received, now.total);
    emit chatsChanged();
    if (chunk.more && now.wanted) return request();
    return {};
}

Expected<void> HistoryTransfer::ensureChat(const QString& chatId) {
    auto chat = m_store.chats().byId(chatId);
    if (!chat) return chat.error();
    if (*chat) return {};
    auto record = newChatRecord(m_store, chatId, m_self);
    if (!record) return record.error();
    return m_store.chats().ensure(*record);
}

Expected<void> HistoryTransfer::store(const e2e::HistoryMessage& h) {
    const QString chatId = QString::fromStdString(h.chat_id);
    if (protocol::parseOwnChatId(h.chat_id)) return {}; // the own chat holds no history
    if (auto r = ensureChat(chatId); !r) return r;
    MessageRecord m;
    m.chatId = chatId;
    m.messageId = h.message_id;
    m.clientMsgId = QString::fromStdString(h.client_msg_id);
    m.senderId = h.sender_id;
    m.senderDevice = h.sender_device;
    m.seq = h.seq;
    m.timestamp = h.timestamp;
    m.direction = h.sender_id == m_self ? MessageDirection::outgoing : MessageDirection::incoming;
    m.kind = h.attachment ? MessageKind::media : MessageKind::text;
    m.state = h.state == "read" ? MessageState::read : h.state == "delivered" ? MessageState::delivered : MessageState::sent;
    if (m.direction == MessageDirection::incoming && m.state == MessageState::sent) m.state = MessageState::delivered;
    m.text = QString::fromStdString(h.text.value_or(""));
    if (h.attachment) {
        MediaRecord media;
        media.mediaId = QString::fromStdString(h.attachment->media_id);
        media.key = fromBase64(h.attachment->key).value_or(QByteArray());
        media.digest = fromBase64(h.attachment->digest).value_or(QByteArray());
        media.mime = QString::fromStdString(h.attachment->mime);
        media.size = qint64(h.attachment->size);
        media.fileName = QString::fromStdString(h.attachment->file_name);
        if (h.attachment->thumbnail) media.thumbnail = fromBase64(*h.attachment->thumbnail).value_or(QByteArray());
        m.media = std::move(media);
    }
    if (h.quote) m.quote = QuoteRecord{h.quote->message_id, h.quote->sender_id, QString::fromStdString(h.quote->snippet), false};
    m.forwarded = h.forwarded;
    m.expireTimer = h.expire_timer;
    auto inserted = m_store.messages().insert(m);
    if (!inserted) return inserted.error();
    if (!inserted->inserted) return {}; // this device has it already (it arrived here too)
    if (h.edited_at != 0)
        if (auto r = m_store.messages().applyEdit(inserted->localId, m.text, m.text.left(100), h.edited_at); !r) return r;
    const QString preview = h.attachment ? QStringLiteral("📎 %1").arg(QString::fromStdString(h.attachment->file_name)) : m.text;
    return m_store.chats().touch(chatId, m.timestamp, preview, false);
}

} // namespace natter::client
