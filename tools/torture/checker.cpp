// The checker's rules, applied device by device (see checker.h for what they prove).
#include "checker.h"

#include <map>
#include <unordered_map>
#include <unordered_set>

namespace natter::torture {

namespace {

constexpr std::size_t kMaxExamples = 10;

void example(CheckResult& r, std::string text) {
    if (r.examples.size() < kMaxExamples) r.examples.push_back(std::move(text));
}

std::string describe(std::size_t device, std::size_t connection, const Delivery& d) {
    return "device " + std::to_string(device) + " connection " + std::to_string(connection) + ": message " +
           std::to_string(d.message_id) + " (" + d.chat_id + " seq " + std::to_string(d.seq) + ")";
}

} // namespace

CheckResult checkViews(const std::vector<AckedMessage>& acked, const std::vector<DeviceView>& views,
                       const std::vector<Receipt>& receipts) {
    CheckResult r;
    // (message, recipient) -> the earliest natterd lifetime its receipt reached the sender in.
    std::map<std::pair<protocol::MessageId, std::size_t>, std::uint64_t> receiptEpoch;
    for (const auto& rc : receipts) {
        auto [it, fresh] = receiptEpoch.emplace(std::pair{rc.message_id, rc.recipient}, rc.epoch);
        if (!fresh) it->second = std::min(it->second, rc.epoch);
    }
    std::unordered_map<protocol::MessageId, const AckedMessage*> byId;
    for (const auto& a : acked) byId[a.message_id] = &a;

    std::vector<std::unordered_set<protocol::MessageId>> seen(views.size());
    for (std::size_t device = 0; device < views.size(); ++device) {
        for (std::size_t c = 0; c < views[device].connections.size(); ++c) {
            const auto epoch = views[device].connections[c].epoch;
            std::unordered_set<protocol::MessageId> inConnection;
            std::unordered_map<std::string, protocol::Seq> lastSeq;
            for (const auto& d : views[device].connections[c].deliveries) {
                if (!inConnection.insert(d.message_id).second) {
                    ++r.duplicates;
                    example(r, "duplicate on " + describe(device, c, d));
                } else if (seen[device].count(d.message_id)) {
                    ++r.redelivered; // seen on an earlier connection
                    const auto receipt = receiptEpoch.find({d.message_id, device});
                    if (receipt != receiptEpoch.end() && receipt->second < epoch) {
                        ++r.redelivered_after_receipt;
                        example(r, "redelivered although its receipt was relayed in natterd lifetime " +
                                       std::to_string(receipt->second) + ": " + describe(device, c, d));
                    }
                }
                auto& last = lastSeq[d.chat_id];
                if (d.seq <= last) {
                    ++r.out_of_order;
                    example(r, "out of order after seq " + std::to_string(last) + " on " + describe(device, c, d));
                }
                last = std::max(last, d.seq);
                if (auto it = byId.find(d.message_id); it != byId.end() &&
                                                       (it->second->chat_id != d.chat_id || it->second->seq != d.seq)) {
                    ++r.mismatched;
                    example(r, "acked as " + it->second->chat_id + " seq " + std::to_string(it->second->seq) +
                                   " but delivered on " + describe(device, c, d));
                }
            }
            seen[device].insert(inConnection.begin(), inConnection.end());
        }
    }

    for (const auto& a : acked) {
        for (const std::size_t device : a.recipients) {
            ++r.expected;
            if (device < seen.size() && seen[device].count(a.message_id)) continue;
            ++r.lost;
            example(r, "lost: message " + std::to_string(a.message_id) + " (" + a.chat_id + " seq " +
                           std::to_string(a.seq) + ") never reached device " + std::to_string(device));
        }
    }
    return r;
}

} // namespace natter::torture
