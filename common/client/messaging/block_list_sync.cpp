#include "client/messaging/block_list_sync.h"

#include "client/messaging/follow_ups.h"
#include "client/net/api_client.h"
#include "client/store/block_store.h"
#include "client/store/profile_store.h"
#include "protocol/rest.h"

#include <boost/json/value.hpp>

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcBlocks, "natter.blocks")

namespace natter::client {

namespace rest = protocol::rest;
using net::HttpMethod;

BlockListSync::BlockListSync(store::ProfileStore& store, net::ApiClient& api, FollowUps& followUps, QObject* parent)
    : QObject(parent), m_store(store), m_api(api), m_followUps(followUps) {}

Expected<std::vector<UserId>> BlockListSync::adopt(const std::vector<UserId>& blocked) {
    if (auto r = m_store.blocks().replace(blocked); !r) return r.error();
    emit blocksChanged();
    return blocked;
}

void BlockListSync::refresh(Done done) {
    auto job = m_followUps.start(QStringLiteral("the block list"));
    m_api.call<rest::BlockList>(HttpMethod::Get, QStringLiteral("/api/blocks"),
                                [this, done, job](Expected<rest::BlockList> list) mutable {
                                    Expected<std::vector<UserId>> result =
                                        list ? adopt(list->user_ids) : Expected<std::vector<UserId>>(list.error());
                                    if (!result)
                                        qCInfo(lcBlocks) << "the block list was not refreshed:" << result.error().message;
                                    job.done();
                                    if (done) done(std::move(result));
                                });
}

void BlockListSync::block(UserId user, Done done) {
    m_api.call<rest::BlockList>(HttpMethod::Put, QStringLiteral("/api/blocks/%1").arg(user),
                                [this, done](Expected<rest::BlockList> list) {
                                    if (!list) return done(list.error());
                                    done(adopt(list->user_ids));
                                });
}

void BlockListSync::unblock(UserId user, Done done) {
    m_api.call<boost::json::value>(HttpMethod::Delete, QStringLiteral("/api/blocks/%1").arg(user),
                                   [this, done](Expected<boost::json::value> removed) {
                                       if (!removed) return done(removed.error());
                                       refresh(done);
                                   });
}

Expected<std::vector<UserId>> BlockListSync::blocked() { return m_store.blocks().all(); }

} // namespace natter::client
