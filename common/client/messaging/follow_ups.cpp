#include "client/messaging/follow_ups.h"

#include <QPointer>

namespace natter::client {

struct FollowUps::Job::Ticket {
    QPointer<FollowUps> owner;
    QString what;
    bool ended = false;

    void end() {
        if (std::exchange(ended, true) || !owner) return;
        owner->end(what);
    }
    ~Ticket() { end(); }
};

void FollowUps::Job::done() {
    if (m_ticket) m_ticket->end();
}

FollowUps::FollowUps(QObject* parent) : QObject(parent) {}

FollowUps::Job FollowUps::start(const QString& what) {
    ++m_count;
    ++m_running[what];
    Job job;
    job.m_ticket = std::make_shared<Job::Ticket>();
    job.m_ticket->owner = this;
    job.m_ticket->what = what;
    return job;
}

void FollowUps::end(const QString& what) {
    if (auto it = m_running.find(what); it != m_running.end() && --*it == 0) m_running.erase(it);
    if (--m_count == 0) emit idle();
}

QString FollowUps::pending() const {
    QStringList parts;
    for (auto it = m_running.cbegin(); it != m_running.cend(); ++it)
        parts << (it.value() == 1 ? it.key() : QStringLiteral("%1 (%2)").arg(it.key()).arg(it.value()));
    return parts.join(QStringLiteral(", "));
}

} // namespace natter::client
