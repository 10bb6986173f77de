// A natter process on a pseudo-terminal, as a person at a terminal runs it (`natter shell`
// with its line editor): keys are written to the terminal, everything it draws is read back.
// Every wait is bounded.
#pragma once

#include "natter_cli.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace natter::test {

class TerminalProcess {
public:
    TerminalProcess(const NatterCli& cli, const QString& profile, const QStringList& args);
    ~TerminalProcess(); // kills a process still running; prints its screen output when the test failed
    TerminalProcess(const TerminalProcess&) = delete;
    TerminalProcess& operator=(const TerminalProcess&) = delete;

    // forkpty + exec of natter (80x24, TERM=xterm, no ~/.inputrc).
    bool start();
    // Types bytes at the terminal (a key at a time is not needed: the terminal queues them).
    void type(const QByteArray& keys);
    // Resizes the terminal, as a window manager does (the kernel sends the program SIGWINCH).
    void resize(int rows, int columns);
    // Waits (bounded) until what it drew so far contains text.
    bool waitForOutput(const QString& text, int timeoutMs = 20000);
    // Waits (bounded) for the exit: its exit code, or -1 (crashed, or still running: killed).
    int waitForExit(int timeoutMs = 15000);
    QByteArray allOutput() const { return m_out; }
    QString describe() const;

private:
    void poll();

    const NatterCli& m_cli;
    QStringList m_args;
    pid_t m_pid = -1;
    int m_master = -1;
    QByteArray m_out;
};

} // namespace natter::test
