// Both summaries carry the same figures; the JSON one is a single line for scripts.
#include "report.h"

#include <boost/json.hpp>

namespace natter::torture {

void printHuman(std::ostream& out, const Options& o, const Summary& s) {
    out << "natter-torture: " << (s.ok() ? "PASS" : "FAIL") << " (seed " << s.seed << ")\n"
        << "  kills " << s.kills << "/" << o.kills << ", " << s.duration_s << " s, worst kill-to-listening "
        << s.max_restart_ms << " ms, " << s.connections << " connections\n"
        << "  acked " << s.acked << " messages (" << s.resent << " sends repeated after reconnects), "
        << s.check.expected << " deliveries expected, " << s.deliveries << " received, " << s.check.redelivered
        << " redelivered on a later connection (" << s.check.redelivered_after_receipt
        << " of them after natterd had relayed the receipt), " << s.receipts << " receipts";
    if (o.drop_every) out << ", " << s.dropped << " dropped on purpose (control run)";
    if (o.power_loss)
        out << "\n  power cuts " << s.power_cuts << ": " << s.bytes_discarded << " bytes never fsynced dropped, "
            << s.files_removed << " files never named durably removed";
    out << "\n  checker: lost " << s.check.lost << ", duplicates " << s.check.duplicates << ", out of order "
        << s.check.out_of_order << ", mismatched " << s.check.mismatched << "\n"
        << "  database: integrity " << s.db.integrity << ", " << s.db.chats << " chats, " << s.db.stored
        << " entries, seq gaps " << s.db.seq_gaps << ", acknowledged but not stored " << s.db.acked_missing << "\n";
    if (!s.error.empty()) out << "  run failed: " << s.error << "\n";
    for (const auto& e : s.check.examples) out << "  " << e << "\n";
    for (const auto& e : s.db.examples) out << "  " << e << "\n";
}

void printJson(std::ostream& out, const Options& o, const Summary& s) {
    boost::json::object j;
    j["ok"] = s.ok();
    j["checker_ok"] = s.check.ok();
    j["database_ok"] = s.db.ok();
    j["error"] = s.error;
    j["seed"] = s.seed;
    j["kills"] = s.kills;
    j["kills_asked"] = o.kills;
    j["duration_s"] = s.duration_s;
    j["max_restart_ms"] = s.max_restart_ms;
    j["connections"] = s.connections;
    j["power_loss"] = o.power_loss;
    j["power_cuts"] = s.power_cuts;
    j["bytes_discarded"] = s.bytes_discarded;
    j["files_removed"] = s.files_removed;
    j["acked"] = s.acked;
    j["resent"] = s.resent;
    j["expected_deliveries"] = s.check.expected;
    j["deliveries"] = s.deliveries;
    j["dropped_on_purpose"] = s.dropped;
    j["lost"] = s.check.lost;
    j["duplicates"] = s.check.duplicates;
    j["out_of_order"] = s.check.out_of_order;
    j["mismatched"] = s.check.mismatched;
    j["redelivered"] = s.check.redelivered;
    j["redelivered_after_receipt"] = s.check.redelivered_after_receipt;
    j["receipts"] = s.receipts;
    j["integrity"] = s.db.integrity;
    j["chats"] = s.db.chats;
    j["stored"] = s.db.stored;
    j["seq_gaps"] = s.db.seq_gaps;
    j["acked_missing"] = s.db.acked_missing;
    out << boost::json::serialize(j) << std::endl;
}

} // namespace natter::torture
