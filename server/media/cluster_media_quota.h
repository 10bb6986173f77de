// The media quota for all nodes of a cluster together: a ledger per account in Redis
// (media_quota_scripts.h) where an upload reserves its bytes before its put, atomically, so two
// nodes cannot both fill the last room. Redis keeps nothing durable, so one node at a time
// ("mq:seeded", taken for an hour) copies the blob store's listing into the ledger when Redis
// comes up and then hourly; a refusal first drops entries whose media is gone (deleted during
// a seeding) and asks once more. Without an answer from Redis the node's MediaQuota decides.
// io thread; blob store calls on the MediaWorker.
#pragma once

#include "media/blob_store.h"
#include "media/media_quota.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace natter::server {

class MediaWorker;
class RedisConnection;

class ClusterMediaQuota {
public:
    struct Reservation {
        bool answered = false; // false: Redis did not answer, the node's own quota decides
        bool admitted = false;
        std::uint64_t used = 0; // bytes the account had stored before this upload
    };

    ClusterMediaQuota(boost::asio::io_context& io, RedisConnection& redis, BlobStore& blobs, MediaWorker& worker,
                      MediaLimits limits, std::string node);
    // A new quota (SIGHUP) for the next reservation; the ledger's entries stay.
    void setQuota(std::uint64_t quotaBytes) { limits_.quota_bytes = quotaBytes; }

    bool shared() const;
    // Reserves `bytes` for media `id` of `owner`, dated `now`.
    void reserve(protocol::UserId owner, const std::string& id, std::uint64_t bytes, protocol::TimestampMs now,
                 std::function<void(Reservation)> done);
    // After the put: the reservation becomes stored media ...
    void stored(const std::string& id, const BlobMeta& meta);
    // ... or, when the put failed or the media was deleted, goes away.
    void removed(protocol::UserId owner, const std::string& id);

    // Seeds now if no node has in the last hour, then checks every 10 minutes.
    void start();
    void stop();
    // Redis (re)connected: its ledger may be empty.
    void seedIfUnclaimed();

private:
    void reserveOnce(protocol::UserId owner, const std::string& id, std::uint64_t bytes, protocol::TimestampMs now,
                     bool mayRetry, std::function<void(Reservation)> done);
    // Drops the owner's stored entries whose media the blob store no longer has.
    void dropGone(protocol::UserId owner, std::function<void()> done);
    void seed(const std::vector<std::pair<std::string, BlobMeta>>& blobs);
    void checkLater();
    std::string ttlMs() const;

    RedisConnection& redis_;
    BlobStore& blobs_;
    MediaWorker& worker_;
    MediaLimits limits_;
    std::string node_;
    boost::asio::steady_timer timer_;
    bool stopped_ = true;
};

} // namespace natter::server
