#include "client/messaging/seq_gate.h"

#include "client/store/message_store.h"

#include <algorithm>

namespace natter::client {

SeqGate::SeqGate(store::MessageStore& messages, QObject* parent) : QObject(parent), m_messages(messages) {
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SeqGate::releaseAll);
}

bool SeqGate::contiguous(const QString& chatId, Seq seq) {
    auto below = m_messages.maxSeqBelow(chatId, seq);
    // Nothing below at all: the first message this device sees of the chat.
    return !below || *below == 0 || *below + 1 == seq;
}

void SeqGate::arrived(qint64 localId, const QString& chatId, Seq seq) {
    if (seq == 0 || contiguous(chatId, seq)) {
        emit ready(localId, chatId);
        recheck(chatId);
        return;
    }
    auto& held = m_held[chatId];
    held.insert(std::upper_bound(held.begin(), held.end(), seq, [](Seq s, const Held& h) { return s < h.seq; }),
                Held{localId, seq});
    if (!m_timer.isActive()) m_timer.start(m_maxHold);
}

void SeqGate::recheck(const QString& chatId) {
    auto it = m_held.find(chatId);
    if (it == m_held.end()) return;
    std::vector<Held>& held = *it;
    while (!held.empty() && contiguous(chatId, held.front().seq)) {
        const Held next = held.front();
        held.erase(held.begin());
        emit ready(next.localId, chatId);
    }
    if (held.empty()) m_held.erase(it);
}

void SeqGate::releaseAll() {
    const auto held = std::exchange(m_held, {});
    for (auto it = held.begin(); it != held.end(); ++it)
        for (const Held& h : *it) emit ready(h.localId, it.key());
}

int SeqGate::heldCount() const {
    int n = 0;
    for (const auto& h : m_held) n += int(h.size());
    return n;
}

} // namespace natter::client
