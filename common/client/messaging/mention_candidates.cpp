#include "client/messaging/mention_candidates.h"

#include <algorithm>

namespace natter::client {

namespace {

// Shown names are at most 100 bytes: an '@' further back than this is not being completed.
constexpr qsizetype kMaxPrefix = 100;

bool startsWord(const QString& text, qsizetype at) { return at == 0 || !text.at(at - 1).isLetterOrNumber(); }

MentionMembers matching(const QString& prefix, const MentionMembers& members, UserId self, std::size_t limit) {
    MentionMembers out;
    for (const auto& member : members)
        if (member.first != self && member.second.startsWith(prefix, Qt::CaseInsensitive)) out.push_back(member);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        const int byName = a.second.compare(b.second, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a.first < b.first;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

} // namespace

std::optional<qsizetype> mentionStartAt(const QString& text, qsizetype cursor) {
    cursor = std::clamp<qsizetype>(cursor, 0, text.size());
    for (qsizetype at = cursor - 1; at >= 0 && cursor - at <= kMaxPrefix + 1; --at) {
        if (text.at(at) == QLatin1Char('\n')) return std::nullopt;
        if (text.at(at) == QLatin1Char('@')) return startsWord(text, at) ? std::optional<qsizetype>(at) : std::nullopt;
    }
    return std::nullopt;
}

std::optional<MentionQuery> mentionQueryAt(const QString& text, qsizetype cursor, const MentionMembers& members,
                                           UserId self) {
    cursor = std::clamp<qsizetype>(cursor, 0, text.size());
    const auto at = mentionStartAt(text, cursor);
    if (!at) return std::nullopt;
    MentionQuery query;
    query.start = *at;
    query.prefix = text.mid(*at + 1, cursor - *at - 1);
    if (!query.prefix.isEmpty() && query.prefix.front().isSpace()) return std::nullopt;
    query.candidates = matching(query.prefix, members, self, kMaxMentionCandidates);
    const bool severalWords = std::any_of(query.prefix.begin(), query.prefix.end(), [](QChar c) { return c.isSpace(); });
    if (severalWords && query.candidates.empty()) return std::nullopt;
    query.end = cursor;
    while (query.end < text.size() && text.at(query.end).isLetterOrNumber()) ++query.end;
    return query;
}

MentionCompletion completeMention(const QString& text, const MentionQuery& query, const QString& name) {
    const QString after = text.mid(query.end);
    // A space after the name, unless a space or punctuation follows already ("@Bob, lunch?").
    const bool addSpace = after.isEmpty() || !(after.front().isSpace() || after.front().isPunct());
    const bool skipSpace = addSpace || after.startsWith(QLatin1Char(' '));
    return {text.left(query.start) + QLatin1Char('@') + name + (addSpace ? QStringLiteral(" ") : QString()) + after,
            query.start + 1 + name.size() + (skipSpace ? 1 : 0)};
}

std::vector<LooseMention> looseMentions(const QString& text, const MentionMembers& members, UserId self) {
    std::vector<LooseMention> out;
    MentionMembers others;
    std::copy_if(members.begin(), members.end(), std::back_inserter(others), [self](const auto& m) { return m.first != self; });
    const QString rest = withoutMentions(text, others);
    for (qsizetype at = rest.indexOf(QLatin1Char('@')); at >= 0; at = rest.indexOf(QLatin1Char('@'), at + 1)) {
        qsizetype end = at + 1;
        while (end < rest.size() && rest.at(end).isLetterOrNumber()) ++end;
        if (end == at + 1 || !startsWord(rest, at)) continue;
        const QString word = rest.mid(at, end - at);
        if (std::any_of(out.begin(), out.end(), [&](const auto& l) { return l.word.compare(word, Qt::CaseInsensitive) == 0; }))
            continue;
        out.push_back({word, matching(word.mid(1), members, self, kMaxMentionCandidates)});
    }
    return out;
}

} // namespace natter::client
