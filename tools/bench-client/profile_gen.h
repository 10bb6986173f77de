// Fills a profile's store with generated direct chats and messages (Zipf-distributed words
// from a synthetic vocabulary), for the search and desktop-start scenarios. Batched
// transactions over one prepared INSERT (Database::prepare / Database::transaction).
#pragma once

#include "client/store/profile_store.h"
#include "client/store/records.h"

#include <QString>

#include <random>
#include <vector>

namespace natter::benchclient {

// 50,000 distinct words of four syllables each (so no word is a prefix of another); rank 1
// is the most frequent. Message text draws word ranks from a Zipf(1) distribution.
class Vocabulary {
public:
    static constexpr int kWords = 50'000;
    Vocabulary();
    static QString word(int rank); // rank 1..kWords
    int sample(std::mt19937_64& rng) const;
    // Expected share of messages containing `rank` (for reading search hit counts).
    double messageShare(int rank) const;

private:
    std::vector<double> m_cdf;
};

// Size of a SQLCipher database file plus its WAL, in MiB.
double databaseMib(const QString& path);

class ProfileGenerator {
public:
    // self: this profile's user id; chats: direct chats "dm:<self>:<peer>" with peers
    // 100001.., created on the first growTo.
    ProfileGenerator(client::store::ProfileStore& profile, client::UserId self, int chats, std::uint64_t seed = 42);
    // Adds messages until `total` were generated (one transaction per `batch`), updates the
    // chat list's last activity, preview and unread counts. Progress on stderr when asked.
    void growTo(qint64 total, int batch, bool progress);
    qint64 generated() const { return m_generated; }
    double insertSeconds() const { return m_insertSeconds; }

    static QString messageText(const Vocabulary& words, std::mt19937_64& rng);
    // Chat 0 is the busiest (the chat choice is skewed towards low numbers).
    QString chatId(int chat) const;

private:
    void createChats();

    client::store::ProfileStore& m_profile;
    client::UserId m_self;
    int m_chats;
    std::mt19937_64 m_rng;
    Vocabulary m_words;
    qint64 m_generated = 0;
    double m_insertSeconds = 0;
    bool m_chatsCreated = false;
    std::vector<qint64> m_seq;          // last seq per chat
};

} // namespace natter::benchclient
