#include "media/cluster_media_quota.h"

#include "app/clock.h"
#include "cluster/media_quota_scripts.h"
#include "cluster/redis_connection.h"
#include "logging/loggers.h"
#include "media/media_worker.h"

#include <map>

namespace natter::server {

namespace {
constexpr std::chrono::minutes kPending{10};     // a reservation counts this long without its put
constexpr std::chrono::hours kSeedClaim{1};      // one node seeds per hour at most
constexpr std::chrono::minutes kSeedCheck{10};   // how often a node looks whether it is due
constexpr std::size_t kSeedChunk = 256;          // media per script call

std::string ledgerKey(protocol::UserId owner) { return "mq:" + std::to_string(owner); }
protocol::TimestampMs ms(std::chrono::milliseconds d) { return d.count(); }
} // namespace

ClusterMediaQuota::ClusterMediaQuota(boost::asio::io_context& io, RedisConnection& redis, BlobStore& blobs,
                                     MediaWorker& worker, MediaLimits limits, std::string node)
    : redis_(redis), blobs_(blobs), worker_(worker), limits_(limits), node_(std::move(node)), timer_(io) {}

bool ClusterMediaQuota::shared() const { return redis_.up(); }

std::string ClusterMediaQuota::ttlMs() const {
    return std::to_string(ms(limits_.retention) + ms(std::chrono::hours(24)));
}

void ClusterMediaQuota::reserve(protocol::UserId owner, const std::string& id, std::uint64_t bytes,
                                protocol::TimestampMs now, std::function<void(Reservation)> done) {
    reserveOnce(owner, id, bytes, now, true, std::move(done));
}

void ClusterMediaQuota::reserveOnce(protocol::UserId owner, const std::string& id, std::uint64_t bytes,
                                    protocol::TimestampMs now, bool mayRetry, std::function<void(Reservation)> done) {
    redis_.eval(media_quota_scripts::kReserve,
                {"1", ledgerKey(owner), id, std::to_string(bytes), std::to_string(now),
                 std::to_string(now - ms(limits_.retention)), std::to_string(limits_.quota_bytes),
                 std::to_string(ms(kPending)), ttlMs()},
                [this, owner, id, bytes, now, mayRetry, done = std::move(done)](std::optional<RedisReply> reply) mutable {
                    if (!reply || reply->type != RedisReply::Type::array || reply->elements.size() != 2)
                        return done(Reservation{});
                    Reservation r{true, reply->elements[0].integer == 1,
                                  static_cast<std::uint64_t>(std::max<long long>(0, reply->elements[1].integer))};
                    if (r.admitted || !mayRetry) return done(r);
                    dropGone(owner, [this, owner, id, bytes, now, done = std::move(done)]() mutable {
                        reserveOnce(owner, id, bytes, now, false, std::move(done));
                    });
                });
}

void ClusterMediaQuota::dropGone(protocol::UserId owner, std::function<void()> done) {
    redis_.command({"HGETALL", ledgerKey(owner)}, [this, owner, done = std::move(done)](std::optional<RedisReply> all) mutable {
        if (!all || all->type != RedisReply::Type::array) return done();
        std::vector<std::string> ids; // stored entries only: a pending one's put may still be under way
        for (std::size_t i = 0; i + 1 < all->elements.size(); i += 2)
            if (all->elements[i + 1].str.ends_with(":0")) ids.push_back(all->elements[i].str);
        worker_.submit(
            [&blobs = blobs_, ids = std::move(ids)]() -> protocol::Result<std::vector<std::string>> {
                std::vector<std::string> gone;
                for (const auto& id : ids) {
                    auto meta = blobs.stat(id);
                    if (!meta && meta.error().code == protocol::ErrorCode::NotFound) gone.push_back(id);
                }
                return gone;
            },
            [this, owner, done = std::move(done)](protocol::Result<std::vector<std::string>> gone) mutable {
                if (!gone || gone->empty()) return done();
                std::vector<std::string> del{"HDEL", ledgerKey(owner)};
                del.insert(del.end(), gone->begin(), gone->end());
                redis_.command(del, [done = std::move(done)](std::optional<RedisReply>) { done(); });
            });
    });
}

void ClusterMediaQuota::stored(const std::string& id, const BlobMeta& meta) {
    redis_.eval(media_quota_scripts::kStored, {"1", ledgerKey(meta.owner), ttlMs(), id, std::to_string(meta.size),
                                               std::to_string(meta.created_at)});
}

void ClusterMediaQuota::removed(protocol::UserId owner, const std::string& id) {
    redis_.command({"HDEL", ledgerKey(owner), id});
}

void ClusterMediaQuota::start() {
    stopped_ = false;
    seedIfUnclaimed();
    checkLater();
}

void ClusterMediaQuota::stop() {
    stopped_ = true;
    timer_.cancel();
}

void ClusterMediaQuota::checkLater() {
    timer_.expires_after(kSeedCheck);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopped_) return;
        seedIfUnclaimed();
        checkLater();
    });
}

void ClusterMediaQuota::seedIfUnclaimed() {
    if (stopped_ || !redis_.up()) return;
    redis_.command({"SET", "mq:seeded", node_, "NX", "PX", std::to_string(ms(kSeedClaim))},
                   [this](std::optional<RedisReply> claimed) {
                       if (!claimed || !claimed->isOk() || stopped_) return;
                       worker_.submit([&blobs = blobs_] { return blobs.list(); },
                                      [this](protocol::Result<std::vector<std::pair<std::string, BlobMeta>>> all) {
                                          if (!all) {
                                              log::cluster()->warn("media quota: cannot list the media: {}",
                                                                   all.error().message);
                                              return;
                                          }
                                          seed(*all);
                                      });
                   });
}

void ClusterMediaQuota::seed(const std::vector<std::pair<std::string, BlobMeta>>& blobs) {
    const protocol::TimestampMs cutoff = nowMs() - ms(limits_.retention);
    std::map<protocol::UserId, std::vector<std::string>> byOwner; // script arguments per account
    std::size_t counted = 0;
    for (const auto& [id, meta] : blobs) {
        if (meta.created_at < cutoff) continue;
        auto& args = byOwner[meta.owner];
        if (args.empty()) args = {"1", ledgerKey(meta.owner), ttlMs()};
        args.insert(args.end(), {id, std::to_string(meta.size), std::to_string(meta.created_at)});
        ++counted;
        if (args.size() >= 3 + 3 * kSeedChunk) redis_.eval(media_quota_scripts::kStored, std::exchange(args, {}));
    }
    for (auto& [owner, args] : byOwner)
        if (!args.empty()) redis_.eval(media_quota_scripts::kStored, std::move(args));
    log::cluster()->info("media quota: node {} counted {} stored media of {} accounts into Redis", node_, counted,
                         byOwner.size());
}

} // namespace natter::server
