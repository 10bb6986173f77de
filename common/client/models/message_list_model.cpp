#include "client/models/message_list_model.h"

#include "client/messaging/profile_names.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QDateTime>

namespace natter::client {

namespace {

// Display order: by seq; messages still pending (seq 0) after everything the server ordered.
bool before(const MessageRecord& a, const MessageRecord& b) {
    const auto key = [](const MessageRecord& m) {
        return std::pair<quint64, qint64>(m.seq ? m.seq : std::numeric_limits<quint64>::max(), m.localId);
    };
    return key(a) < key(b);
}

} // namespace

MessageListModel::MessageListModel(store::ProfileStore& store, QString chatId, UserId self, QObject* parent)
    : QAbstractListModel(parent), m_store(store), m_chatId(std::move(chatId)), m_self(self) {
    reload();
}

void MessageListModel::reload() {
    beginResetModel();
    m_rows.clear();
    auto page = m_store.messages().page(m_chatId, kPage, 0);
    if (page) m_rows = std::move(*page);
    m_atStart = !page || int(m_rows.size()) < kPage;
    endResetModel();
    emit countChanged();
}

int MessageListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

const MessageRecord* MessageListModel::at(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[std::size_t(row)] : nullptr;
}

int MessageListModel::rowOf(qint64 localId) const {
    for (int i = int(m_rows.size()) - 1; i >= 0; --i)
        if (m_rows[std::size_t(i)].localId == localId) return i;
    return -1;
}

QString MessageListModel::senderName(UserId user) const {
    if (user == m_self) return tr("You");
    if (auto known = knownNameOf(m_store, user)) return *known;
    return tr("User %1").arg(user);
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const {
    const MessageRecord* m = at(index.row());
    if (!m) return {};
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return m->text;
    case LocalIdRole: return m->localId;
    case KindRole: return kindName(m->kind);
    case OutgoingRole: return m->direction == MessageDirection::outgoing;
    case StateRole: return stateName(m->state);
    case TimestampRole: return QDateTime::fromMSecsSinceEpoch(m->timestamp);
    case SenderIdRole: return QVariant::fromValue<qulonglong>(m->senderId);
    case SenderNameRole: return senderName(m->senderId);
    case FileNameRole: return m->media ? m->media->fileName : QString();
    case MimeRole: return m->media ? m->media->mime : QString();
    case SizeRole: return m->media ? m->media->size : 0;
    case HasThumbnailRole: return m->media && !m->media->thumbnail.isEmpty();
    case ThumbnailRole: return m->media ? m->media->thumbnail : QByteArray();
    case DayRole: return QDateTime::fromMSecsSinceEpoch(m->timestamp).date();
    case SeqRole: return QVariant::fromValue<qulonglong>(m->seq);
    case QuoteRole: return quoteOf(*m);
    case ReactionsRole: return reactionsOf(*m);
    case EditedRole: return m->edited();
    case DeletedRole: return m->deleted();
    case ExpireTimerRole: return qint64(m->expireTimer);
    case MentionsMeRole: return m->mentionsMe;
    }
    return {};
}

QHash<int, QByteArray> MessageListModel::roleNames() const {
    return {{LocalIdRole, "localId"},   {TextRole, "text"},         {KindRole, "kind"},
            {OutgoingRole, "outgoing"}, {StateRole, "state"},       {TimestampRole, "timestamp"},
            {SenderIdRole, "senderId"}, {SenderNameRole, "senderName"}, {FileNameRole, "fileName"},
            {MimeRole, "mime"},         {SizeRole, "size"},         {HasThumbnailRole, "hasThumbnail"},
            {ThumbnailRole, "thumbnail"}, {DayRole, "day"},         {SeqRole, "seq"},
            {QuoteRole, "quote"},       {ReactionsRole, "reactions"}, {EditedRole, "edited"},
            {DeletedRole, "deleted"},   {ExpireTimerRole, "expireTimer"}, {MentionsMeRole, "mentionsMe"}};
}

QVariantMap MessageListModel::quoteOf(const MessageRecord& m) const {
    if (!m.quote) return {};
    return QVariantMap{{"messageId", QVariant::fromValue<qulonglong>(m.quote->messageId)},
                       {"senderId", QVariant::fromValue<qulonglong>(m.quote->senderId)},
                       {"senderName", senderName(m.quote->senderId)},
                       {"snippet", m.quote->snippet},
                       {"deleted", m.quote->deleted}};
}

QVariantList MessageListModel::reactionsOf(const MessageRecord& m) const {
    QVariantList out;
    QStringList order;
    QHash<QString, QStringList> names;
    QHash<QString, bool> mine;
    for (const auto& r : m.reactions) {
        if (!names.contains(r.emoji)) order << r.emoji;
        names[r.emoji] << senderName(r.reactorId);
        mine[r.emoji] = mine.value(r.emoji) || r.reactorId == m_self;
    }
    for (const QString& emoji : order)
        out << QVariantMap{{"emoji", emoji},
                           {"count", int(names[emoji].size())},
                           {"names", names[emoji]},
                           {"mine", mine[emoji]}};
    return out;
}

bool MessageListModel::canFetchMore(const QModelIndex& parent) const { return !parent.isValid() && !m_atStart; }

void MessageListModel::fetchMore(const QModelIndex& parent) {
    if (parent.isValid() || m_atStart || m_rows.empty()) return;
    auto page = m_store.messages().page(m_chatId, kPage, m_rows.front().localId);
    if (!page) return;
    if (int(page->size()) < kPage) m_atStart = true;
    if (page->empty()) return;
    beginInsertRows({}, 0, int(page->size()) - 1);
    m_rows.insert(m_rows.begin(), page->begin(), page->end());
    endInsertRows();
    emit countChanged();
}

void MessageListModel::onMessageAdded(qint64 localId, const QString& chatId) {
    if (chatId != m_chatId || rowOf(localId) >= 0) return;
    auto message = m_store.messages().byLocalId(localId);
    if (!message || !*message) return;
    // Keep seq order: a message filling a gap lands where it belongs, not at the end.
    auto pos = std::upper_bound(m_rows.begin(), m_rows.end(), **message, before);
    const int row = int(pos - m_rows.begin());
    beginInsertRows({}, row, row);
    m_rows.insert(pos, **message);
    endInsertRows();
    emit countChanged();
}

void MessageListModel::onMessageRemoved(qint64 localId, const QString& chatId) {
    if (chatId != m_chatId) return;
    const int row = rowOf(localId);
    if (row < 0) return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
    emit countChanged();
}

void MessageListModel::onMessageUpdated(qint64 localId, const QString& chatId) {
    if (chatId != m_chatId) return;
    const int row = rowOf(localId);
    if (row < 0) return;
    auto message = m_store.messages().byLocalId(localId);
    if (!message || !*message) return;
    const bool moved = (*message)->seq != m_rows[std::size_t(row)].seq;
    if (moved) {
        // Sent: it now has a seq and may move before other pending messages.
        beginRemoveRows({}, row, row);
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
        auto pos = std::upper_bound(m_rows.begin(), m_rows.end(), **message, before);
        const int to = int(pos - m_rows.begin());
        beginInsertRows({}, to, to);
        m_rows.insert(pos, **message);
        endInsertRows();
        return;
    }
    m_rows[std::size_t(row)] = **message;
    emit dataChanged(index(row), index(row));
}

} // namespace natter::client
