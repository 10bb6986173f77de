// Parsing natter-desktop's command line.
#include "launch_options.h"

#include "formatting.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace natter::desktop {

LaunchOptions parseLaunchOptions(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Natter, the end-to-end encrypted messenger (desktop app)"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(QStringLiteral("profile"), QStringLiteral("Profile to open (default: default)."),
                                     QStringLiteral("NAME"), QStringLiteral("default"));
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Server for a new profile (default http://127.0.0.1:8787)."),
                                    QStringLiteral("URL"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the window to a PNG once started and synced, then exit."),
                                        QStringLiteral("PATH"));
    const QCommandLineOption openChat(QStringLiteral("open-chat"), QStringLiteral("Open this chat (id, phone or contact name)."),
                                      QStringLiteral("CHAT"));
    const QCommandLineOption minimized(QStringLiteral("minimized"),
                                       QStringLiteral("Start in the tray (minimised without one); the window opens when needed."));
    parser.addOptions({profile, server, screenshot, openChat, minimized});
    parser.addPositionalArgument(QStringLiteral("LINK"), QStringLiteral("A natter:CHAT link to open (the same as --open-chat CHAT)."),
                                 QStringLiteral("[natter:CHAT]"));
    LaunchOptions out;
    if (!parser.parse(arguments)) {
        out.error = parser.errorText();
        return out;
    }
    if (parser.isSet(QStringLiteral("help")) && QCoreApplication::instance()) parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")) && QCoreApplication::instance()) parser.showVersion();
    out.profile = parser.value(profile);
    if (parser.isSet(server)) {
        if (const QString problem = serverProblem(parser.value(server)); !problem.isEmpty()) {
            out.error = QStringLiteral("--server: ") + problem;
            return out;
        }
        out.server = QUrl(parser.value(server).trimmed());
    }
    out.screenshotPath = parser.value(screenshot);
    out.openChat = parser.value(openChat);
    out.minimized = parser.isSet(minimized);
    // The desktop file's URL handler: `natter:CHAT` (percent-encoded) opens CHAT like --open-chat.
    const QStringList positional = parser.positionalArguments();
    const QLatin1String scheme("natter:");
    if (positional.size() == 1 && positional.front().startsWith(scheme, Qt::CaseInsensitive) && out.openChat.isEmpty()) {
        out.openChat = QUrl::fromPercentEncoding(positional.front().mid(scheme.size()).toUtf8()).trimmed();
        if (out.openChat.isEmpty()) out.error = QStringLiteral("the link '%1' names no chat").arg(positional.front());
    } else if (!positional.isEmpty()) {
        out.error = QStringLiteral("unexpected argument '%1' (a link is natter:CHAT, without --open-chat)").arg(positional.front());
    }
    return out;
}

} // namespace natter::desktop
