#include "client/messaging/mentions.h"

#include "protocol/e2e.h"

#include <algorithm>

namespace natter::client {

namespace {
// Blanks every "@name" in `text` that is a whole mention; true if there was one.
bool takeMentions(QString& text, const QString& name) {
    if (name.isEmpty()) return false;
    const QString needle = QLatin1Char('@') + name;
    bool found = false;
    for (qsizetype at = text.indexOf(needle, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(needle, at + 1, Qt::CaseInsensitive)) {
        const qsizetype end = at + needle.size();
        if (end < text.size() && text.at(end).isLetterOrNumber()) continue;
        text.replace(at, needle.size(), QString(needle.size(), QLatin1Char(' ')));
        found = true;
    }
    return found;
}

// Longest names first: "@Ann Lee" mentions Ann Lee, not also Ann.
std::vector<std::pair<UserId, QString>> longestFirst(std::vector<std::pair<UserId, QString>> members) {
    std::stable_sort(members.begin(), members.end(),
                     [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
    return members;
}
} // namespace

std::vector<UserId> mentionedMembers(const QString& text, const std::vector<std::pair<UserId, QString>>& members) {
    std::vector<UserId> out;
    if (!text.contains(QLatin1Char('@'))) return out;
    QString rest = text;
    for (const auto& [user, name] : longestFirst(members)) {
        if (out.size() == protocol::e2e::kMaxMentions) break;
        if (takeMentions(rest, name) && std::find(out.begin(), out.end(), user) == out.end()) out.push_back(user);
    }
    return out;
}

QString withoutMentions(const QString& text, const std::vector<std::pair<UserId, QString>>& members) {
    QString rest = text;
    if (!rest.contains(QLatin1Char('@'))) return rest;
    for (const auto& member : longestFirst(members)) takeMentions(rest, member.second);
    return rest;
}

} // namespace natter::client
