// MessageStore::search over the FTS4 index of message text: user input becomes quoted
// terms (implicit AND, the last one a prefix), so no input can change the query's syntax.
#include "client/store/database.h"
#include "client/store/message_store.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace natter::client::store {

namespace {

// `hello wor` -> `"hello" "wor*"`. Quotes and stars are dropped from terms; a term without
// any letter or digit would match nothing and is skipped.
QString matchExpression(const QString& input) {
    QStringList terms;
    for (QString word : input.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        word.remove(QLatin1Char('"'));
        word.remove(QLatin1Char('*'));
        if (std::any_of(word.cbegin(), word.cend(), [](QChar c) { return c.isLetterOrNumber(); }))
            terms << word;
    }
    if (terms.isEmpty()) return {};
    QString expression;
    for (qsizetype i = 0; i < terms.size(); ++i) {
        if (i) expression += QLatin1Char(' ');
        expression += QLatin1Char('"') + terms[i] + (i + 1 == terms.size() ? QStringLiteral("*\"") : QStringLiteral("\""));
    }
    return expression;
}

} // namespace

Expected<std::vector<SearchHit>> MessageStore::search(const QString& query, int limit, const QString& chatId) {
    std::vector<SearchHit> hits;
    const QString expression = matchExpression(query);
    if (expression.isEmpty() || limit <= 0) return hits;
    // Newest stored first, in the index's own docid order: SQLite walks the matches from the
    // end and stops at the limit, so neither the join nor the snippets run for every match
    // (ordering by timestamp sorted all of them: 0.7 s for a frequent word at 1M messages).
    auto stmt = m_db.prepare("SELECT m.id, m.chat_id, snippet(messages_fts, '[', ']', '…', -1, 12), m.timestamp "
                             "FROM messages_fts JOIN messages m ON m.id = messages_fts.docid "
                             "WHERE messages_fts MATCH ?1 AND m.kind IN (?2, ?3) AND (?5 = '' OR m.chat_id = ?5) "
                             "ORDER BY messages_fts.docid DESC LIMIT ?4");
    if (!stmt) return stmt.error();
    stmt->bind(1, expression)
        .bind(2, qint64(MessageKind::text))
        .bind(3, qint64(MessageKind::media))
        .bind(4, qint64(limit))
        .bind(5, chatId);
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return hits;
        hits.push_back(SearchHit{stmt->int64(0), stmt->text(1), stmt->text(2), stmt->int64(3)});
    }
}

} // namespace natter::client::store
