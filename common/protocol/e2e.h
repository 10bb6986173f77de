// What travels inside the end-to-end encryption: the JSON plaintext one client encrypts
// (Signal session or sender key) and the recipients' clients decrypt. natterd never sees
// it; it is part of the protocol between clients (docs/protocol.md, "End-to-end content").
#pragma once

#include "protocol/error.h"
#include "protocol/types.h"

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natter::protocol::e2e {

inline constexpr int kContentVersion = 1;
// At most this many members @-mentioned by one group message.
inline constexpr std::size_t kMaxMentions = 50;

// A file sent as a message: the encrypted blob is on the server under media_id; only the
// recipients learn the key, the name and the type.
struct Attachment {
    std::string media_id;                 // from POST /api/media: 43 characters of base64url (isMediaId)
    std::string key;                      // base64 of 64 bytes: AES-256-CBC key then HMAC-SHA256 key
    std::string digest;                   // base64 SHA-256 of the uploaded blob (IV || ciphertext || MAC)
    std::string mime;                     // e.g. "image/png"
    std::uint64_t size = 0;               // plaintext bytes
    std::string file_name;                // the original file name
    std::optional<std::string> thumbnail; // base64 JPEG preview (images), at most 16 KiB decoded
};
BOOST_DESCRIBE_STRUCT(Attachment, (), (media_id, key, digest, mime, size, file_name, thumbnail))

// The sender's sender key for a group, sent over the pairwise sessions to every member
// device before its first group message (and again after any member leaves).
struct SenderKeyDistribution {
    std::string chat_id;      // the group, "g:..."
    std::string distribution; // base64 libsignal SenderKeyDistributionMessage
};
BOOST_DESCRIBE_STRUCT(SenderKeyDistribution, (), (chat_id, distribution))

// The group secret that encrypts the group's name and description on the server.
struct GroupSecretShare {
    std::string chat_id; // the group, "g:..."
    std::string secret;  // base64 of 32 random bytes
};
BOOST_DESCRIBE_STRUCT(GroupSecretShare, (), (chat_id, secret))

// "I could not decrypt your message": the sender re-sends it over a fresh pairwise session
// (with its current sender key for a group) instead of the message being lost.
struct ResendRequest {
    std::string chat_id;      // chat of the failed message
    MessageId message_id = 0; // its server id
};
BOOST_DESCRIBE_STRUCT(ResendRequest, (), (chat_id, message_id))

// A reply's quote: enough of the quoted message to show it even when the recipient does not
// have the original (yet). Travels with the reply's text/attachment.
struct Quote {
    MessageId message_id = 0; // the quoted message's server id, in the same chat
    UserId sender_id = 0;     // who wrote the quoted message
    std::string snippet;      // its first characters (text, caption or file name), at most 256 bytes
};
BOOST_DESCRIBE_STRUCT(Quote, (), (message_id, sender_id, snippet))

// The sender's own profile, attached to a text or file it sends when that chat has not had this
// version yet, or alone (profile-only content) to a group it joined or to members added to its
// groups, so recipients show the sender's chosen name instead of "User N" (their own contact
// names still win). Only the sender's profile: receivers store it for the sender, never for another user.
struct SenderProfile {
    std::string name;                 // the chosen display name, 1 to kMaxSyncedNameBytes bytes of UTF-8
    std::uint32_t version = 0;        // raised by the sender on every change; receivers keep the highest (1 or more)
    std::optional<std::string> about; // a short text about the sender, at most kMaxAboutBytes of UTF-8 (absent: none)
};
BOOST_DESCRIBE_STRUCT(SenderProfile, (), (name, version, about))

// The profile's "about" text: at most this many bytes of UTF-8.
inline constexpr std::size_t kMaxAboutBytes = 140;

// A reaction, sent in the chat of the message it reacts to: one per person per message, the
// latest replaces the earlier one; an empty emoji removes it. Never shown as a message.
struct Reaction {
    MessageId message_id = 0; // the message reacted to (server id, same chat)
    std::string emoji;        // one emoji (at most 64 bytes of UTF-8), or "" to remove the reaction
};
BOOST_DESCRIBE_STRUCT(Reaction, (), (message_id, emoji))

// New text for a message of the sender's own, within the edit window (ServerPolicy
// edit_window_s); receivers ignore an edit from anyone else or later than that.
struct Edit {
    MessageId message_id = 0; // the edited message (server id, same chat, sent by the same user)
    std::string text;         // its whole new text (the caption, for a file), 1 byte to 64 KiB
};
BOOST_DESCRIBE_STRUCT(Edit, (), (message_id, text))

// Delete for everyone: the sender withdraws a message of its own within the window
// (ServerPolicy delete_for_everyone_window_s); every device erases its text and file.
struct Deletion {
    MessageId message_id = 0; // the deleted message (server id, same chat, sent by the same user)
};
BOOST_DESCRIBE_STRUCT(Deletion, (), (message_id))

// Delete for me, synced to the user's own other devices (sent in the message's chat, as natterd
// has no chat of a user with themself; receivers act on it only when it comes from their own account).
struct DeleteForMe {
    std::string chat_id;      // the chat of the message
    MessageId message_id = 0; // the message removed on every device of this account
};
BOOST_DESCRIBE_STRUCT(DeleteForMe, (), (chat_id, message_id))

// The chat's disappearing-messages timer changed (docs/protocol.md, "Disappearing messages"):
// texts and files sent in the chat from then on carry it and expire that long after sending.
// In a direct chat either person may set it; in a group only an admin (receivers ignore others).
struct DisappearingTimer {
    std::uint32_t seconds = 0; // 0 (off) or one of kDisappearingTimers
};
BOOST_DESCRIBE_STRUCT(DisappearingTimer, (), (seconds))

// The timers a chat can have, in seconds: 5 minutes, 1 hour, 1 day, 1 week, 90 days.
inline constexpr std::uint32_t kDisappearingTimers[] = {300, 3600, 86400, 604800, 7776000};
// Whether `seconds` is one of kDisappearingTimers (0, "off", is not).
constexpr bool isDisappearingTimer(std::uint32_t seconds) {
    for (std::uint32_t t : kDisappearingTimers)
        if (t == seconds) return true;
    return false;
}

// ---- account sync (docs/protocol.md, "Account sync") ----------------------------------
// What an account keeps beyond its keys, carried from one of its devices to its others in the
// account's own chat (dm:U:U). Receivers act on it only when it comes from their own account.

// A contact as the account keeps it.
struct SyncedContact {
    UserId user_id = 0; // the contact's account
    std::string phone;  // their E.164 phone number
    std::string name;   // the name this account gives them (kMaxSyncedNameBytes of UTF-8 at most; may be empty)
};
BOOST_DESCRIBE_STRUCT(SyncedContact, (), (user_id, phone, name))

// A snapshot's lists hold at most this many entries each.
inline constexpr std::size_t kMaxSyncedItems = 10000;
// A contact's name (SyncedContact) and the profile name: at most this many bytes of UTF-8.
inline constexpr std::size_t kMaxSyncedNameBytes = 100;
// Muted until unmuted (ChatSettings::muted_until): the largest integer every JSON reader keeps exact.
inline constexpr std::uint64_t kMutedForever = 9007199254740991; // 2^53 - 1

// One chat's settings on the account's devices.
struct ChatSettings {
    std::string chat_id;           // the chat, "dm:..." or "g:..."
    bool pinned = false;           // shown at the top of the chat list
    std::uint64_t muted_until = 0; // 0: not muted; kMutedForever: until unmuted; else muted until this time (ms since 1970)
    bool archived = false;         // kept out of the chat list
    std::optional<bool> request;   // false: accepted as a message request on the sending device (never true)
};
BOOST_DESCRIBE_STRUCT(ChatSettings, (), (chat_id, pinned, muted_until, archived, request))

// A group the account is in, with the secret that opens its name and description on natterd.
struct SyncedGroup {
    std::string chat_id; // the group, "g:..."
    std::string secret;  // base64 of its 32-byte group secret (as in GroupSecretShare)
};
BOOST_DESCRIBE_STRUCT(SyncedGroup, (), (chat_id, secret))

// A name another user chose, as their messages brought it to the account (SenderProfile).
struct SyncedPeerProfile {
    UserId user_id = 0;        // who chose it
    std::string name;          // 1 to kMaxSyncedNameBytes bytes of UTF-8
    std::uint32_t version = 0; // its SenderProfile version (1 or more): a device keeps the highest
    std::optional<std::string> about; // their about text, at most kMaxAboutBytes (absent: none)
};
BOOST_DESCRIBE_STRUCT(SyncedPeerProfile, (), (user_id, name, version, about))

// Everything a newly linked device takes over from the device that linked it.
struct AccountSnapshot {
    std::vector<SyncedContact> contacts;     // every contact, at most kMaxSyncedItems
    std::optional<std::string> profile_name; // the account's own display name (absent: none set)
    std::vector<ChatSettings> chats;         // chats with a setting that is not the default, at most kMaxSyncedItems
    std::vector<SyncedGroup> groups;         // every group the account is in, at most kMaxSyncedItems
    std::optional<std::vector<SyncedPeerProfile>> peer_profiles; // names others chose, at most kMaxSyncedItems
                                                                 // (absent from older clients: none)
    std::optional<std::string> profile_about; // the account's own about text (absent: none)
};
BOOST_DESCRIBE_STRUCT(AccountSnapshot, (), (contacts, profile_name, chats, groups, peer_profiles, profile_about))

// One change made on one device. Exactly one field is present.
struct AccountChange {
    std::optional<SyncedContact> contact_saved; // a contact added or renamed
    std::optional<UserId> contact_removed;      // a contact removed (their chat stays)
    std::optional<std::string> profile_name;    // the account's display name changed
    std::optional<ChatSettings> chat_settings;  // a chat was pinned, muted or archived, or the reverse
    std::optional<std::string> profile_about;   // the account's about text changed ("": removed)
    std::optional<std::string> request_deleted; // a message request (its 1:1 chat id) deleted with its messages
};
BOOST_DESCRIBE_STRUCT(AccountChange, (), (contact_saved, contact_removed, profile_name, chat_settings, profile_about,
                                          request_deleted))

// ---- message history for a linked device (docs/protocol.md, "History transfer") ----------
// A chunk holds at most this many messages; the answering device also stops adding messages
// to a chunk once about kHistoryChunkBudgetBytes of text and file details are in it, or
// kHistoryFrameBudgetBytes divided by the devices it goes to (one envelope each, one frame).
inline constexpr std::size_t kMaxHistoryChunkMessages = 200;
inline constexpr std::size_t kHistoryChunkBudgetBytes = 48 * 1024;
inline constexpr std::size_t kHistoryFrameBudgetBytes = 144 * 1024;
// One answer to a history request is at most this many chunks; the receiver asks for the next
// ones once it applied them, so a transfer never fills an outbox or natterd's queue.
inline constexpr std::size_t kHistoryChunksPerAnswer = 4;

// A device that opted in at link time asks for the history (again after an interruption).
struct HistoryRequest {
    MessageId after = 0; // send the messages with a larger server id (0: from the start)
};
BOOST_DESCRIBE_STRUCT(HistoryRequest, (), (after))

// One text or file message of the history, as the answering device stores it.
struct HistoryMessage {
    std::string chat_id;                  // its chat, "dm:..." or "g:..." (never the own chat)
    MessageId message_id = 0;             // natterd's id: dedups it on the receiving device
    std::string client_msg_id;            // the sender's id for it (may be empty)
    UserId sender_id = 0;                 // who wrote it (this account: sent by the account)
    DeviceId sender_device = 0;
    Seq seq = 0;                          // its position in the chat
    TimestampMs timestamp = 0;            // natterd's time
    std::string state;                    // "sent", "delivered" or "read"
    std::optional<std::string> text;      // text, or the file's caption
    std::optional<Attachment> attachment; // the file: key and digest to fetch it from natterd while it is kept
    std::optional<Quote> quote;           // it replies to that message
    bool forwarded = false;
    std::uint32_t expire_timer = 0;       // disappearing: seconds after timestamp (0: kept)
    TimestampMs edited_at = 0;            // when its current text was set by an edit (0: never edited)
};
BOOST_DESCRIBE_STRUCT(HistoryMessage, (),
                      (chat_id, message_id, client_msg_id, sender_id, sender_device, seq, timestamp, state, text,
                       attachment, quote, forwarded, expire_timer, edited_at))

// One numbered part of the history, oldest messages first (by server id, across chats).
struct HistoryChunk {
    std::uint64_t first = 0;              // how many history messages come before this chunk
    std::uint64_t total = 0;              // messages in the whole history (for progress)
    MessageId last = 0;                   // the largest server id in it: where a resumed transfer goes on
    std::vector<HistoryMessage> messages; // 1 to kMaxHistoryChunkMessages, by ascending message_id
    bool more = false;                    // the answer's last chunk, with more after it: ask again after `last`
};
BOOST_DESCRIBE_STRUCT(HistoryChunk, (), (first, total, last, messages, more))

// Content part `account_sync`: exactly one of a snapshot request, a snapshot, a change, a
// history request or a history chunk.
struct AccountSync {
    std::optional<bool> snapshot_request;          // true: sent once by a device just linked, asking for a snapshot
    std::optional<AccountSnapshot> snapshot;       // the answer to a snapshot request
    std::optional<AccountChange> change;           // sent after each change on any device
    std::optional<HistoryRequest> history_request; // a device linked with history asks for (the rest of) it
    std::optional<HistoryChunk> history;           // one part of the answer
};
BOOST_DESCRIBE_STRUCT(AccountSync, (), (snapshot_request, snapshot, change, history_request, history))

// One decrypted message. Exactly one of text/attachment (a caption may accompany an
// attachment in text, a quote and the sender's profile may accompany either) or one other part
// (the profile alone among them) is present.
struct Content {
    int version = kContentVersion;                        // this format's version
    std::optional<std::string> text;                      // message text (or the attachment's caption)
    std::optional<Attachment> attachment;                 // a file
    std::optional<SenderKeyDistribution> sender_key;      // control: a group sender key
    std::optional<GroupSecretShare> group_secret;         // control: a group's metadata secret
    std::optional<ResendRequest> resend_request;          // control: ask for a re-send
    std::optional<MessageId> resend_of;                   // this re-sends that message (server id)
    std::optional<std::string> resend_chat_id;            // ...of this chat (a group message re-sent 1:1)
    std::optional<Quote> quote;                           // this message replies to that one
    std::optional<Reaction> reaction;                     // a reaction to a message of this chat
    std::optional<Edit> edit;                             // new text for an own message of this chat
    std::optional<Deletion> delete_for_everyone;          // withdraws an own message of this chat
    std::optional<DeleteForMe> delete_for_me;             // control: removed on this account's devices
    std::optional<bool> forwarded;                        // this text/attachment was forwarded from another chat
    std::optional<std::uint32_t> expire_timer;            // this text/attachment disappears this many seconds after
                                                          // its server timestamp (the chat's timer when it was sent)
    std::optional<DisappearingTimer> disappearing;        // the chat's disappearing-messages timer changed
    std::optional<AccountSync> account_sync;              // control: contacts, profile and chat settings
                                                          // for this account's other devices (own chat only)
    std::optional<std::vector<UserId>> mentions;          // group members @-mentioned in the text (at most 50):
                                                          // notified even where they muted the group
    std::optional<SenderProfile> profile;                 // the sender's name, with a text/attachment or alone
};
BOOST_DESCRIBE_STRUCT(Content, (),
                      (version, text, attachment, sender_key, group_secret, resend_request, resend_of, resend_chat_id,
                       quote, reaction, edit, delete_for_everyone, delete_for_me, forwarded, expire_timer,
                       disappearing, account_sync, mentions, profile))

// Checks beyond the JSON shape (sizes, exactly one part, key lengths). Declared here, next to
// the structs, so every parseBody<Content> instantiation sees them (e2e_codec.cpp defines them).
std::optional<Error> validate(const Attachment& a);
std::optional<Error> validate(const Content& c);

} // namespace natter::protocol::e2e
