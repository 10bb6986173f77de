// Bulk sign-up over REST: one register + verify chain per account, spread over keep-alive lanes.
#include "accounts.h"

#include "io_loop.h"
#include "protocol/frame_codec.h"
#include "server_process.h"

#include <random>

namespace natter::bench {

namespace {

// "+9" + 6 random digits + 7 counter digits: unique within and (very likely) across runs.
std::string phoneNumber(std::uint32_t prefix, std::size_t i) {
    std::string counter = std::to_string(i);
    return "+9" + std::to_string(prefix) + std::string(7 - counter.size(), '0') + counter;
}

struct SignUp {
    std::vector<std::shared_ptr<HttpClient>> clients;
    std::vector<Account> accounts;
    std::uint32_t prefix = 0;
    std::size_t next = 0;
    std::size_t done = 0;
    std::string error;

    void startOne(std::size_t client) {
        if (next >= accounts.size() || !error.empty()) return;
        const std::size_t i = next++;
        const std::string phone = phoneNumber(prefix, i);
        auto& http = clients[client];
        http->request("POST", "/api/register", R"({"phone":")" + phone + "\"}", {},
                      [this, i, client, phone, http](HttpResult r) {
                          if (r.status != 200) return fail("register " + phone + ": " + std::to_string(r.status) + " " + r.body);
                          http->request("POST", "/api/verify",
                                        R"({"phone":")" + phone + R"(","code":")" + kVerificationCode +
                                            R"(","device_name":"bench"})",
                                        {}, [this, i, client](HttpResult v) { verified(i, client, std::move(v)); });
                      });
    }

    void verified(std::size_t i, std::size_t client, HttpResult r) {
        if (r.status != 200) return fail("verify: " + std::to_string(r.status) + " " + r.body);
        auto body = protocol::parseBody<protocol::rest::VerifyResponse>(r.body);
        if (!body) return fail("verify answer: " + body.error().message);
        accounts[i] = Account{body->user_id, body->device_id, body->access_token};
        ++done;
        startOne(client);
    }

    void fail(std::string why) {
        if (error.empty()) error = std::move(why);
    }
};

} // namespace

std::vector<Account> signUp(boost::asio::io_context& io, const Endpoint& endpoint, std::size_t count,
                            std::size_t concurrency, std::chrono::steady_clock::time_point deadline,
                            std::string& error) {
    SignUp s;
    s.accounts.resize(count);
    s.prefix = 100000 + std::random_device{}() % 900000;
    const std::size_t lanes = std::max<std::size_t>(1, std::min(concurrency, count));
    for (std::size_t c = 0; c < lanes; ++c) s.clients.push_back(HttpClient::create(io, endpoint));
    for (std::size_t c = 0; c < lanes; ++c) s.startOne(c);
    const bool finished = runUntil(io, [&] { return s.done == count || !s.error.empty(); }, deadline);
    // Let requests still in flight end before `s` goes away.
    runUntil(io, [&] { return std::all_of(s.clients.begin(), s.clients.end(), [](auto& c) { return c->pending() == 0; }); },
             std::chrono::steady_clock::now() + std::chrono::seconds(10));
    if (!s.error.empty()) error = s.error;
    else if (!finished) error = "sign-up timed out after " + std::to_string(s.done) + " accounts";
    if (!error.empty()) return {};
    return std::move(s.accounts);
}

} // namespace natter::bench
