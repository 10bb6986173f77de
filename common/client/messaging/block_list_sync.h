// The account's block list on this device: block and unblock through natterd (which enforces
// it), and the stored copy read again at every connect and on `blocks_changed`, so a block made
// on one device of the account shows on the others.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"

#include <QObject>

#include <functional>
#include <vector>

namespace natter::client {
namespace net { class ApiClient; }
namespace store { class ProfileStore; }
class FollowUps;

class BlockListSync : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(Expected<std::vector<UserId>>)>;

    BlockListSync(store::ProfileStore& store, net::ApiClient& api, FollowUps& followUps, QObject* parent = nullptr);

    // GET /api/blocks into the store (at connect and on blocks_changed); done with the list.
    void refresh(Done done = {});
    // PUT / DELETE /api/blocks/{id}, then the stored list; done with the new list.
    void block(UserId user, Done done);
    void unblock(UserId user, Done done);
    // The stored list, oldest block first (offline too).
    Expected<std::vector<UserId>> blocked();

signals:
    void blocksChanged();

private:
    // Stores natterd's answer and tells whoever shows it.
    Expected<std::vector<UserId>> adopt(const std::vector<UserId>& blocked);

    store::ProfileStore& m_store;
    net::ApiClient& m_api;
    FollowUps& m_followUps;
};

} // namespace natter::client
