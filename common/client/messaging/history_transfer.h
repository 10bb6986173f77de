// Message history for a newly linked device (docs/protocol.md, "History transfer"): the device
// that answers sends its texts and files in bounded, numbered chunks through account sync; the
// new device, if it opted in at link time, applies them in order and idempotently, reports
// progress, and after an interruption asks again from the last chunk it applied.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"
#include "protocol/e2e.h"

#include <QObject>

#include <functional>

namespace natter::client {
namespace store { class ProfileStore; }

class HistoryTransfer : public QObject {
    Q_OBJECT
public:
    // `send` queues an account_sync for the account's other devices (AccountSync's sender).
    using Send = std::function<Expected<void>(const protocol::e2e::AccountSync&)>;
    HistoryTransfer(store::ProfileStore& store, UserId self, Send send, QObject* parent = nullptr);

    // Where this device stands in receiving the history.
    struct Progress {
        bool wanted = false;   // opted in and not complete yet
        qint64 received = 0;   // messages applied, in order
        qint64 total = 0;      // messages the answering device announced (0: no chunk yet)
    };
    Expected<Progress> progress();

    // The new device opted in: asks for the history from the last applied chunk on.
    Expected<void> request();
    // Connected and caught up: a transfer still wanted, with nothing arrived on this connection,
    // is asked for again from the last applied chunk (the answering device was offline, or a
    // chunk was lost).
    void resumeIfStalled();
    // Answering device: queues the history after message `after` in chunks, each small enough
    // for one frame with an envelope for each of `recipients` devices.
    Expected<void> sendHistory(protocol::MessageId after, std::size_t recipients);
    // Receiving device: one chunk from this very account (AccountSync checked that).
    Expected<void> apply(const protocol::e2e::HistoryChunk& chunk);

    // Test hook: fewer messages per chunk (at most kMaxHistoryChunkMessages).
    void setChunkMessages(int messages);

signals:
    void progressChanged(qint64 received, qint64 total);
    void chatsChanged();

private:
    Expected<void> saveProgress(const Progress& p, protocol::MessageId last);
    Expected<protocol::MessageId> lastApplied();
    Expected<void> ensureChat(const QString& chatId);
    Expected<void> store(const protocol::e2e::HistoryMessage& m);

    store::ProfileStore& m_store;
    UserId m_self;
    Send m_send;
    int m_chunkMessages;
    bool m_active = false; // a request went out or a chunk arrived since the last resume check
};

} // namespace natter::client
