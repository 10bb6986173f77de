// Who a group text @-mentions: each member whose shown name follows an "@" (case-insensitive,
// not followed by a letter or digit), once, at most protocol::e2e::kMaxMentions. The composer
// needs no markup: "@Bob are you coming?" mentions the member shown as Bob.
#pragma once

#include "client/store/records.h"

#include <QString>

#include <utility>
#include <vector>

namespace natter::client {

std::vector<UserId> mentionedMembers(const QString& text, const std::vector<std::pair<UserId, QString>>& members);

// `text` with every whole "@Name" of these members blanked out (longest names first), so the
// '@'s left in it mention nobody (mention_candidates.h warns about those).
QString withoutMentions(const QString& text, const std::vector<std::pair<UserId, QString>>& members);

} // namespace natter::client
