#include "push/push_target_resolver.h"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>

namespace natter::server {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// One resolution, kept alive by its pending handlers.
class Lookup final : public std::enable_shared_from_this<Lookup> {
public:
    Lookup(asio::io_context& io, std::shared_ptr<const AddressPolicy> policy, const PushEndpoint& endpoint,
           std::function<void(PushTarget)> done)
        : resolver_(io), timer_(io), policy_(std::move(policy)), host_(endpoint.host), port_(endpoint.port),
          done_(std::move(done)) {}

    void start(std::chrono::seconds timeout) {
        timer_.expires_after(timeout);
        timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (ec) return;
            self->timedOut_ = true;
            self->resolver_.cancel();
        });
        // No address_configured flag: a literal like ::1 must resolve even without an IPv6
        // interface, so that it is judged rather than passed over.
        resolver_.async_resolve(host_, port_, tcp::resolver::numeric_service,
                                [self = shared_from_this()](boost::system::error_code ec,
                                                            tcp::resolver::results_type results) {
                                    self->onResolved(ec, results);
                                });
    }

private:
    void onResolved(boost::system::error_code ec, const tcp::resolver::results_type& results) {
        timer_.cancel();
        PushTarget target;
        if (ec) {
            target.problem = "cannot resolve " + host_ + ": " + (timedOut_ ? std::string("timed out") : ec.message());
            return done_(std::move(target));
        }
        for (const auto& entry : results) {
            const auto address = entry.endpoint().address();
            if (const auto kind = policy_->refusal(address)) {
                target.endpoints.clear();
                target.refused = true;
                target.refusedKind = *kind;
                target.problem = host_ + " resolves to " + address.to_string() + " (" + *kind + ")";
                return done_(std::move(target));
            }
            if (std::find(target.endpoints.begin(), target.endpoints.end(), entry.endpoint()) == target.endpoints.end())
                target.endpoints.push_back(entry.endpoint());
        }
        if (target.endpoints.empty()) target.problem = host_ + " resolves to no address";
        done_(std::move(target));
    }

    tcp::resolver resolver_;
    asio::steady_timer timer_;
    std::shared_ptr<const AddressPolicy> policy_;
    std::string host_;
    std::string port_;
    std::function<void(PushTarget)> done_;
    bool timedOut_ = false;
};

} // namespace

PushTargetResolver::PushTargetResolver(asio::io_context& io, AddressPolicy policy, std::chrono::seconds timeout)
    : io_(io), policy_(std::make_shared<const AddressPolicy>(std::move(policy))), timeout_(timeout) {}

void PushTargetResolver::resolve(const PushEndpoint& endpoint, std::function<void(PushTarget)> done) const {
    std::make_shared<Lookup>(io_, policy_, endpoint, std::move(done))->start(timeout_);
}

} // namespace natter::server
