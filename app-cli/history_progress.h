// `natter link --code CODE --with-history`: shows the account's message history arriving from
// its other device, "History: 120/500 messages" (--json: one JSON line each), and waits for it.
#pragma once

#include "client/client.h"

#include <QObject>

#include <chrono>

namespace natter::cli {

class Printer;

class HistoryProgress : public QObject {
    Q_OBJECT
public:
    // Prints every progress report of `client` from now on.
    HistoryProgress(client::Client& client, Printer& printer);
    // Returns once every announced message is applied, or when nothing arrived for `idle` (the
    // answering device is offline: the rest follows with a later command that connects).
    void wait(std::chrono::milliseconds idle);

signals:
    void progressed(bool complete);

private:
    client::Client& m_client;
    Printer& m_printer;
};

} // namespace natter::cli
