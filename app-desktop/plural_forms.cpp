// PluralForms: each plural source text with its singular; other texts stay untranslated.
#include "plural_forms.h"

#include <array>
#include <cstring>

namespace natter::desktop {

namespace {
struct Forms {
    const char* source; // as written in tr()/qsTr(), the plural form
    const char* one;
};
constexpr std::array<Forms, 4> kForms{{
    {"%n members", "%n member"},
    {"%n unread messages", "%n unread message"},
    {"Exported %n chats to %1.", "Exported %n chat to %1."},
    {"%n files could not be saved.", "%n file could not be saved."},
}};
} // namespace

QString PluralForms::translate(const char*, const char* sourceText, const char*, int n) const {
    if (n < 0 || !sourceText) return {};
    for (const auto& forms : kForms)
        if (std::strcmp(forms.source, sourceText) == 0) return QString::fromUtf8(n == 1 ? forms.one : forms.source);
    return {};
}

} // namespace natter::desktop
