#include "metrics/metrics.h"

#include <sstream>

namespace natter::server {

void Metrics::messageStored(std::uint64_t queuedEntries) {
    stored_.fetch_add(1, std::memory_order_relaxed);
    entriesEnqueued(queuedEntries);
}

void Metrics::messageDelivered(std::int64_t latencyMs) {
    delivered_.fetch_add(1, std::memory_order_relaxed);
    if (latencyMs < 0) latencyMs = 0;
    const double seconds = static_cast<double>(latencyMs) / 1000.0;
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i)
        if (seconds <= kBucketsSeconds[i]) buckets_[i].fetch_add(1, std::memory_order_relaxed);
    latencyCount_.fetch_add(1, std::memory_order_relaxed);
    latencySumMicros_.fetch_add(static_cast<std::uint64_t>(latencyMs) * 1000, std::memory_order_relaxed);
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
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i)
        out << "natterd_delivery_latency_seconds_bucket{le=\"" << kBucketsSeconds[i] << "\"} " << buckets_[i].load()
            << "\n";
    out << "natterd_delivery_latency_seconds_bucket{le=\"+Inf\"} " << latencyCount_.load() << "\n"
        << "natterd_delivery_latency_seconds_sum " << static_cast<double>(latencySumMicros_.load()) / 1e6 << "\n"
        << "natterd_delivery_latency_seconds_count " << latencyCount_.load() << "\n";
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
