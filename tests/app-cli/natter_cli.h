// Drives the real `natter` binary for the CLI suites: one-shot commands (exit code, stdout,
// stderr) and long-running ones (`listen --json`, `daemon`) whose stdout is read line by line.
// Every NatterCli owns a private XDG_DATA_HOME, so profiles of one test never meet another's.
// Every wait is bounded.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace natter::test {

// What one `natter` run produced.
struct CliResult {
    QStringList args;
    bool finished = false; // false: killed after the timeout
    int exitCode = -1;     // -1 unless it exited normally
    QByteArray out;
    QByteArray err;

    // stdout parsed as one JSON object (the --json output of a one-shot command).
    QJsonObject json() const;
    // The list a --json result holds under key (e.g. "chats" of `chats --json`).
    QJsonArray list(const QString& key) const;
    // Everything about the run, for failure messages.
    QString describe() const;
};

class NatterCli {
public:
    static constexpr const char* kPassphrase = "correct horse battery staple";

    explicit NatterCli(QUrl server);

    // The natter binary this build tests (compile definition NATTER_BINARY).
    static QString binaryPath();

    QUrl server() const { return m_server; }
    QString dataHome() const { return m_home.path(); }
    QString profileDir(const QString& profile) const;
    QString storePath(const QString& profile) const { return profileDir(profile) + "/store.db"; }
    QString socketPath(const QString& profile) const { return profileDir(profile) + "/rpc.sock"; }

    // XDG_DATA_HOME, NATTER_PASSPHRASE (passphrase, or unset when null), NATTER_NO_KEYCHAIN=1,
    // then the variables setVariable() added.
    QProcessEnvironment environment(const QByteArray& passphrase = kPassphrase) const;
    // For every later run: this variable too (e.g. LD_PRELOAD of the power-loss layer).
    void setVariable(const QString& name, const QString& value) { m_variables.insert(name, value); }
    void clearVariables() { m_variables.clear(); }

    // `natter --profile <profile> <args...>`.
    CliResult run(const QString& profile, const QStringList& args, const QByteArray& input = {},
                  int timeoutMs = 30000) const;
    // `natter <args...>` exactly, with a chosen passphrase.
    CliResult runRaw(const QStringList& args, const QByteArray& passphrase = kPassphrase, const QByteArray& input = {},
                     int timeoutMs = 30000) const;

private:
    QUrl m_server;
    QTemporaryDir m_home;
    QProcessEnvironment m_variables;
};

// A natter process that keeps running (listen, daemon, shell): its stdout lines as they come.
class CliProcess {
public:
    enum class Input { Closed, Open }; // Open: stdin stays open for write() (shell)

    CliProcess(const NatterCli& cli, const QString& profile, const QStringList& args);
    ~CliProcess(); // kills a process still running; prints its output when the test failed
    CliProcess(const CliProcess&) = delete;
    CliProcess& operator=(const CliProcess&) = delete;

    bool start(int timeoutMs = 15000, Input input = Input::Closed);
    bool isRunning() const;
    // Types on its stdin (started with Input::Open).
    void write(const QByteArray& bytes);

    // Waits (bounded) for a stdout line that parses as a JSON object matching `match`.
    // Lines already seen are searched first; a line is consumed only by a successful match.
    std::optional<QJsonObject> waitForJson(const std::function<bool(const QJsonObject&)>& match, int timeoutMs = 20000);
    // Waits (bounded) until its stdout so far contains text (plain, not --json output).
    bool waitForOutput(const QString& text, int timeoutMs = 20000);
    // The JSON objects read so far and not consumed.
    QList<QJsonObject> pendingJson();
    // Reads whatever arrived without waiting.
    void poll();

    // SIGINT (Ctrl-C), then waits for the exit; -1 when it crashed or had to be killed.
    int interrupt(int timeoutMs = 15000);
    // Waits (bounded) for the process to end by itself, processing this process's events
    // meanwhile: its exit code, or -1 when it crashed or was still running at the deadline.
    int waitForExit(int timeoutMs = 15000);

    QByteArray allOutput() const { return m_out; }
    QByteArray standardError() const;
    QString describe() const;

private:
    void readLines();

    const NatterCli& m_cli;
    QStringList m_args;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_out;             // every stdout byte, for failure messages
    QList<QJsonObject> m_pending; // parsed lines not yet consumed
    QByteArray m_err;
};

// A matcher for `listen --json` / subscription events: {"type": type, ...} whose
// message.text equals text (when given).
std::function<bool(const QJsonObject&)> isMessageEvent(const QString& text);

} // namespace natter::test
