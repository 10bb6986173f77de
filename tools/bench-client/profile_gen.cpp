// ProfileGenerator: direct chats, then messages in batched transactions through one
// prepared INSERT (the FTS4 triggers index each text as MessageStore::insert would).
#include "profile_gen.h"

#include "measure.h"

#include "client/store/chat_store.h"
#include "client/store/database.h"

#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace natter::benchclient {

using namespace natter::client;

namespace {
constexpr std::array<const char*, 16> kSyllables{"ka", "lo", "mi", "ne", "su", "ta", "vo", "ri",
                                                 "po", "da", "fe", "gu", "hi", "zo", "be", "ju"};
constexpr TimestampMs kStart = 1'700'000'000'000; // 2023-11-14, then one message every 3 s
QString capitalized(QString word) {
    if (!word.isEmpty()) word[0] = word[0].toUpper();
    return word;
}

} // namespace

double databaseMib(const QString& path) {
    return double(QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size()) / 1048576.0;
}

Vocabulary::Vocabulary() {
    m_cdf.resize(kWords);
    double sum = 0;
    for (int r = 1; r <= kWords; ++r) m_cdf[std::size_t(r - 1)] = (sum += 1.0 / r);
    for (double& c : m_cdf) c /= sum;
}

QString Vocabulary::word(int rank) {
    int n = rank - 1;
    QString w;
    for (int i = 0; i < 4; ++i, n /= 16) w += QLatin1String(kSyllables[std::size_t(n % 16)]);
    return w;
}

int Vocabulary::sample(std::mt19937_64& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return int(std::lower_bound(m_cdf.begin(), m_cdf.end(), u) - m_cdf.begin()) + 1;
}

double Vocabulary::messageShare(int rank) const {
    const double p = m_cdf[std::size_t(rank - 1)] - (rank > 1 ? m_cdf[std::size_t(rank - 2)] : 0);
    return 1.0 - std::pow(1.0 - p, 9.0); // 9 words per message on average
}

QString ProfileGenerator::messageText(const Vocabulary& words, std::mt19937_64& rng) {
    const int count = std::uniform_int_distribution<int>(4, 14)(rng);
    QString text;
    for (int i = 0; i < count; ++i) {
        if (i) text += QLatin1Char(' ');
        text += Vocabulary::word(words.sample(rng));
    }
    return text;
}

ProfileGenerator::ProfileGenerator(store::ProfileStore& profile, UserId self, int chats, std::uint64_t seed)
    : m_profile(profile), m_self(self), m_chats(std::max(chats, 1)), m_rng(seed), m_seq(std::size_t(m_chats), 0) {}

QString ProfileGenerator::chatId(int chat) const {
    const UserId peer = UserId(100001 + chat);
    return QStringLiteral("dm:%1:%2").arg(std::min(m_self, peer)).arg(std::max(m_self, peer));
}

void ProfileGenerator::createChats() {
    auto& chats = m_profile.chats();
    must(m_profile.database().transaction([&]() -> Expected<void> {
        for (int c = 0; c < m_chats; ++c) {
            ChatRecord chat;
            chat.chatId = chatId(c);
            chat.type = ChatType::direct;
            chat.peerId = UserId(100001 + c);
            chat.title = capitalized(Vocabulary::word(c + 1).left(4)) + QLatin1Char(' ') +
                         capitalized(Vocabulary::word(c * 131 + 7).left(6));
            if (auto r = chats.ensure(chat); !r) return r;
        }
        return {};
    }), "create chats");
    m_chatsCreated = true;
}

void ProfileGenerator::growTo(qint64 total, int batch, bool progress) {
    if (!m_chatsCreated) createChats();
    auto& db = m_profile.database();
    auto insert = must(db.prepare("INSERT INTO messages (chat_id, message_id, client_msg_id, sender_id, sender_device, seq, "
                                  "timestamp, direction, kind, state, text) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)"),
                       "prepare insert");
    std::vector<QString> ids;
    for (int c = 0; c < m_chats; ++c) ids.push_back(chatId(c));
    struct Last { TimestampMs at = 0; QString text; bool incoming = false; };
    std::vector<Last> last(static_cast<std::size_t>(m_chats));
    Stopwatch wall;
    const qint64 from = m_generated;
    while (m_generated < total) {
        const qint64 end = std::min(total, m_generated + batch);
        must(db.transaction([&]() -> Expected<void> {
            for (; m_generated < end; ++m_generated) {
                const qint64 i = m_generated;
                // A skewed chat choice: a few busy chats, a long tail of quiet ones.
                const int chat = int(std::min<qint64>(m_chats - 1, qint64(std::pow(std::uniform_real_distribution<double>(0, 1)(m_rng), 2.0) * m_chats)));
                const bool incoming = (m_rng() & 1) != 0;
                const UserId peer = UserId(100001 + chat);
                const QString text = messageText(m_words, m_rng);
                const TimestampMs at = kStart + i * 3000;
                insert.reset();
                insert.bind(1, ids[std::size_t(chat)])
                    .bind(2, i + 1)
                    .bind(3, QStringLiteral("gen-%1").arg(i))
                    .bind(4, qint64(incoming ? peer : m_self))
                    .bind(5, ++m_seq[std::size_t(chat)])
                    .bind(6, at)
                    .bind(7, qint64(incoming ? MessageDirection::incoming : MessageDirection::outgoing))
                    .bind(8, qint64(MessageKind::text))
                    .bind(9, qint64(incoming ? MessageState::read : MessageState::delivered))
                    .bind(10, text);
                if (auto r = insert.run(); !r) return r;
                last[std::size_t(chat)] = Last{at, text, incoming};
            }
            return {};
        }), "insert messages");
        if (progress && (m_generated % 100'000 == 0 || m_generated == total)) {
            const double s = wall.seconds();
            std::fprintf(stderr, "  generated %lld / %lld messages (%.0f msg/s)\n", static_cast<long long>(m_generated),
                         static_cast<long long>(total), double(m_generated - from) / std::max(s, 1e-9));
        }
    }
    m_insertSeconds += wall.seconds();
    must(db.transaction([&]() -> Expected<void> {
        for (int c = 0; c < m_chats; ++c) {
            const Last& l = last[std::size_t(c)];
            if (l.at == 0) continue;
            if (auto r = m_profile.chats().touch(ids[std::size_t(c)], l.at, l.text, l.incoming && c % 7 == 0); !r) return r;
        }
        return {};
    }), "update chat list");
}

} // namespace natter::benchclient
