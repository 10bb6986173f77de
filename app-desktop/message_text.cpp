#include "message_text.h"

#include <QRegularExpression>

namespace natter::desktop {

namespace {

constexpr int kMaxLargeEmoji = 3;

QString escaped(const QString& text) { return text.toHtmlEscaped().replace('\n', QStringLiteral("<br>")); }

bool isPictograph(char32_t c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2300 && c <= 0x23FF) ||
           (c >= 0x2B00 && c <= 0x2BFF) || c == 0x00A9 || c == 0x00AE || c == 0x203C || c == 0x2049 || c == 0x2122 ||
           c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299;
}

// Parts of an emoji that do not start a new one: joiner, variation selectors, skin tones,
// the keycap mark and tag characters.
bool isModifier(char32_t c) {
    return c == 0x200D || c == 0xFE0E || c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF) || c == 0x20E3 ||
           (c >= 0xE0020 && c <= 0xE007F);
}

bool isRegionalIndicator(char32_t c) { return c >= 0x1F1E6 && c <= 0x1F1FF; }

} // namespace

QString linkedText(const QString& text) {
    static const QRegularExpression links(QStringLiteral(
        R"((?<![\w@/])((?:https?://|www\.)[^\s<>"]+|\+[1-9][0-9]{6,14}(?![0-9])))"),
        QRegularExpression::CaseInsensitiveOption);
    QString out;
    qsizetype done = 0;
    bool linked = false;
    for (auto it = links.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        QString target = match.captured(1);
        // Sentence punctuation after an address is not part of it.
        while (!target.isEmpty() && QStringLiteral(".,;:!?)'").contains(target.back())) target.chop(1);
        if (target.isEmpty()) continue;
        QString href = target;
        if (target.startsWith('+')) href = QStringLiteral("natter:") + target;
        else if (target.startsWith(QLatin1String("www."), Qt::CaseInsensitive)) href = QStringLiteral("https://") + target;
        out += escaped(text.mid(done, match.capturedStart(1) - done));
        out += QStringLiteral("<a href=\"%1\">%2</a>").arg(href.toHtmlEscaped(), target.toHtmlEscaped());
        done = match.capturedStart(1) + target.size();
        linked = true;
    }
    if (!linked) return {};
    return out + escaped(text.mid(done));
}

bool isEmojiOnly(const QString& text) {
    int emoji = 0;
    bool afterJoiner = false;
    bool pendingFlag = false; // the first half of a regional-indicator pair
    for (const char32_t c : text.toUcs4()) {
        if (QChar::isSpace(c)) {
            afterJoiner = false;
            continue;
        }
        if (isModifier(c)) {
            afterJoiner = c == 0x200D;
            continue;
        }
        if (isRegionalIndicator(c)) {
            if (!pendingFlag) ++emoji;
            pendingFlag = !pendingFlag;
            continue;
        }
        if (!isPictograph(c)) return false;
        if (!afterJoiner) ++emoji;
        afterJoiner = false;
    }
    return emoji >= 1 && emoji <= kMaxLargeEmoji;
}

} // namespace natter::desktop
