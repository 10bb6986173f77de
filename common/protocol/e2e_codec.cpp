#include "protocol/e2e_codec.h"

#include "protocol/base64.h"
#include "protocol/frame_codec.h"
#include "protocol/identifiers.h"
#include "protocol/json_codec.h"
#include "protocol/limits.h"

#include <algorithm>

namespace natter::protocol::e2e {

namespace {

std::optional<Error> invalid(std::string message) { return makeError(ErrorCode::InvalidField, std::move(message)); }

std::optional<Error> checkBase64(std::string_view field, const std::string& value, std::size_t decodedBytes) {
    if (!base64::isValid(value)) return invalid("field '" + std::string(field) + "' must be base64");
    if (decodedBytes && base64::decode(value).value_or(std::string()).size() != decodedBytes)
        return invalid("field '" + std::string(field) + "' must hold " + std::to_string(decodedBytes) + " bytes");
    return std::nullopt;
}

// One emoji as far as the protocol can tell without Unicode tables: short UTF-8 without
// whitespace or control characters and not plain ASCII (keycaps like "1️⃣" mix both).
bool looksLikeEmoji(const std::string& s) {
    if (s.empty() || s.size() > kMaxEmojiBytes || !isValidUtf8(s)) return false;
    bool nonAscii = false;
    for (unsigned char c : s) {
        if (c <= 0x20 || c == 0x7f) return false;
        nonAscii = nonAscii || c >= 0x80;
    }
    return nonAscii;
}

bool validText(const std::string& text) { return text.size() <= kMaxTextBytes && isValidUtf8(text); }

bool validName(const std::string& name) { return name.size() <= kMaxSyncedNameBytes && isValidUtf8(name); }

bool validAbout(const std::optional<std::string>& about) {
    return !about || (about->size() <= kMaxAboutBytes && isValidUtf8(*about));
}

bool isChatId(const std::string& chatId) { return isGroupChatId(chatId) || parseDirectChatId(chatId).has_value(); }

std::optional<Error> validate(const SyncedContact& c, const std::string& field) {
    if (c.user_id == 0 || !isE164(c.phone))
        return invalid("field '" + field + "' must name a user and an E.164 phone number");
    if (!validName(c.name)) return invalid("field '" + field + ".name' must be UTF-8 of at most 100 bytes");
    return std::nullopt;
}

std::optional<Error> validate(const ChatSettings& c, const std::string& field) {
    if (!isChatId(c.chat_id)) return invalid("field '" + field + ".chat_id' must be a chat");
    if (c.muted_until > kMutedForever) return invalid("field '" + field + ".muted_until' must be at most 2^53 - 1");
    if (c.request == true) return invalid("field '" + field + ".request' may only be false (accepted)");
    return std::nullopt;
}

std::optional<Error> validate(const HistoryMessage& m) {
    if (!isChatId(m.chat_id) || m.message_id == 0 || m.sender_id == 0 || m.seq == 0)
        return invalid("field 'account_sync.history.messages[]' must name a chat, a message, its sender and seq");
    if (m.client_msg_id.size() > limits::kMaxClientMsgIdBytes || !isValidUtf8(m.client_msg_id))
        return invalid("field 'account_sync.history.messages[].client_msg_id' must be at most 64 bytes of UTF-8");
    if (m.state != "sent" && m.state != "delivered" && m.state != "read")
        return invalid("field 'account_sync.history.messages[].state' must be sent, delivered or read");
    if (!m.text && !m.attachment) return invalid("field 'account_sync.history.messages[]' must have text or a file");
    if (m.text && !validText(*m.text))
        return invalid("field 'account_sync.history.messages[].text' must be UTF-8 of at most 64 KiB");
    if (m.attachment)
        if (auto e = validate(*m.attachment)) return e;
    if (m.quote && (m.quote->message_id == 0 || m.quote->snippet.size() > kMaxSnippetBytes || !isValidUtf8(m.quote->snippet)))
        return invalid("field 'account_sync.history.messages[].quote' must name a message, with a short snippet");
    if (m.expire_timer != 0 && !isDisappearingTimer(m.expire_timer))
        return invalid("field 'account_sync.history.messages[].expire_timer' must be 0 or a disappearing timer");
    return std::nullopt;
}

std::optional<Error> validate(const HistoryChunk& chunk) {
    // Empty only as the answer that nothing (more) is there.
    if ((chunk.messages.empty() && chunk.first != chunk.total) || chunk.messages.size() > kMaxHistoryChunkMessages)
        return invalid("field 'account_sync.history.messages' must hold 1 to 200 messages");
    if (chunk.first > chunk.total || chunk.total - chunk.first < chunk.messages.size())
        return invalid("field 'account_sync.history' must not go past its total");
    if (chunk.more && (chunk.messages.empty() || chunk.first + chunk.messages.size() >= chunk.total))
        return invalid("field 'account_sync.history.more' needs messages left after the chunk");
    if (chunk.messages.empty()) return std::nullopt;
    MessageId previous = 0;
    for (const auto& m : chunk.messages) {
        if (auto e = validate(m)) return e;
        if (m.message_id <= previous) return invalid("field 'account_sync.history.messages' must ascend by message_id");
        previous = m.message_id;
    }
    if (chunk.last != previous) return invalid("field 'account_sync.history.last' must be its last message's id");
    return std::nullopt;
}

std::optional<Error> validate(const AccountSync& sync) {
    if (int(sync.snapshot_request.has_value()) + int(sync.snapshot.has_value()) + int(sync.change.has_value()) +
            int(sync.history_request.has_value()) + int(sync.history.has_value()) !=
        1)
        return invalid("field 'account_sync' must carry exactly one of: snapshot_request, snapshot, change, "
                       "history_request, history");
    if (sync.history_request) return std::nullopt;
    if (sync.history) return validate(*sync.history);
    if (sync.snapshot_request) {
        if (!*sync.snapshot_request) return invalid("field 'account_sync.snapshot_request' must be true");
        return std::nullopt;
    }
    if (sync.snapshot) {
        const auto& s = *sync.snapshot;
        if (s.contacts.size() > kMaxSyncedItems || s.chats.size() > kMaxSyncedItems || s.groups.size() > kMaxSyncedItems)
            return invalid("field 'account_sync.snapshot' lists at most 10000 contacts, chats and groups each");
        for (const auto& c : s.contacts)
            if (auto e = validate(c, "account_sync.snapshot.contacts[]")) return e;
        for (const auto& c : s.chats)
            if (auto e = validate(c, "account_sync.snapshot.chats[]")) return e;
        for (const auto& g : s.groups) {
            if (!isGroupChatId(g.chat_id)) return invalid("field 'account_sync.snapshot.groups[].chat_id' must be a group");
            if (auto e = checkBase64("account_sync.snapshot.groups[].secret", g.secret, 32)) return e;
        }
        if (s.profile_name && !validName(*s.profile_name))
            return invalid("field 'account_sync.snapshot.profile_name' must be UTF-8 of at most 100 bytes");
        if (s.peer_profiles) {
            if (s.peer_profiles->size() > kMaxSyncedItems)
                return invalid("field 'account_sync.snapshot.peer_profiles' lists at most 10000 names");
            for (const auto& p : *s.peer_profiles) {
                if (p.user_id == 0 || p.name.empty() || !validName(p.name) || p.version == 0)
                    return invalid("field 'account_sync.snapshot.peer_profiles[]' must name a user, a name of 1 to 100 "
                                   "bytes of UTF-8 and a version of 1 or more");
                if (!validAbout(p.about))
                    return invalid("field 'account_sync.snapshot.peer_profiles[].about' must be UTF-8 of at most 140 bytes");
            }
        }
        if (!validAbout(s.profile_about))
            return invalid("field 'account_sync.snapshot.profile_about' must be UTF-8 of at most 140 bytes");
        return std::nullopt;
    }
    const auto& c = *sync.change;
    const int parts = int(c.contact_saved.has_value()) + int(c.contact_removed.has_value()) +
                      int(c.profile_name.has_value()) + int(c.chat_settings.has_value()) +
                      int(c.profile_about.has_value()) + int(c.request_deleted.has_value());
    if (parts != 1)
        return invalid("field 'account_sync.change' must carry exactly one of: contact_saved, contact_removed, "
                       "profile_name, chat_settings, profile_about, request_deleted");
    if (c.request_deleted && !parseDirectChatId(*c.request_deleted))
        return invalid("field 'account_sync.change.request_deleted' must be a 1:1 chat id");
    if (c.contact_saved) return validate(*c.contact_saved, "account_sync.change.contact_saved");
    if (c.contact_removed && *c.contact_removed == 0)
        return invalid("field 'account_sync.change.contact_removed' must name a user");
    if (c.profile_name && !validName(*c.profile_name))
        return invalid("field 'account_sync.change.profile_name' must be UTF-8 of at most 100 bytes");
    if (c.chat_settings) return validate(*c.chat_settings, "account_sync.change.chat_settings");
    if (!validAbout(c.profile_about))
        return invalid("field 'account_sync.change.profile_about' must be UTF-8 of at most 140 bytes");
    return std::nullopt;
}

} // namespace

std::optional<Error> validate(const Attachment& a) {
    if (!isMediaId(a.media_id))
        return invalid("field 'attachment.media_id' must be a media id (43 characters of base64url)");
    if (auto e = checkBase64("attachment.key", a.key, 64)) return e;
    if (auto e = checkBase64("attachment.digest", a.digest, 32)) return e;
    if (a.mime.empty() || a.mime.size() > 255 || !isValidUtf8(a.mime))
        return invalid("field 'attachment.mime' must be a media type");
    if (a.file_name.size() > kMaxFileNameBytes || !isValidUtf8(a.file_name))
        return invalid("field 'attachment.file_name' must be UTF-8 of at most 255 bytes");
    if (a.thumbnail && (a.thumbnail->size() > kMaxThumbnailBase64 || !base64::isValid(*a.thumbnail)))
        return invalid("field 'attachment.thumbnail' must be base64 of at most 16 KiB");
    return std::nullopt;
}

std::optional<Error> validate(const Content& c) {
    if (c.version != kContentVersion) return invalid("unsupported content version " + std::to_string(c.version));
    if (c.text && !validText(*c.text)) return invalid("field 'text' must be UTF-8 of at most 64 KiB");
    const int parts = int(c.text || c.attachment) + int(c.sender_key.has_value()) + int(c.group_secret.has_value()) +
                      int(c.resend_request.has_value()) + int(c.reaction.has_value()) + int(c.edit.has_value()) +
                      int(c.delete_for_everyone.has_value()) + int(c.delete_for_me.has_value()) +
                      int(c.disappearing.has_value()) + int(c.account_sync.has_value()) +
                      int(c.profile && !c.text && !c.attachment);
    if (parts != 1)
        return invalid("content must carry exactly one of: text/attachment, profile, sender_key, group_secret, "
                       "resend_request, reaction, edit, delete_for_everyone, delete_for_me, disappearing, account_sync");
    if (c.quote) {
        if (!c.text && !c.attachment) return invalid("field 'quote' goes with text or an attachment");
        if (c.quote->message_id == 0 || c.quote->sender_id == 0)
            return invalid("field 'quote' must name a message and its sender");
        if (c.quote->snippet.size() > kMaxSnippetBytes || !isValidUtf8(c.quote->snippet))
            return invalid("field 'quote.snippet' must be UTF-8 of at most 256 bytes");
    }
    if (c.forwarded && !c.text && !c.attachment) return invalid("field 'forwarded' goes with text or an attachment");
    if (c.mentions) {
        if (!c.text) return invalid("field 'mentions' goes with text");
        if (c.mentions->empty() || c.mentions->size() > kMaxMentions)
            return invalid("field 'mentions' must name 1 to 50 users");
        if (std::find(c.mentions->begin(), c.mentions->end(), UserId(0)) != c.mentions->end())
            return invalid("field 'mentions' must name users (ids above 0)");
    }
    if (c.profile) {
        if (c.profile->name.empty() || !validName(c.profile->name))
            return invalid("field 'profile.name' must be UTF-8 of 1 to 100 bytes");
        if (c.profile->version == 0) return invalid("field 'profile.version' must be 1 or more");
        if (!validAbout(c.profile->about))
            return invalid("field 'profile.about' must be UTF-8 of at most 140 bytes");
    }
    if (c.expire_timer) {
        if (!c.text && !c.attachment) return invalid("field 'expire_timer' goes with text or an attachment");
        if (!isDisappearingTimer(*c.expire_timer))
            return invalid("field 'expire_timer' must be 300, 3600, 86400, 604800 or 7776000 seconds");
    }
    if (c.disappearing && c.disappearing->seconds != 0 && !isDisappearingTimer(c.disappearing->seconds))
        return invalid("field 'disappearing.seconds' must be 0, 300, 3600, 86400, 604800 or 7776000");
    if (c.reaction) {
        if (c.reaction->message_id == 0) return invalid("field 'reaction.message_id' must name a message");
        if (!c.reaction->emoji.empty() && !looksLikeEmoji(c.reaction->emoji))
            return invalid("field 'reaction.emoji' must be one emoji (at most 64 bytes) or empty");
    }
    if (c.edit) {
        if (c.edit->message_id == 0) return invalid("field 'edit.message_id' must name a message");
        if (c.edit->text.empty() || !validText(c.edit->text))
            return invalid("field 'edit.text' must be UTF-8 of 1 byte to 64 KiB");
    }
    if (c.delete_for_everyone && c.delete_for_everyone->message_id == 0)
        return invalid("field 'delete_for_everyone.message_id' must name a message");
    if (c.delete_for_me && (c.delete_for_me->message_id == 0 ||
                            (!isGroupChatId(c.delete_for_me->chat_id) && !parseDirectChatId(c.delete_for_me->chat_id))))
        return invalid("field 'delete_for_me' must name a chat and a message");
    if (c.attachment)
        if (auto e = validate(*c.attachment)) return e;
    if (c.account_sync)
        if (auto e = validate(*c.account_sync)) return e;
    if (c.sender_key) {
        if (!isGroupChatId(c.sender_key->chat_id)) return invalid("field 'sender_key.chat_id' must be a group");
        if (c.sender_key->distribution.empty()) return invalid("field 'sender_key.distribution' must not be empty");
        if (auto e = checkBase64("sender_key.distribution", c.sender_key->distribution, 0)) return e;
    }
    if (c.group_secret) {
        if (!isGroupChatId(c.group_secret->chat_id)) return invalid("field 'group_secret.chat_id' must be a group");
        if (auto e = checkBase64("group_secret.secret", c.group_secret->secret, 32)) return e;
    }
    if (c.resend_request && (c.resend_request->message_id == 0 || c.resend_request->chat_id.empty()))
        return invalid("field 'resend_request' must name a chat and a message");
    if (c.resend_chat_id && !c.resend_of) return invalid("field 'resend_chat_id' needs 'resend_of'");
    return std::nullopt;
}

Result<Content> parseContent(std::string_view json) { return parseBody<Content>(json); }

std::string serializeContent(const Content& content) { return serializeBody(content); }

} // namespace natter::protocol::e2e
