// A JSON-RPC parameter error ("params.text must be a non-empty string") said the way a person
// at the terminal would put it ("the message is empty"); --json keeps the method's own words.
#pragma once

#include "client/core/result.h"

#include <QString>

namespace natter::cli {

// The sentence for an error of `method` (e.g. "send"); the error's own message when it names no parameter.
QString inPlainWords(const QString& method, const client::ClientError& error);

} // namespace natter::cli
