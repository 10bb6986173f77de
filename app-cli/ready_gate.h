// Holds the events of listen and shell until their ready line is out: a script reads the ready
// line first and one event per line after it, even when events arrived while subscribing.
#pragma once

#include <QJsonObject>
#include <QList>

#include <functional>

namespace natter::cli {

class ReadyGate {
public:
    using Deliver = std::function<void(const QJsonObject&)>;
    explicit ReadyGate(Deliver deliver) : m_deliver(std::move(deliver)) {}

    // Delivers the event, or holds it while the gate is closed.
    void event(const QJsonObject& e);
    // Delivers what was held, in order; from now on events pass straight through.
    void open();

private:
    Deliver m_deliver;
    QList<QJsonObject> m_held;
    bool m_open = false;
};

} // namespace natter::cli
