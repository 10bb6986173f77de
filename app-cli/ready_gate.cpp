#include "ready_gate.h"

namespace natter::cli {

void ReadyGate::event(const QJsonObject& e) {
    if (m_open) m_deliver(e);
    else m_held.append(e);
}

void ReadyGate::open() {
    m_open = true;
    const QList<QJsonObject> held = std::exchange(m_held, {});
    for (const QJsonObject& e : held) m_deliver(e);
}

} // namespace natter::cli
