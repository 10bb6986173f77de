// The commands that act on a message — reply, react, edit, delete, forward, and timer (the
// chat's timer) — parsed into their JSON-RPC calls, and how their results and the message extras
// (quote, reactions, "edited", "deleted", the timer) print for people.
#pragma once

#include "command_line.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace natter::cli {

bool isMessageCommand(const QString& command);
// Fills inv.method/params for `reply|react|edit|delete|forward|timer`; a usage problem, or nullopt.
std::optional<QString> parseMessageCommand(const QString& command, const QStringList& words, bool forEveryone,
                                           Invocation& inv);
// The help lines for these commands.
QString messageCommandsHelp();

// A message's text as people read it: "This message was deleted", or the text with its
// quote (and "[forwarded]") before it and "(edited)", the reactions and its timer after it.
QString decoratedBody(const QJsonObject& message, const QString& body);
// Prints the human form of a react/edit/delete/forward/disappearing result; false for other methods.
bool printMessageActionResult(QTextStream& out, const QString& method, const QJsonObject& result);

} // namespace natter::cli
