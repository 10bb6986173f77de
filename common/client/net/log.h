// The logging category of the client's network layer ("natter.net"): requests and
// connection events only, never tokens, secrets, media ids or frame contents.
#pragma once

#include <QLoggingCategory>

namespace natter::client::net {
Q_DECLARE_LOGGING_CATEGORY(lcNet)
} // namespace natter::client::net
