#include "history_progress.h"

#include "printer.h"

#include <QEventLoop>
#include <QJsonObject>
#include <QTimer>

namespace natter::cli {

HistoryProgress::HistoryProgress(client::Client& client, Printer& printer) : m_client(client), m_printer(printer) {
    connect(&client, &client::Client::historyTransferProgress, this, [this](qint64 received, qint64 total) {
        if (m_printer.json())
            m_printer.event(QJsonObject{{"type", "history_progress"}, {"received", received}, {"total", total}});
        else
            m_printer.line(QStringLiteral("History: %1/%2 messages").arg(received).arg(total));
        emit progressed(received >= total);
    });
}

void HistoryProgress::wait(std::chrono::milliseconds idle) {
    auto state = m_client.historyTransferState();
    if (!state || !state->wanted) return;
    QEventLoop loop;
    QTimer quiet;
    quiet.setSingleShot(true);
    quiet.setInterval(idle);
    connect(&quiet, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &HistoryProgress::progressed, &loop, [&](bool complete) {
        if (complete) loop.quit();
        else quiet.start();
    });
    quiet.start();
    loop.exec();
    state = m_client.historyTransferState();
    if (!state || !state->wanted) return;
    const QString sofar = state->total == 0 ? QStringLiteral("History: none yet")
                                            : QStringLiteral("History: %1/%2 messages so far").arg(state->received).arg(state->total);
    m_printer.note(sofar + QStringLiteral("; the rest arrives with the next command that connects (natter sync) while "
                                          "the account's other device is online"));
}

} // namespace natter::cli
