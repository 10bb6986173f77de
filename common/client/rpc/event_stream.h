// The live event stream of an open profile as JSON (messages, ticks, typing, presence,
// identity warnings, connection state), numbered and kept in a bounded buffer so a
// subscriber that disconnected can resume where it left off.
#pragma once

#include <QJsonObject>
#include <QObject>

#include <deque>
#include <vector>

namespace natter::client {
class Client;
}

namespace natter::client::rpc {

class EventStream : public QObject {
    Q_OBJECT
public:
    static constexpr std::size_t kCapacity = 10000;

    explicit EventStream(Client& client, QObject* parent = nullptr);

    qint64 lastId() const { return m_nextId - 1; }
    // Events with an id above `after`; *gap is set when some of them are no longer kept.
    std::vector<QJsonObject> since(qint64 after, bool* gap) const;

signals:
    // Each event: {"event_id": N, "type": "...", ...}.
    void event(const QJsonObject& event);

private:
    void publish(const QString& type, QJsonObject body);

    Client& m_client;
    std::deque<QJsonObject> m_buffer;
    qint64 m_nextId = 1;
};

} // namespace natter::client::rpc
