// Shows messages in seq order: a stored message whose chat still has a gap below it (an
// earlier seq not arrived yet) is announced only once the gap fills, or after a short
// wait (the missing entry may never be meant for this device, e.g. before it was linked).
#pragma once

#include "client/store/records.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <vector>

namespace natter::client {
namespace store { class MessageStore; }

class SeqGate : public QObject {
    Q_OBJECT
public:
    explicit SeqGate(store::MessageStore& messages, QObject* parent = nullptr);

    void setMaxHold(std::chrono::milliseconds hold) { m_maxHold = hold; }
    // A message was stored: announced now, or held while a lower seq is missing.
    void arrived(qint64 localId, const QString& chatId, Seq seq);
    // Something else filled a seq of this chat (our own sent message, a group event).
    void recheck(const QString& chatId);
    int heldCount() const;

signals:
    void ready(qint64 localId, const QString& chatId);

private:
    struct Held {
        qint64 localId;
        Seq seq;
    };
    bool contiguous(const QString& chatId, Seq seq);
    void releaseAll();

    store::MessageStore& m_messages;
    QHash<QString, std::vector<Held>> m_held; // per chat, ascending seq
    QTimer m_timer;
    std::chrono::milliseconds m_maxHold{2000};
};

} // namespace natter::client
