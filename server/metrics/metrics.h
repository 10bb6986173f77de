// Server counters exported at /metrics in the Prometheus text format. Lock-free:
// updated from the io thread and the store worker.
#pragma once

#include "metrics/histogram.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace natter::server {

// The Redis side of a cluster node, read when /metrics is rendered (io thread).
struct ClusterStats {
    bool redis_up = false;
    std::uint64_t redis_commands = 0;
    std::uint64_t redis_reconnects = 0;
    std::uint64_t redis_timeouts = 0;
};

// Why a push wake-up did not reach its device (natterd_push_failures_total{reason}).
enum class PushFailure {
    endpoint_gone,   // the endpoint answered 404/410: dropped
    address_refused, // its host resolves to an address natterd does not send to: dropped
    attempt_failed,  // network error, timeout or 5xx: retried later
    gave_up,         // the last retry failed too: this wake-up is abandoned
};

class Metrics {
public:
    // Names this node in the output; `cluster` (optional: only with --redis) reports Redis health.
    void setNode(std::string node, std::function<ClusterStats()> cluster = {}) {
        node_ = std::move(node);
        cluster_ = std::move(cluster);
    }
    void connectionOpened() { connections_.fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed() { connections_.fetch_sub(1, std::memory_order_relaxed); }
    void messageStored(std::uint64_t queuedEntries);
    void entriesEnqueued(std::uint64_t n) { queueDepth_.fetch_add(n, std::memory_order_relaxed); }
    void entryDequeued() { queueDepth_.fetch_sub(1, std::memory_order_relaxed); }
    void setQueueDepth(std::uint64_t n) { queueDepth_.store(n, std::memory_order_relaxed); }
    // The effective connection cap and the soft descriptor limit it was derived from.
    void setConnectionLimits(std::uint64_t maxConnections, std::uint64_t descriptorLimit) {
        maxConnections_ = maxConnections;
        descriptorLimit_ = descriptorLimit;
    }
    // A recipient device acknowledged delivery `latencyMs` after the message was stored.
    void messageDelivered(std::int64_t latencyMs);
    void errorSent() { errors_.fetch_add(1, std::memory_order_relaxed); }
    // A new TCP connection was closed at once: its address (or natterd) was at its cap.
    void connectionRefused(bool perAddress) {
        (perAddress ? refusedPerAddress_ : refusedGlobal_).fetch_add(1, std::memory_order_relaxed);
    }
    // A WebSocket was closed because its peer left too much unread (4002, slow consumer).
    void slowConsumerClosed() { slowConsumers_.fetch_add(1, std::memory_order_relaxed); }
    // Accepting a TCP connection failed (e.g. out of descriptors).
    void acceptFailed() { acceptFailures_.fetch_add(1, std::memory_order_relaxed); }
    // Queue entries deleted because their device stayed away past the queue retention.
    void entriesExpired(std::uint64_t n) {
        expired_.fetch_add(n, std::memory_order_relaxed);
        queueDepth_.fetch_sub(static_cast<std::int64_t>(n), std::memory_order_relaxed);
    }

    // The store engine ("sqlite" or "postgres") that labels the store figures; set before serving.
    void setStoreEngine(std::string engine) { engine_ = std::move(engine); }
    // A store transaction (a SQLite batch, a PostgreSQL transaction) committed `micros` after its BEGIN.
    void storeCommitted(std::uint64_t micros) {
        storeCommit_.observeMicros(micros);
        storeUp_.store(true, std::memory_order_relaxed);
    }
    // `jobs` store jobs ended with "storage failure": with their whole transaction (the store
    // is down or broken until a commit succeeds again), or alone inside a savepoint.
    void storeJobsFailed(std::uint64_t jobs, bool transaction) {
        storeFailures_.fetch_add(jobs, std::memory_order_relaxed);
        if (transaction) storeUp_.store(false, std::memory_order_relaxed);
    }
    // A store job met a concurrent writer (serialization failure, deadlock) and runs again.
    void storeJobRetried() { storeRetries_.fetch_add(1, std::memory_order_relaxed); }
    void pushDelivered() { pushDelivered_.fetch_add(1, std::memory_order_relaxed); }
    void pushFailed(PushFailure why) { pushFailures_[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed); }

    std::string render() const;

private:
    std::string node_;
    std::uint64_t maxConnections_ = 0;
    std::uint64_t descriptorLimit_ = 0;
    std::function<ClusterStats()> cluster_;
    std::atomic<std::int64_t> connections_{0};
    std::atomic<std::uint64_t> stored_{0};
    std::atomic<std::uint64_t> delivered_{0};
    std::atomic<std::int64_t> queueDepth_{0};
    std::atomic<std::uint64_t> errors_{0};
    std::atomic<std::uint64_t> refusedPerAddress_{0};
    std::atomic<std::uint64_t> refusedGlobal_{0};
    std::atomic<std::uint64_t> expired_{0};
    std::atomic<std::uint64_t> slowConsumers_{0};
    std::atomic<std::uint64_t> acceptFailures_{0};
    Histogram deliveryLatency_;
    std::string engine_ = "sqlite";
    Histogram storeCommit_;
    std::atomic<bool> storeUp_{true};
    std::atomic<std::uint64_t> storeFailures_{0};
    std::atomic<std::uint64_t> storeRetries_{0};
    std::atomic<std::uint64_t> pushDelivered_{0};
    std::array<std::atomic<std::uint64_t>, 4> pushFailures_{};
};

} // namespace natter::server
