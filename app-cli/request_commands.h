// Message requests and blocking at the terminal — requests, accept, block, unblock, blocked —
// parsed into their JSON-RPC calls (requests.*, blocks.*), and how their results print.
#pragma once

#include "command_line.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace natter::cli {

bool isRequestCommand(const QString& command);
// Fills inv.method/params; a usage problem, or nullopt.
std::optional<QString> parseRequestCommand(const QString& command, const QStringList& words, Invocation& inv);
// The help lines for these commands.
QString requestCommandsHelp();
// Prints the human form of a requests.* / blocks.* result; false for other methods.
bool printRequestResult(QTextStream& out, const QString& method, const QJsonObject& result);

} // namespace natter::cli
