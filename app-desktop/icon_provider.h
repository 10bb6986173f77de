// "image://icon/<name>/<rrggbb or aarrggbb>": one of the app's SVG icons (qrc:/icons/<name>.svg, drawn in
// black) painted in a theme colour, for icons outside buttons (ticks, pin, warnings).
#pragma once

#include <QQuickImageProvider>

namespace natter::desktop {

class IconProvider : public QQuickImageProvider {
public:
    IconProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}
    // An unknown name or colour gives a null image (QML shows nothing and warns).
    QImage requestImage(const QString& id, QSize* size, const QSize& requestedSize) override;
};

} // namespace natter::desktop
