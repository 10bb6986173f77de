// The torture checker: proves from the recorded views that every acknowledged message reached
// each of its recipient devices, at most once per connection, in per-chat seq order.
//
// "Exactly once per connection", precisely: the server may deliver an entry again on a later
// connection when it had not durably stored the device's `delivered` ack before it was killed
// (a real client drops those by message_id), so
//   - each acknowledged message appears in the union of its recipient's connections (none lost);
//   - within one connection no message_id appears twice (no duplicates);
//   - within one connection each chat's entries arrive with strictly increasing seq (order);
//   - a delivery carries the seq its sender's ack carried (consistency);
// and appearances on later connections are counted as redeliveries, which are allowed unless
// the sender had already received the recipient's `delivered` receipt in an earlier natterd
// lifetime (natterd relays a receipt only after recording the ack, so it must not redeliver).
#pragma once

#include "record.h"

#include <cstdint>
#include <string>
#include <vector>

namespace natter::torture {

struct CheckResult {
    std::uint64_t expected = 0;     // (acked message, recipient device) pairs
    std::uint64_t lost = 0;         // pairs never delivered
    std::uint64_t duplicates = 0;   // a message_id twice within one connection
    std::uint64_t out_of_order = 0; // a chat's seq not increasing within one connection
    std::uint64_t mismatched = 0;   // delivered with another chat or seq than its ack said
    std::uint64_t redelivered = 0;  // delivered again on a later connection (allowed)
    std::uint64_t redelivered_after_receipt = 0; // again, after natterd had relayed its receipt
    std::vector<std::string> examples; // the first few failures, for humans

    bool ok() const { return lost == 0 && duplicates == 0 && out_of_order == 0 && mismatched == 0 && redelivered_after_receipt == 0;
    }
};

CheckResult checkViews(const std::vector<AckedMessage>& acked, const std::vector<DeviceView>& views,
                       const std::vector<Receipt>& receipts);

} // namespace natter::torture
