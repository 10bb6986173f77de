#include "client/rpc/json_rpc.h"

#include <QJsonDocument>

namespace natter::client::rpc {

namespace {
constexpr ErrorKind kKinds[] = {ErrorKind::WrongPassphrase, ErrorKind::StoreLocked, ErrorKind::Storage,
                                ErrorKind::Crypto,          ErrorKind::Network,     ErrorKind::Server,
                                ErrorKind::InvalidArgument, ErrorKind::NotFound,    ErrorKind::Corrupted,
                                ErrorKind::Revoked};

QByteArray line(const QJsonObject& object) { return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n'; }
} // namespace

int errorCode(ErrorKind kind) {
    if (kind == ErrorKind::InvalidArgument) return code::InvalidParams;
    for (int i = 0; i < int(std::size(kKinds)); ++i)
        if (kKinds[i] == kind) return -32001 - i;
    return -32000;
}

QJsonObject errorObject(const ClientError& error) {
    QJsonObject data{{"kind", toString(error.kind)}};
    if (!error.serverCode.isEmpty()) data.insert("server_code", error.serverCode);
    if (!error.param.isEmpty()) data.insert("param", error.param);
    return QJsonObject{{"code", errorCode(error.kind)}, {"message", error.message}, {"data", data}};
}

ClientError fromErrorObject(const QJsonObject& error) {
    const QString kind = error.value("data").toObject().value("kind").toString();
    ClientError out{ErrorKind::Server, error.value("message").toString(),
                    error.value("data").toObject().value("server_code").toString(), 0, {}};
    out.param = error.value("data").toObject().value("param").toString();
    for (ErrorKind k : kKinds)
        if (toString(k) == kind) out.kind = k;
    if (kind.isEmpty() && error.value("code").toInt() == code::MethodNotFound) out.kind = ErrorKind::NotFound;
    if (kind.isEmpty() && error.value("code").toInt() == code::InvalidParams) out.kind = ErrorKind::InvalidArgument;
    return out;
}

QByteArray response(const QJsonValue& id, const QJsonValue& result) {
    return line(QJsonObject{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

QByteArray errorResponse(const QJsonValue& id, const QJsonObject& error) {
    return line(QJsonObject{{"jsonrpc", "2.0"}, {"id", id}, {"error", error}});
}

QByteArray notification(const QString& method, const QJsonObject& params) {
    return line(QJsonObject{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

QByteArray request(qint64 id, const QString& method, const QJsonObject& params) {
    return line(QJsonObject{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
}

} // namespace natter::client::rpc
