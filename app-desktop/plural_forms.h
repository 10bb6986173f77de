// English plural forms for tr("%n …", nullptr, n): Qt picks a numerus form only through a
// translator, so this one answers the app's plural strings ("1 member", "4 members").
#pragma once

#include <QTranslator>

namespace natter::desktop {

class PluralForms : public QTranslator {
    Q_OBJECT
public:
    using QTranslator::QTranslator;
    QString translate(const char* context, const char* sourceText, const char* disambiguation = nullptr,
                      int n = -1) const override;
    bool isEmpty() const override { return false; }
};

} // namespace natter::desktop
