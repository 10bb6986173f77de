// What natter says when the server revoked this profile's device (unlinked, or its number
// registered again on another device): what happened, how to continue (register again or be
// linked), and which queued messages were not sent; then the documented exit code.
#pragma once

#include "client/core/result.h"

#include <QJsonObject>

namespace natter::cli {

class Backend;
class Printer;
struct Invocation;

// Prints the notice for `error` (ErrorKind::Revoked); backend (may be null) tells the number
// and the reason. Returns ExitCode::Revoked.
int reportRevoked(const Invocation& inv, Printer& printer, const client::ClientError& error, Backend* backend);
// A live event that says the device was revoked (session_ended with "revoked").
bool isRevokedEvent(const QJsonObject& event);

} // namespace natter::cli
