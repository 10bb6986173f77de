// A Unix datagram socket a test binds where natterd is told journald's socket is, and reads
// the records natterd sends there. Every wait is bounded.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace natter::test {

class JournalSocket {
public:
    explicit JournalSocket(const QString& path);
    ~JournalSocket();
    JournalSocket(const JournalSocket&) = delete;
    JournalSocket& operator=(const JournalSocket&) = delete;

    bool bound() const { return bound_; }
    // The next datagram, waiting at most timeoutMs; empty on timeout.
    QByteArray receive(int timeoutMs);
    // Reads datagrams until one has a line starting with each of `fields` ("KEY=value", or
    // "KEY=value\n" for the whole line), within timeoutMs; empty if none did. Every datagram read is kept in received().
    QByteArray waitFor(const QList<QByteArray>& fields, int timeoutMs);
    QByteArray received() const { return received_; }

private:
    int fd_;
    bool bound_ = false;
    QByteArray received_;
};

} // namespace natter::test
