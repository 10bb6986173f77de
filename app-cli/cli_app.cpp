#include "cli_app.h"

#include "backend.h"
#include "backup_commands.h"
#include "command_line.h"
#include "history_progress.h"
#include "interactive_shell.h"
#include "passphrase_prompt.h"
#include "printer.h"
#include "ready_gate.h"
#include "revocation_notice.h"
#include "signal_watcher.h"

#include "protocol/e2e_codec.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>
#include <optional>

namespace natter::cli {

using client::ErrorKind;

namespace {

template <class T>
client::Expected<T> await(const std::function<void(client::Client::Callback<T>)>& start) {
    std::optional<client::Expected<T>> result;
    QEventLoop loop;
    start([&](client::Expected<T> r) {
        result.emplace(std::move(r));
        loop.quit();
    });
    if (!result) loop.exec();
    return std::move(*result);
}

int fail(Printer& printer, const client::ClientError& error) {
    printer.error(error);
    return exitCodeFor(error);
}

// fail() for the command's own method: its errors in plain words, and a revoked device told
// what happened and how to continue.
int fail(const Invocation& inv, Printer& printer, const client::ClientError& error, Backend* backend) {
    if (error.kind == ErrorKind::Revoked) return reportRevoked(inv, printer, error, backend);
    printer.error(error, inv.method);
    return exitCodeFor(error);
}

int showAccount(const Invocation& inv, Backend& backend, Printer& printer) {
    auto me = backend.call(QStringLiteral("whoami"), {});
    if (!me) return fail(printer, me.error());
    printer.result(QStringLiteral("whoami"), *me);
    // A revoked device's whoami says so (in --json the "revoked" field), then how to continue.
    if (me->toObject().contains("revoked")) {
        if (printer.json()) return Revoked;
        client::ClientError revoked = client::makeClientError(ErrorKind::Revoked, me->toObject().value("revoked_message").toString());
        return reportRevoked(inv, printer, revoked, &backend);
    }
    return Ok;
}

// Ends `loop` when the server revokes the device, local (Client) or behind the socket (event).
// Returns the flag that says it happened.
std::shared_ptr<bool> quitWhenRevoked(Backend& backend, QEventLoop& loop) {
    auto revoked = std::make_shared<bool>(false);
    if (client::Client* c = backend.localClient())
        QObject::connect(c, &client::Client::deviceRevoked, &loop, [revoked, &loop] {
            *revoked = true;
            loop.quit();
        });
    return revoked;
}

// The revoked error of a local client, or one from the socket's session_ended event.
client::ClientError revokedErrorOf(Backend& backend, const QString& eventReason) {
    if (client::Client* c = backend.localClient(); c && c->isRevoked()) return c->revokedError();
    return client::makeClientError(ErrorKind::Revoked, eventReason);
}

int registerAccount(const Invocation& inv, Printer& printer) {
    auto backend = openLocalBackend(inv, false);
    if (!backend) return fail(printer, backend.error());
    client::Client& c = *(*backend)->localClient();
    // A revoked profile starts over as a new device (its history stays).
    if (c.isRegistered() && !c.isRevoked())
        return fail(printer, client::makeClientError(ErrorKind::InvalidArgument,
                                                     QStringLiteral("profile '%1' is already registered as %2")
                                                         .arg(inv.profile, c.account().phone)));
    const QString phone = inv.words.front();
    auto requested = await<void>([&](auto done) { c.requestCode(phone, done); });
    if (!requested) return fail(printer, requested.error());
    QString code = inv.code;
    if (code.isEmpty()) code = promptLine(QStringLiteral("Verification code sent to %1: ").arg(phone));
    if (code.isEmpty()) return fail(printer, client::makeClientError(ErrorKind::InvalidArgument, "no verification code given"));
    auto verified = await<void>([&](auto done) { c.verify(phone, code, inv.name, done); });
    if (!verified) return fail(printer, verified.error());
    return showAccount(inv, **backend, printer);
}

int linkDevice(const Invocation& inv, Printer& printer) {
    auto backend = openLocalBackend(inv, false);
    if (!backend) return fail(printer, backend.error());
    client::Client& c = *(*backend)->localClient();
    if (c.isRegistered() && !c.isRevoked())
        return fail(printer, client::makeClientError(ErrorKind::InvalidArgument,
                                                     QStringLiteral("profile '%1' already has an account").arg(inv.profile)));
    auto linked = await<void>([&](auto done) { c.linkWithCode(inv.code, inv.name, inv.withHistory, done); });
    if (!linked) return fail(printer, linked.error());
    HistoryProgress history(c, printer);
    // Online once: the account's other devices are asked for its contacts and settings now.
    c.connectToServer();
    (*backend)->finishOneShot();
    if (inv.withHistory) history.wait(std::chrono::seconds(20));
    return showAccount(inv, **backend, printer);
}

int runDaemon(const Invocation& inv, Printer& printer) {
    auto backend = openLocalBackend(inv, false);
    if (!backend) return fail(printer, backend.error());
    client::Client& c = *(*backend)->localClient();
    if (!c.isRegistered())
        return fail(printer, client::makeClientError(ErrorKind::InvalidArgument, "register this profile before running a daemon"));
    if (c.isRevoked()) return reportRevoked(inv, printer, c.revokedError(), backend->get());
    QEventLoop loop;
    const auto revoked = quitWhenRevoked(**backend, loop);
    auto socket = (*backend)->serve();
    if (!socket) return fail(printer, socket.error());
    if (printer.json()) printer.result(QStringLiteral("daemon"), QJsonObject{{"daemon", "ready"}, {"socket", *socket}});
    else printer.line(QStringLiteral("natter daemon: profile '%1' serves JSON-RPC on %2 (Ctrl-C stops)").arg(inv.profile, *socket));
    (*backend)->stayOnline();
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminate, &loop, &QEventLoop::quit);
    loop.exec();
    if (*revoked) return reportRevoked(inv, printer, c.revokedError(), backend->get());
    return Ok;
}

int listen(const Invocation& inv, Printer& printer) {
    // Subscribe before going online: messages that waited on the server while this profile
    // was offline arrive during the first sync and must be printed too.
    auto backend = openBackend(inv, false);
    if (!backend) return fail(printer, backend.error());
    if (client::Client* c = (*backend)->localClient(); c && c->isRevoked())
        return reportRevoked(inv, printer, c->revokedError(), backend->get());
    // Other natter commands for this profile (a reply from another terminal) go through it meanwhile.
    if (auto served = (*backend)->serve(); !served) return fail(printer, served.error());
    QEventLoop loop;
    const auto revoked = quitWhenRevoked(**backend, loop);
    QString revokedReason;
    ReadyGate gate([&](const QJsonObject& e) {
        printer.event(e);
        if (!isRevokedEvent(e)) return;
        *revoked = true;
        revokedReason = e.value("reason").toString();
        loop.quit();
    });
    if (auto r = (*backend)->subscribe([&](const QJsonObject& e) { gate.event(e); }); !r)
        return fail(inv, printer, r.error(), backend->get());
    // Scripts need to know when events start flowing: the ready line comes first, then the
    // events (those that arrived meanwhile too), then going online adds the rest.
    if (printer.json()) printer.result(QStringLiteral("listen"), QJsonObject{{"listen", "ready"}, {"profile", inv.profile}});
    else printer.line(QStringLiteral("Listening as profile '%1' (Ctrl-C stops)…").arg(inv.profile));
    gate.open();
    (*backend)->stayOnline();
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminate, &loop, &QEventLoop::quit);
    if (!*revoked) loop.exec();
    if (*revoked) return reportRevoked(inv, printer, revokedErrorOf(**backend, revokedReason), backend->get());
    return Ok;
}

// `send <to> -`: the text is what stdin holds (one trailing newline dropped), at most what a
// message may hold.
client::Expected<QString> readTextFromStdin() {
    const auto limit = qsizetype(protocol::e2e::kMaxTextBytes);
    QByteArray bytes(limit + 1, Qt::Uninitialized);
    const qsizetype n = qsizetype(std::fread(bytes.data(), 1, size_t(bytes.size()), stdin));
    bytes.truncate(n);
    if (bytes.size() > limit)
        return client::makeClientError(ErrorKind::InvalidArgument, QStringLiteral("send: the text on stdin is longer than 64 KiB"));
    if (bytes.endsWith('\n')) bytes.chop(bytes.endsWith("\r\n") ? 2 : 1);
    const QString text = QString::fromUtf8(bytes);
    if (text.trimmed().isEmpty())
        return client::makeClientError(ErrorKind::InvalidArgument, QStringLiteral("send: no text on stdin"));
    return text;
}

} // namespace

int exitCodeFor(const client::ClientError& error) {
    switch (error.kind) {
    case ErrorKind::WrongPassphrase: return WrongPassphrase;
    case ErrorKind::StoreLocked: return ProfileBusy;
    case ErrorKind::NotFound: return NotFound;
    case ErrorKind::Network: return Unreachable;
    case ErrorKind::InvalidArgument: return Usage;
    case ErrorKind::Revoked: return Revoked;
    case ErrorKind::Server:
        if (error.serverCode == QLatin1String("not_found")) return NotFound;
        return error.serverCode == QLatin1String("forbidden") ? NotAllowed : Failed;
    default: return Failed;
    }
}

int runCli(const std::vector<std::string>& args) {
    const ParseResult parsed = parseCommandLine(args);
    if (!parsed.invocation) {
        QTextStream(parsed.exitCode == Ok ? stdout : stderr) << parsed.message << (parsed.message.endsWith('\n') ? "" : "\n");
        return parsed.exitCode;
    }
    const Invocation& inv = *parsed.invocation;
    // Terminal output is for results: the core's logs only with --verbose (QT_LOGGING_RULES,
    // e.g. "natter.*=true", still turns them on).
    QLoggingCategory::setFilterRules(inv.verbose ? QStringLiteral("natter.*.debug=false")
                                                 : QStringLiteral("natter.*=false"));
    Printer printer(inv.json);
    if (inv.command == "register") return registerAccount(inv, printer);
    if (inv.command == "link" && !inv.code.isEmpty()) return linkDevice(inv, printer);
    if (inv.command == "daemon") return runDaemon(inv, printer);
    if (inv.command == "listen") return listen(inv, printer);
    if (inv.command == "shell") return runShell(inv, printer);
    if (inv.command == "restore") return restoreProfile(inv, printer);

    QJsonObject params = inv.params;
    if (inv.textFromStdin) {
        auto text = readTextFromStdin();
        if (!text) return fail(printer, text.error());
        params.insert("text", *text);
    }
    if (inv.method == QLatin1String("backup")) {
        auto passphrase = backupPassphrase(true);
        if (!passphrase) return fail(printer, passphrase.error());
        params.insert("passphrase", QString::fromUtf8(*passphrase));
    }
    // `sync` goes online itself and reports how it went; the other commands go online first.
    auto backend = openBackend(inv, inv.method != QLatin1String("sync"));
    if (!backend) return fail(printer, backend.error());
    if (inv.method == QLatin1String("whoami")) return showAccount(inv, **backend, printer);
    auto result = (*backend)->call(inv.method, params);
    if (!result) return fail(inv, printer, result.error(), backend->get());
    printer.result(inv.method, *result);
    if (const QJsonArray twins = result->toObject().value("same_name").toArray(); !twins.isEmpty())
        printer.note(QStringLiteral("you are now in %1 groups called '%2': name each by its chat id (natter chats shows "
                                    "them), e.g. natter send %3 <text>")
                         .arg(twins.size() + 1)
                         .arg(result->toObject().value("name").toString(), result->toObject().value("chat").toString()));
    // What the command queued (a new group's secret, keys) reaches natterd before the process ends.
    (*backend)->finishOneShot();
    // A message natterd did not take (it could not be reached) stays queued: documented as 6.
    const bool sending = inv.method == QLatin1String("send") || inv.method == QLatin1String("send_file") ||
                         inv.method == QLatin1String("reply");
    if (sending && result->toObject().value("state").toString() == QLatin1String("pending")) return Unreachable;
    if (result->toObject().value("queued").toBool()) return Unreachable; // react, edit, delete: sent later
    if (inv.method == QLatin1String("sync") && result->toObject().value("queued").toInt() > 0) return Unreachable;
    return Ok;
}

} // namespace natter::cli
