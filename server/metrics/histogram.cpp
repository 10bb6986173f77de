#include "metrics/histogram.h"

#include <string>

namespace natter::server {

void Histogram::observeMicros(std::uint64_t micros) {
    const double seconds = static_cast<double>(micros) / 1e6;
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i)
        if (seconds <= kBucketsSeconds[i]) buckets_[i].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sumMicros_.fetch_add(micros, std::memory_order_relaxed);
}

void Histogram::render(std::ostream& out, std::string_view name, std::string_view labels) const {
    const std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
    const std::string braces = labels.empty() ? std::string() : "{" + std::string(labels) + "}";
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i)
        out << name << "_bucket{" << prefix << "le=\"" << kBucketsSeconds[i] << "\"} " << buckets_[i].load() << "\n";
    out << name << "_bucket{" << prefix << "le=\"+Inf\"} " << count_.load() << "\n"
        << name << "_sum" << braces << " " << static_cast<double>(sumMicros_.load()) / 1e6 << "\n"
        << name << "_count" << braces << " " << count_.load() << "\n";
}

} // namespace natter::server
