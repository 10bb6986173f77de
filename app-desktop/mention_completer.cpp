#include "mention_completer.h"

#include "client/client.h"

namespace natter::desktop {

MentionCompleter::MentionCompleter(client::Client& client, QString chatId, bool group, QObject* parent)
    : QAbstractListModel(parent), m_client(client), m_chatId(std::move(chatId)), m_group(group) {}

int MentionCompleter::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_query ? 0 : int(m_query->candidates.size());
}

QVariant MentionCompleter::data(const QModelIndex& index, int role) const {
    if (!m_query || index.row() < 0 || index.row() >= rowCount()) return {};
    const auto& [user, name] = m_query->candidates.at(std::size_t(index.row()));
    if (role == NameRole || role == Qt::DisplayRole) return name;
    if (role == UserIdRole) return QVariant::fromValue<qulonglong>(user);
    return {};
}

QHash<int, QByteArray> MentionCompleter::roleNames() const { return {{NameRole, "name"}, {UserIdRole, "userId"}}; }

void MentionCompleter::update(const QString& text, int cursor) {
    std::optional<client::MentionQuery> query;
    // Only a group's members are offered; their names are read once per '@' being completed.
    const auto start = m_group ? client::mentionStartAt(text, cursor) : std::nullopt;
    if (start != m_membersFor) m_members = start ? m_client.mentionMembers(m_chatId) : client::MentionMembers{};
    m_membersFor = start;
    if (start) query = client::mentionQueryAt(text, cursor, m_members, m_client.account().userId);
    const bool same = query && m_query && query->start == m_query->start && query->prefix == m_query->prefix;
    if (same && query->end == m_query->end) {
        m_text = text;
        return;
    }
    beginResetModel();
    m_text = text;
    m_query = std::move(query);
    m_current = 0;
    m_dismissed = same && m_dismissed;
    endResetModel();
    emit changed();
}

void MentionCompleter::move(int step) {
    const int n = rowCount();
    if (n == 0) return;
    m_current = ((m_current + step) % n + n) % n;
    emit changed();
}

void MentionCompleter::dismiss() {
    if (m_dismissed) return;
    m_dismissed = true;
    emit changed();
}

QVariantMap MentionCompleter::choose(int row) {
    if (!m_query || row < 0 || row >= rowCount()) return {};
    const auto done = client::completeMention(m_text, *m_query, m_query->candidates.at(std::size_t(row)).second);
    beginResetModel();
    m_query.reset();
    m_current = 0;
    endResetModel();
    emit changed();
    return {{QStringLiteral("text"), done.text}, {QStringLiteral("cursor"), int(done.cursor)}};
}

} // namespace natter::desktop
