// Draws a QR code in the terminal with half-block characters (libqrencode), for link codes
// and safety numbers.
#pragma once

#include <QByteArray>
#include <QString>

namespace natter::cli {

QString renderQr(const QByteArray& payload);

} // namespace natter::cli
