// What natter prints: for people, tidy lines per command (ticks, tables, the safety number
// in groups of five); for scripts (--json), a result as one JSON object on one line, and the
// events of listen and shell one per line.
#pragma once

#include "client/core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QTextStream>

namespace natter::cli {

class Printer {
public:
    explicit Printer(bool json);

    // The result of a JSON-RPC method, in the command's human form or as JSON.
    void result(const QString& method, const QJsonValue& value);
    // One live event (listen, shell).
    void event(const QJsonObject& event);
    // An error of `method` on stderr, in plain words ({"error": {kind, message, param?}} on
    // stdout with --json, the method's own message).
    void error(const client::ClientError& error, const QString& method = {});
    // This device was revoked: `message`, then how to continue, then each message not sent
    // ({id, chat, text}); with --json one {"error": {"kind": "revoked", ...}} line.
    void revoked(const QString& message, const QString& reason, const QString& howToContinue, const QJsonArray& unsent);
    void line(const QString& text);
    // One message as history shows it: "[14:02] #12 You: hello  ✓".
    void message(const QJsonObject& m);
    // A remark beside the result, on stderr in both forms (stdout stays the result).
    void note(const QString& text);
    bool json() const { return m_json; }

private:
    void jsonLine(const QJsonValue& value);
    static QString ticks(const QString& state);

    bool m_json = false;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace natter::cli
