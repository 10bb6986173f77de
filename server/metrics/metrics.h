// Server counters exported at /metrics in the Prometheus text format. Lock-free:
// updated from the io thread and the store worker.
#pragma once

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

    std::string render() const;

private:
    static constexpr std::array<double, 12> kBucketsSeconds{0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                            0.25,  0.5,   1.0,  2.5,   5.0,  10.0};
    std::string node_;
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
    std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size()> buckets_{};
    std::atomic<std::uint64_t> latencyCount_{0};
    std::atomic<std::uint64_t> latencySumMicros_{0};
};

} // namespace natter::server
