#include "terminal_qr.h"

#include <qrencode.h>

#include <memory>

namespace natter::cli {

QString renderQr(const QByteArray& payload) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
        QRcode_encodeData(int(payload.size()), reinterpret_cast<const unsigned char*>(payload.constData()), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!qr) return QStringLiteral("(the QR code could not be drawn)\n");
    const int w = qr->width;
    const int quiet = 2;
    const auto dark = [&](int x, int y) {
        if (x < 0 || y < 0 || x >= w || y >= w) return false;
        return (qr->data[y * w + x] & 1) != 0;
    };
    QString out;
    // Two modules per character row: upper and lower half blocks, light on dark terminals.
    for (int y = -quiet; y < w + quiet; y += 2) {
        for (int x = -quiet; x < w + quiet; ++x) {
            const bool top = dark(x, y), bottom = dark(x, y + 1);
            out += top && bottom ? QChar(' ') : top ? QChar(0x2584) : bottom ? QChar(0x2580) : QChar(0x2588);
        }
        out += '\n';
    }
    return out;
}

} // namespace natter::cli
