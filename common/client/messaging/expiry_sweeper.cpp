#include "client/messaging/expiry_sweeper.h"

#include "client/core/clock.h"
#include "client/messaging/message_actions.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcExpiry, "natter.expiry")

namespace natter::client {

namespace {
constexpr int kBatch = 200;             // messages erased per pass; a full batch runs again at once
constexpr qint64 kLongestWaitMs = 3600'000; // the clock is asked again at least hourly
constexpr qint64 kRetryMs = 1000;       // when something due could not be erased
} // namespace

ExpirySweeper::ExpirySweeper(store::ProfileStore& store, MessageActions& actions, Clock& clock, QObject* parent)
    : QObject(parent), m_store(store), m_actions(actions), m_clock(clock) {
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ExpirySweeper::sweep);
    connect(&m_clock, &Clock::jumped, this, &ExpirySweeper::sweep);
}

void ExpirySweeper::sweep() {
    auto due = m_store.messages().expiredBy(m_clock.nowMs(), kBatch);
    if (!due) {
        qCWarning(lcExpiry) << "cannot read expired messages:" << due.error().message;
        m_timer.start(int(kLongestWaitMs));
        return;
    }
    for (const MessageRecord& message : *due) m_actions.expire(message);
    if (int(due->size()) == kBatch) {
        m_timer.start(0);
        return;
    }
    auto next = m_store.messages().nextExpiry();
    if (next && *next && **next <= m_clock.nowMs()) {
        qCWarning(lcExpiry) << "an expired message could not be erased; trying again";
        m_timer.start(int(kRetryMs));
        return;
    }
    reschedule();
}

void ExpirySweeper::reschedule() {
    auto next = m_store.messages().nextExpiry();
    if (!next) {
        m_timer.start(int(kLongestWaitMs));
        return;
    }
    if (!*next) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(std::clamp(**next - m_clock.nowMs(), qint64(0), kLongestWaitMs)));
}

} // namespace natter::client
