// Completing "@name" while a group text is typed: the "@prefix" the cursor stands in, the
// members whose shown name starts with it, and the text once one is chosen. It inserts "@" and
// the shown name, which is what mentionedMembers (mentions.h) recognises when the text is sent.
#pragma once

#include "client/messaging/mentions.h"

#include <QString>

#include <optional>
#include <vector>

namespace natter::client {

// A group's members as the composer shows them: user and shown name (Client::mentionMembers).
using MentionMembers = std::vector<std::pair<UserId, QString>>;

// At most this many members are offered for one prefix.
inline constexpr std::size_t kMaxMentionCandidates = 8;

struct MentionQuery {
    qsizetype start = 0;       // the '@'
    qsizetype end = 0;         // the end of the token: the cursor, or the end of the word it stands in
    QString prefix;            // typed between the '@' and the cursor
    MentionMembers candidates; // shown name starts with prefix (any case), self left out, by name then user id
};

struct MentionCompletion {
    QString text;
    qsizetype cursor = 0; // after the inserted name and the space behind it
};

// Where the '@' is that the cursor may be completing (mentionQueryAt's first step, which needs
// no members): at the start of a word, on the cursor's line, at most 100 characters back.
std::optional<qsizetype> mentionStartAt(const QString& text, qsizetype cursor);

// The "@prefix" token the cursor is in: an '@' at the start of a word (not "bob@example"), on
// the cursor's line, before it. A prefix with a space ("@Ann L") is a token only while some
// member's name starts with it, so "@Bob see you" is not one. nullopt when there is none.
std::optional<MentionQuery> mentionQueryAt(const QString& text, qsizetype cursor, const MentionMembers& members,
                                           UserId self);

// The text with the query's token replaced by "@name " (no space added before a space or
// punctuation), the cursor after the name and its space.
MentionCompletion completeMention(const QString& text, const MentionQuery& query, const QString& name);

// A finished text's "@word"s that mention nobody (no member's whole shown name), each with the
// members whose name starts with the word; what the shell warns about before sending.
struct LooseMention {
    QString word; // with its '@'
    MentionMembers candidates;
};
std::vector<LooseMention> looseMentions(const QString& text, const MentionMembers& members, UserId self);

} // namespace natter::client
