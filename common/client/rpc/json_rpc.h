// JSON-RPC 2.0 framing of the profile socket: one JSON object per line, requests in,
// responses and "event" notifications out, and how client errors map to error objects.
#pragma once

#include "client/core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace natter::client::rpc {

namespace code {
inline constexpr int ParseError = -32700;
inline constexpr int InvalidRequest = -32600;
inline constexpr int MethodNotFound = -32601;
inline constexpr int InvalidParams = -32602;
// Application errors: -32000 minus the ErrorKind's position (see errorCode()).
} // namespace code

// The error object of a ClientError: code, message and data.kind (e.g. "not_found").
QJsonObject errorObject(const ClientError& error);
int errorCode(ErrorKind kind);
// The ClientError an error object stands for (for clients of the socket).
ClientError fromErrorObject(const QJsonObject& error);

QByteArray response(const QJsonValue& id, const QJsonValue& result);
QByteArray errorResponse(const QJsonValue& id, const QJsonObject& error);
QByteArray notification(const QString& method, const QJsonObject& params);
QByteArray request(qint64 id, const QString& method, const QJsonObject& params);

} // namespace natter::client::rpc
