// One HTTP/1.1 request from a chosen loopback source address, for per-address limits: Linux
// routes all of 127.0.0.0/8 to loopback, so a socket bound to 127.0.0.2 reaches natterd on
// 127.0.0.1 as another client address. Plain HTTP; the connection closes after the answer.
#pragma once

#include "test_client.h"

#include <QByteArray>
#include <QString>

namespace natter::test {

class NatterdProcess;

// `body` is sent as application/json when not empty; `accessToken` as a Bearer token when not
// empty. status 0 with networkError when there was no answer within timeoutMs.
HttpResult httpFrom(const NatterdProcess& server, const QString& sourceAddress, const QByteArray& method,
                    const QString& path, const QByteArray& body = {}, const QString& accessToken = {},
                    int timeoutMs = 10000);
// The same with a JSON object as the body.
HttpResult httpFrom(const NatterdProcess& server, const QString& sourceAddress, const QByteArray& method,
                    const QString& path, const QJsonObject& body, const QString& accessToken = {},
                    int timeoutMs = 10000);

} // namespace natter::test
