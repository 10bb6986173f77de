// Disappearing messages on this device: erases every message whose timer ran out (text, file
// and search entries, through MessageActions::expire) at start-up, when the next one is due by
// the core's clock, and when the clock jumps (tests advance it instead of sleeping).
#pragma once

#include <QObject>
#include <QTimer>

namespace natter::client {
namespace store { class ProfileStore; }
class Clock;
class MessageActions;

class ExpirySweeper : public QObject {
    Q_OBJECT
public:
    ExpirySweeper(store::ProfileStore& store, MessageActions& actions, Clock& clock, QObject* parent = nullptr);

    // Erases what expired by now, then waits for the next expiry.
    void sweep();
    // A message was added or sent (its timer starts at its server time): the next expiry may be sooner.
    void reschedule();

private:
    store::ProfileStore& m_store;
    MessageActions& m_actions;
    Clock& m_clock;
    QTimer m_timer;
};

} // namespace natter::client
