#include "cli_app.h"

#include "backend.h"
#include "command_line.h"
#include "interactive_shell.h"
#include "passphrase_prompt.h"
#include "printer.h"
#include "signal_watcher.h"

#include "client/rpc/rpc_server.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTextStream>

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

int showAccount(Backend& backend, Printer& printer) {
    auto me = backend.call(QStringLiteral("whoami"), {});
    if (!me) return fail(printer, me.error());
    printer.result(QStringLiteral("whoami"), *me);
    return Ok;
}

int registerAccount(const Invocation& inv, Printer& printer) {
    auto backend = openLocalBackend(inv, false);
    if (!backend) return fail(printer, backend.error());
    client::Client& c = *(*backend)->localClient();
    if (c.isRegistered())
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
    return showAccount(**backend, printer);
}

int linkDevice(const Invocation& inv, Printer& printer) {
    auto backend = openLocalBackend(inv, false);
    if (!backend) return fail(printer, backend.error());
    client::Client& c = *(*backend)->localClient();
    if (c.isRegistered())
        return fail(printer, client::makeClientError(ErrorKind::InvalidArgument,
                                                     QStringLiteral("profile '%1' already has an account").arg(inv.profile)));
    auto linked = await<void>([&](auto done) { c.linkWithCode(inv.code, inv.name, done); });
    if (!linked) return fail(printer, linked.error());
    return showAccount(**backend, printer);
}

int runDaemon(const Invocation& inv, Printer& printer) {
    auto backend = openLocalBackend(inv, true);
    if (!backend) return fail(printer, backend.error());
    client::Client& c = *(*backend)->localClient();
    if (!c.isRegistered())
        return fail(printer, client::makeClientError(ErrorKind::InvalidArgument, "register this profile before running a daemon"));
    client::rpc::RpcServer server(c);
    if (auto r = server.listen(); !r) return fail(printer, r.error());
    if (printer.json()) printer.result(QStringLiteral("daemon"), QJsonObject{{"daemon", "ready"}, {"socket", server.socketPath()}});
    else printer.line(QStringLiteral("natter daemon: profile '%1' serves JSON-RPC on %2 (Ctrl-C stops)").arg(inv.profile, server.socketPath()));
    SignalWatcher watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &SignalWatcher::terminate, &loop, &QEventLoop::quit);
    loop.exec();
    return Ok;
}

int listen(const Invocation& inv, Printer& printer) {
    // Subscribe before going online: messages that waited on the server while this profile
    // was offline arrive during the first sync and must be printed too.
    auto backend = openBackend(inv, false);
    if (!backend) return fail(printer, backend.error());
    QEventLoop loop;
    if (auto r = (*backend)->subscribe([&](const QJsonObject& e) { printer.event(e); }); !r) return fail(printer, r.error());
    if (client::Client* c = (*backend)->localClient(); c && c->isRegistered()) c->connectToServer();
    // Scripts need to know when events start flowing, as with the daemon's ready line.
    if (printer.json()) printer.result(QStringLiteral("listen"), QJsonObject{{"listen", "ready"}, {"profile", inv.profile}});
    else printer.line(QStringLiteral("Listening as profile '%1' (Ctrl-C stops)…").arg(inv.profile));
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminate, &loop, &QEventLoop::quit);
    loop.exec();
    return Ok;
}

} // namespace

int exitCodeFor(const client::ClientError& error) {
    switch (error.kind) {
    case ErrorKind::WrongPassphrase: return WrongPassphrase;
    case ErrorKind::StoreLocked: return ProfileBusy;
    case ErrorKind::NotFound: return NotFound;
    case ErrorKind::Network: return Unreachable;
    case ErrorKind::InvalidArgument: return Usage;
    case ErrorKind::Server: return error.serverCode == QLatin1String("not_found") ? NotFound : Failed;
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
    Printer printer(inv.json);
    if (inv.command == "register") return registerAccount(inv, printer);
    if (inv.command == "link" && !inv.code.isEmpty()) return linkDevice(inv, printer);
    if (inv.command == "daemon") return runDaemon(inv, printer);
    if (inv.command == "listen") return listen(inv, printer);
    if (inv.command == "shell") return runShell(inv, printer);

    auto backend = openBackend(inv, true);
    if (!backend) return fail(printer, backend.error());
    auto result = (*backend)->call(inv.method, inv.params);
    if (!result) return fail(printer, result.error());
    printer.result(inv.method, *result);
    return Ok;
}

} // namespace natter::cli
