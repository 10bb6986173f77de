// Shared helpers of the client net suites: waiting (bounded) for an ApiClient callback, and
// signing a device up through ApiClient against a real natterd.
#pragma once

#include "client/net/api_client.h"
#include "protocol/rest.h"
#include "protocol/rest_keys.h"
#include "test_client.h"

#include <QDeadlineTimer>
#include <QTest>

#include <memory>
#include <optional>

namespace natter::client::net::testing {

// Runs start(callback) and waits (bounded) for the callback; a missing answer becomes an
// InvalidArgument error saying so, which no assertion in these suites expects.
template <class T, class Start>
Expected<T> await(Start start, int timeoutMs = 15000) {
    auto slot = std::make_shared<std::optional<Expected<T>>>();
    start([slot](Expected<T> result) { slot->emplace(std::move(result)); });
    QDeadlineTimer deadline(timeoutMs);
    while (!slot->has_value() && !deadline.hasExpired()) QTest::qWait(10);
    if (!slot->has_value()) return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("test: no answer in time"));
    return std::move(**slot);
}

inline QString describe(const ClientError& e) {
    return QStringLiteral("%1 %2 '%3': %4").arg(toString(e.kind)).arg(e.httpStatus).arg(e.serverCode, e.message);
}

template <class T>
QString describe(const Expected<T>& r) {
    return r ? QStringLiteral("ok") : describe(r.error());
}

// register + verify with natterd's fixed code; on success the client holds the credentials.
inline Expected<protocol::rest::VerifyResponse> signUp(ApiClient& api, const QString& phone,
                                                        const QString& deviceName = QStringLiteral("laptop")) {
    using namespace protocol::rest;
    const auto registered = await<RegisterResponse>([&](auto done) {
        api.call<RegisterResponse>(HttpMethod::Post, QStringLiteral("/api/register"), RegisterRequest{phone.toStdString()},
                                   done);
    });
    if (!registered) return registered.error();
    auto verified = await<VerifyResponse>([&](auto done) {
        api.call<VerifyResponse>(HttpMethod::Post, QStringLiteral("/api/verify"),
                                 VerifyRequest{phone.toStdString(), test::kFixedCode.toStdString(), deviceName.toStdString()},
                                 done);
    });
    if (!verified) return verified;
    api.setCredentials(verified->user_id, verified->device_id, QByteArray::fromStdString(verified->device_secret));
    api.setAccessToken(QString::fromStdString(verified->access_token), verified->expires_in);
    return verified;
}

} // namespace natter::client::net::testing

#define NATTER_OK(expr)                                                                   \
    do {                                                                                   \
        const auto& ok_ = (expr);                                                          \
        QVERIFY2(bool(ok_), qPrintable(natter::client::net::testing::describe(ok_)));     \
    } while (0)
// An error of this kind (ErrorKind has no QTest::toString, so QCOMPARE cannot print it).
#define NATTER_KIND(error, expectedKind) \
    QVERIFY2((error).kind == (expectedKind), qPrintable(natter::client::net::testing::describe(error)))
