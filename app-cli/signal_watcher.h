// Turns SIGINT/SIGTERM into a Qt signal (self-pipe + QSocketNotifier), so listen, shell and
// daemon stop cleanly: the profile is closed and the last acks are flushed.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace natter::cli {

class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminate(int signal);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace natter::cli
