// Command-line parsing for natter-torture (Boost.Program_options).
#include "options.h"

#include <boost/program_options.hpp>

#include <sstream>

namespace natter::torture {
namespace po = boost::program_options;

ParsedOptions parseOptions(int argc, const char* const argv[]) {
    ParsedOptions result;
    Options o;
    po::options_description opts("natter-torture options");
    // clang-format off
    opts.add_options()
        ("help,h", "print this help and exit")
        ("natterd", po::value(&o.natterd)->required(), "natterd binary to start, SIGKILL and restart")
        ("data-dir", po::value(&o.data_dir)->required(), "natterd's data directory (emptied first, kept after the run)")
        ("kills", po::value(&o.kills)->default_value(20), "SIGKILLs of natterd under load")
        ("seed", po::value(&o.seed)->default_value(0), "seed for the kill moments (0: random; the seed used is printed)")
        ("pairs", po::value(&o.pairs)->default_value(8), "1:1 chats; both devices of a pair send")
        ("groups", po::value(&o.groups)->default_value(2), "group chats among the same devices")
        ("group-size", po::value(&o.group_size)->default_value(6), "members per group; every member sends")
        ("window", po::value(&o.window)->default_value(4), "unacknowledged messages per device")
        ("min-interval-ms", po::value(&o.min_interval_ms)->default_value(20), "earliest kill (may land while devices reconnect and sync) after a restart")
        ("max-interval-ms", po::value(&o.max_interval_ms)->default_value(1500), "latest kill after a restart")
        ("drop-every", po::value(&o.drop_every)->default_value(0),
            "control run: every device discards every n-th delivery it receives (still acking it); the checker must fail")
        ("power-loss", po::bool_switch(&o.power_loss),
            "power cuts, not just crashes: natterd runs under libnatter_powercut.so and after each kill its data "
            "directory keeps only what was fsynced (images in <data-dir>.durable)")
        ("powercut-library", po::value(&o.powercut_library)->default_value(NATTER_POWERCUT_LIBRARY),
            "the power-loss layer to preload into natterd")
        ("timeout", po::value(&o.timeout_s)->default_value(600), "hard bound for the whole run, seconds")
        ("json", po::bool_switch(&o.json), "print a JSON summary on stdout (progress stays on stderr)");
    // clang-format on
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, opts), vm);
        if (vm.count("help")) {
            std::ostringstream out;
            out << "natter-torture: crash natterd with SIGKILL under load and prove nothing acknowledged is lost\n\n"
                << opts;
            result.output = out.str();
            return result;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        result.output = std::string("natter-torture: ") + e.what() + "\n";
        result.exit_code = 2;
        return result;
    }
    std::string why;
    if (o.pairs < 1) why = "--pairs must be at least 1";
    else if (o.groups > 0 && (o.group_size < 2 || o.group_size > 2 * o.pairs))
        why = "--group-size must be between 2 and the number of devices (2 x --pairs)";
    else if (o.window < 1) why = "--window must be at least 1";
    else if (o.min_interval_ms > o.max_interval_ms) why = "--min-interval-ms must not exceed --max-interval-ms";
    if (!why.empty()) {
        result.output = "natter-torture: " + why + "\n";
        result.exit_code = 2;
        return result;
    }
    result.options = o;
    return result;
}

} // namespace natter::torture
