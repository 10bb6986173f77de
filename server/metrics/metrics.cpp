#include "metrics/metrics.h"

#include <filesystem>
#include <sstream>

namespace natter::server {
namespace {

// Entries of /proc/self/fd (the directory's own descriptor while it is read included); 0 without /proc.
std::uint64_t openDescriptors() {
    std::error_code ec;
    std::uint64_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
    return n;
}

} // namespace

void Metrics::messageStored(std::uint64_t queuedEntries) {
    stored_.fetch_add(1, std::memory_order_relaxed);
    entriesEnqueued(queuedEntries);
}

void Metrics::messageDelivered(std::int64_t latencyMs) {
    delivered_.fetch_add(1, std::memory_order_relaxed);
    deliveryLatency_.observeMicros(static_cast<std::uint64_t>(latencyMs < 0 ? 0 : latencyMs) * 1000);
}

std::string Metrics::render() const {
    std::ostringstream out;
    out << "# HELP natterd_connections Open WebSocket connections.\n"
        << "# TYPE natterd_connections gauge\n"
        << "natterd_connections " << connections_.load() << "\n"
        << "# HELP natterd_messages_stored_total Messages durably stored.\n"
        << "# TYPE natterd_messages_stored_total counter\n"
        << "natterd_messages_stored_total " << stored_.load() << "\n"
        << "# HELP natterd_messages_delivered_total Recipient devices that acknowledged delivery.\n"
        << "# TYPE natterd_messages_delivered_total counter\n"
        << "natterd_messages_delivered_total " << delivered_.load() << "\n"
        << "# HELP natterd_queue_depth Entries waiting in device queues.\n"
        << "# TYPE natterd_queue_depth gauge\n"
        << "natterd_queue_depth " << queueDepth_.load() << "\n"
        << "# HELP natterd_errors_total Error frames sent to clients.\n"
        << "# TYPE natterd_errors_total counter\n"
        << "natterd_errors_total " << errors_.load() << "\n"
        << "# HELP natterd_max_connections The cap on open TCP connections (--max-connections, bounded by the descriptor limit).\n"
        << "# TYPE natterd_max_connections gauge\n"
        << "natterd_max_connections " << maxConnections_ << "\n"
        << "# HELP natterd_descriptor_limit natterd's soft limit on open file descriptors (RLIMIT_NOFILE).\n"
        << "# TYPE natterd_descriptor_limit gauge\n"
        << "natterd_descriptor_limit " << descriptorLimit_ << "\n"
        << "# HELP natterd_open_descriptors File descriptors natterd has open: connections, the store, media files, push requests.\n"
        << "# TYPE natterd_open_descriptors gauge\n"
        << "natterd_open_descriptors " << openDescriptors() << "\n"
        << "# HELP natterd_connections_refused_total TCP connections closed at once because a connection cap was reached.\n"
        << "# TYPE natterd_connections_refused_total counter\n"
        << "natterd_connections_refused_total{reason=\"per_address\"} " << refusedPerAddress_.load() << "\n"
        << "natterd_connections_refused_total{reason=\"global\"} " << refusedGlobal_.load() << "\n"
        << "# HELP natterd_slow_consumers_closed_total WebSockets closed (4002) because their unread frames passed the outbound cap.\n"
        << "# TYPE natterd_slow_consumers_closed_total counter\n"
        << "natterd_slow_consumers_closed_total " << slowConsumers_.load() << "\n"
        << "# HELP natterd_accept_failures_total Failed accepts of TCP connections (e.g. out of descriptors).\n"
        << "# TYPE natterd_accept_failures_total counter\n"
        << "natterd_accept_failures_total " << acceptFailures_.load() << "\n"
        << "# HELP natterd_queue_entries_expired_total Queue entries deleted after the queue retention (device absent).\n"
        << "# TYPE natterd_queue_entries_expired_total counter\n"
        << "natterd_queue_entries_expired_total " << expired_.load() << "\n"
        << "# HELP natterd_delivery_latency_seconds From storing a message to a recipient device's delivered ack.\n"
        << "# TYPE natterd_delivery_latency_seconds histogram\n";
    deliveryLatency_.render(out, "natterd_delivery_latency_seconds");
    const std::string engine = "engine=\"" + engine_ + "\"";
    out << "# HELP natterd_store_commit_seconds From BEGIN to the end of COMMIT of a store transaction (a SQLite batch, a PostgreSQL transaction).\n"
        << "# TYPE natterd_store_commit_seconds histogram\n";
    storeCommit_.render(out, "natterd_store_commit_seconds", engine);
    out << "# HELP natterd_store_up Whether the store's last transaction committed (1) or failed (0); natterd writes at least every --revocation-check-interval.\n"
        << "# TYPE natterd_store_up gauge\n"
        << "natterd_store_up{" << engine << "} " << (storeUp_.load() ? 1 : 0) << "\n"
        << "# HELP natterd_store_job_failures_total Store jobs that failed with a storage failure (their writes undone).\n"
        << "# TYPE natterd_store_job_failures_total counter\n"
        << "natterd_store_job_failures_total{" << engine << "} " << storeFailures_.load() << "\n"
        << "# HELP natterd_store_job_retries_total Store jobs run again after meeting a concurrent writer (PostgreSQL).\n"
        << "# TYPE natterd_store_job_retries_total counter\n"
        << "natterd_store_job_retries_total{" << engine << "} " << storeRetries_.load() << "\n"
        << "# HELP natterd_push_delivered_total Push wake-ups an endpoint accepted.\n"
        << "# TYPE natterd_push_delivered_total counter\n"
        << "natterd_push_delivered_total " << pushDelivered_.load() << "\n"
        << "# HELP natterd_push_failures_total Push wake-ups that did not reach their endpoint, by reason.\n"
        << "# TYPE natterd_push_failures_total counter\n";
    constexpr std::array<const char*, 4> reasons{"endpoint_gone", "address_refused", "attempt_failed", "gave_up"};
    for (std::size_t i = 0; i < reasons.size(); ++i)
        out << "natterd_push_failures_total{reason=\"" << reasons[i] << "\"} " << pushFailures_[i].load() << "\n";
    const std::string node = "{node=\"" + node_ + "\"}";
    out << "# HELP natterd_node_info The node these figures come from (--node-id); scrape every node and sum.\n"
        << "# TYPE natterd_node_info gauge\n"
        << "natterd_node_info" << node << " 1\n";
    if (cluster_) {
        const ClusterStats stats = cluster_();
        out << "# HELP natterd_redis_up Whether this node's Redis connections are up (1) or not (0).\n"
            << "# TYPE natterd_redis_up gauge\n"
            << "natterd_redis_up" << node << " " << (stats.redis_up ? 1 : 0) << "\n"
            << "# HELP natterd_redis_commands_total Commands this node sent to Redis.\n"
            << "# TYPE natterd_redis_commands_total counter\n"
            << "natterd_redis_commands_total" << node << " " << stats.redis_commands << "\n"
            << "# HELP natterd_redis_reconnects_total Times a Redis connection of this node came back after a loss.\n"
            << "# TYPE natterd_redis_reconnects_total counter\n"
            << "natterd_redis_reconnects_total" << node << " " << stats.redis_reconnects << "\n"
            << "# HELP natterd_redis_timeouts_total Redis connections this node dropped because Redis did not answer within --redis-timeout.\n"
            << "# TYPE natterd_redis_timeouts_total counter\n"
            << "natterd_redis_timeouts_total" << node << " " << stats.redis_timeouts << "\n";
    }
    return out.str();
}

} // namespace natter::server
