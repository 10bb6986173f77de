// A message's text as its bubble shows it: web addresses and phone numbers made clickable in
// escaped rich text, and a message of only a few emoji drawn large. Pure functions, unit-tested.
#pragma once

#include <QString>

namespace natter::desktop {

// Empty when the text has nothing to link (the bubble then shows it as plain text). Otherwise
// the text HTML-escaped (line breaks as <br>), with http(s):// and www. addresses linked to
// themselves and phone numbers in international form (+15550001) to natter:<number>, which
// opens a chat with that number. Nothing of the text itself can become markup.
QString linkedText(const QString& text);

// One to three emoji (with their modifiers, joiners and flags) and nothing else but spaces.
bool isEmojiOnly(const QString& text);

} // namespace natter::desktop
