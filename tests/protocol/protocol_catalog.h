// The protocol's message catalogue for the tests: every REST body of rest.h and the names
// docs/protocol.md uses for them, so coverage checks iterate one list.
#pragma once

#include "protocol/e2e.h"
#include "protocol/frames.h"
#include "protocol/rest.h"
#include "protocol/rest_chats.h"
#include "protocol/rest_groups.h"
#include "protocol/rest_keys.h"

#include <boost/core/type_name.hpp>
#include <boost/mp11/list.hpp>

#include <string>

namespace natter::protocol::test {

// Every JSON body that is not a frame: the REST structs (rest*.h) and the end-to-end content
// (e2e.h). A new struct must be added here, and then the round trip and the document checks
// cover it.
using RestBodies = boost::mp11::mp_list<
    rest::RegisterRequest, rest::RegisterResponse, rest::VerifyRequest, rest::VerifyResponse,
    rest::TokenRequest, rest::TokenResponse, rest::Profile, rest::ProfileUpdate,
    rest::ContactsLookupRequest, rest::RegisteredContact, rest::ContactsLookupResponse,
    rest::ContactsAddRequest, rest::ContactList, rest::PrivacySettings, rest::PresenceInfo,
    rest::RecipientStatus, rest::MessageReceipts, rest::DeviceInfo, rest::SignedDeviceList, rest::DeviceList, rest::ErrorBody,
    rest::BlockList, rest::PushRegistration, rest::PushWakeUp,
    rest::Health, rest::MediaUploaded,
    rest::CreateGroupRequest, rest::GroupMember, rest::GroupInfo, rest::GroupUpdate, rest::AddMembersRequest,
    rest::RoleUpdate, rest::SignedPreKey, rest::OneTimePreKey, rest::KeysUpload, rest::OneTimePreKeysUpload,
    rest::KeysStatus, rest::PreKeyBundle, rest::KeyBundles, rest::LinkCodeRequest, rest::LinkCode, rest::LinkRequest,
    rest::MessageSummary, rest::ChatSummary, rest::ChatList, rest::HistoryItem, rest::History, rest::ServerPolicy,
    e2e::Attachment, e2e::SenderKeyDistribution, e2e::GroupSecretShare, e2e::ResendRequest, e2e::Quote, e2e::SenderProfile, e2e::Reaction, e2e::Edit, e2e::Deletion, e2e::DisappearingTimer,
    e2e::DeleteForMe, e2e::SyncedContact, e2e::ChatSettings, e2e::SyncedGroup, e2e::SyncedPeerProfile, e2e::AccountSnapshot, e2e::AccountChange,
    e2e::HistoryRequest, e2e::HistoryMessage, e2e::HistoryChunk, e2e::AccountSync, e2e::Content>;

// "VerifyRequest" for rest::VerifyRequest, "SendMessage" for SendMessage.
template <class T>
std::string unqualifiedName() {
    const std::string full = boost::core::type_name<T>();
    const auto colon = full.rfind("::");
    return colon == std::string::npos ? full : full.substr(colon + 2);
}

} // namespace natter::protocol::test
