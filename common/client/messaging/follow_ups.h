// Counts the work incoming events start and nobody waits for (a group's details fetched after
// its event or secret, a partner's devices after an identity change), so that a command that
// runs once can let it finish before it exits (Client::syncOnce) instead of cutting it off.
#pragma once

#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace natter::client {

class FollowUps : public QObject {
    Q_OBJECT
public:
    // One unit of work: copies share it; it ends at done() or when the last copy goes away
    // (a request aborted with its client), whichever comes first.
    class Job {
    public:
        void done();

    private:
        friend class FollowUps;
        struct Ticket;
        std::shared_ptr<Ticket> m_ticket;
    };

    explicit FollowUps(QObject* parent = nullptr);

    // what: how a person would name the work ("group details"), for pending().
    Job start(const QString& what);
    int count() const { return m_count; }
    // What is still under way, e.g. "group details (2), device lists"; empty when idle.
    QString pending() const;

signals:
    // The last job ended.
    void idle();

private:
    void end(const QString& what);

    int m_count = 0;
    QMap<QString, int> m_running;
};

} // namespace natter::client
