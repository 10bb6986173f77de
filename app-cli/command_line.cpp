#include "command_line.h"

#include "message_commands.h"
#include "request_commands.h"

#include "protocol/identifiers.h"

#include <QCoreApplication>

#include <QJsonArray>

#include <algorithm>

#include <boost/program_options.hpp>

namespace natter::cli {

namespace po = boost::program_options;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

ParseResult usage(const QString& message) { return ParseResult{std::nullopt, message + "\nRun 'natter --help' for usage.", Usage}; }

QJsonArray toArray(const QStringList& items) { return QJsonArray::fromStringList(items); }

} // namespace

QString helpText() {
    return QStringLiteral(
        "natter — end-to-end encrypted messaging from the terminal\n"
        "\n"
        "Usage: natter [--profile NAME] [--server URL] [--json] <command> [arguments] [-- arguments]\n"
        "\n"
        "Global options:\n"
        "  --profile NAME   profile to use (default: default); each profile is one account on one device.\n"
        "                   Only register and link --code create one; any other command refuses a\n"
        "                   profile that does not exist and lists those that do (exit code 5)\n"
        "  --server URL     natterd a new profile registers with (default: http://127.0.0.1:8787); a\n"
        "                   registered profile keeps its own, and another URL is refused (exit code 2)\n"
        "  --json           for scripts: a command prints one JSON object, its result (lists under a\n"
        "                   name: {\"chats\":[...]}, {\"chat\":...,\"messages\":[...]}) or {\"error\":{...}};\n"
        "                   listen and shell print JSON lines: their ready line, then one event per line\n"
        "  --verbose        also print the client's log lines on stderr\n"
        "  -h, --help       this help\n"
        "  --version        natter's version\n"
        "\n"
        "Commands:\n"
        "  register <phone> [--name NAME] [--code CODE]   create the account (asks for the code if not given)\n"
        "  whoami                                         this profile's account\n"
        "  contacts add <phone> [--name NAME]             add a contact\n"
        "  contacts list                                  list contacts: \"online\" or \"last seen 14:02\" as their\n"
        "                                                 privacy settings allow, ⚠ when a safety number changed\n"
        "  contacts remove <contact>                      remove a contact (on every device; the chat stays)\n"
        "  contacts verify <contact>                      after comparing it (safety-number), accept a contact's\n"
        "                                                 changed safety number\n"
        "  send <to> <text...>                            send a message (to: phone, contact or group name, chat id;\n"
        "                                                 a phone number that is not a contact yet is looked up and\n"
        "                                                 added first, exit code 5 when it has no Natter account)\n"
        "  send <to> -                                    send what stdin holds (echo hi | natter send Bob -)\n"
        "  send <to> --file PATH [--caption TEXT]         send a file\n"
        "  save <message-id> [--to PATH]                  download, verify and decrypt a received file\n"
        "  search <text...> [--chat CHAT] [--limit N]     full-text search in this profile's messages, newest\n"
        "                                                 first (default 50, at most 1000), or in one chat\n"
        "  chats                                          list chats with unread counts (and the chat id of a\n"
        "                                                 title several chats share); requests are marked\n"
        "  history <chat> [--limit N] [--before ID]       the last messages of a chat (default 20); with\n"
        "                                                 --before, the N messages older than message ID\n"
        "  read <chat> [message-id]                       mark a chat as read (sends read receipts), or only the\n"
        "                                                 messages up to that one\n") +
        messageCommandsHelp() + requestCommandsHelp() +
        QStringLiteral(
        "  listen                                         print messages, ticks, presence and typing until Ctrl-C\n"
        "  sync                                           reach natterd: send what is queued, take what waits\n"
        "  group create <name> <member...>                create a group\n"
        "  group add|remove <group> <member...>           change members (admins)\n"
        "  group rename <group> <new name...>             rename a group (admins, or members when the group lets them)\n"
        "  group promote|demote <group> <member>          make a member an admin, or an admin a member again (admins\n"
        "                                                 only: exit code 8 for anyone else)\n"
        "  group leave <group>                            leave a group\n"
        "  group info <group>                             name and members\n"
        "  safety-number <contact>                        the 60-digit safety number and its QR code; says when it\n"
        "                                                 changed and was not accepted yet (contacts verify)\n"
        "  devices                                        this account's devices\n"
        "  devices unlink <device-id>                     sign another device of this account out (ids: devices)\n"
        "  link                                           (existing device) print a code for a new device\n"
        "  link --code CODE [--name NAME] [--with-history]\n"
        "                                                 (new device) join the account of the code; with\n"
        "                                                 --with-history its message history follows, end-to-\n"
        "                                                 end encrypted, with progress (History: 120/500 messages)\n"
        "  chat pin|unpin|mute|unmute|archive|unarchive <chat>\n"
        "                                                 a chat's settings; this account's other devices follow\n"
        "  settings name <name...>                        your name as others see it; your other devices follow\n"
        "  settings about [text...]                       a line about you (at most 140 bytes) for the people you\n"
        "                                                 write to and your groups; none: remove it\n"
        "  settings privacy                               who sees your last seen and online, and read receipts\n"
        "  settings privacy last-seen|online <everyone|contacts|nobody>\n"
        "  settings privacy read-receipts <on|off>\n"
        "  backup --out FILE                              the whole profile (messages, keys, media) in one file,\n"
        "                                                 encrypted with a backup passphrase of 10+ characters\n"
        "  export --out DIR [--format html|json] [--chat CHAT]\n"
        "                                                 chats as web pages (default) or JSON, with their files\n"
        "                                                 decrypted: unencrypted on purpose, keep DIR private\n"
        "  restore FILE                                   (new profile) bring a backup back, e.g. on a new machine:\n"
        "                                                 natter --profile alice restore alice.natter-backup\n"
        "  daemon                                         keep the profile open and serve JSON-RPC on its socket\n"
        "  shell                                          interactive chat: /chat NAME, /chats, /history, /quit;\n"
        "                                                 one line per message sent, presence of the open chat only;\n"
        "                                                 on a terminal: line editing, Tab completes @names, typing shown\n"
        "\n"
        "-- ends the options: what follows is arguments, e.g. natter send Bob -- \"-5 degrees\".\n"
        "A chat is named by a contact's name, a phone number, a group's name or its chat id (dm:... or\n"
        "g:..., shown by 'natter chats --json'). A name several chats share (two groups called the same)\n"
        "is refused with each one's chat id: name it by that id instead (exit code 2).\n"
        "While 'natter listen', 'natter shell', 'natter daemon' or natter-desktop holds a profile, every\n"
        "other command for it goes through its socket (<profile dir>/rpc.sock): Bob can answer from\n"
        "another terminal while his listen runs, and scripts keep working while the app is open.\n"
        "When natterd cannot be reached, a command notices within about a second: reading commands\n"
        "answer from this device's store, and a message sent meanwhile is queued (exit code 6); the next\n"
        "command that reaches natterd, whatever it is, or 'natter sync', sends it. A command that reaches\n"
        "natterd also finishes what arrived and what it started (a new group's name and secrets) before\n"
        "it exits, for at most 10 s each; when that runs out, a note on stderr says what is unfinished.\n"
        "The store passphrase comes from the OS keychain, else NATTER_PASSPHRASE, else a prompt.\n"
        "The backup passphrase comes from NATTER_BACKUP_PASSPHRASE, else a prompt. Use a restored backup\n"
        "instead of, not beside, the device it was taken from: both would be one device to natterd.\n"
        "A device that was unlinked (or signed out because its number was registered again on another\n"
        "device) keeps its history but can do nothing else: every command says so and exits 7; run\n"
        "'register' or 'link --code' on its profile to start it over as a new device.\n"
        "\n"
        "Chat between two terminals:\n"
        "  natter --profile alice register +15550001 --name Alice\n"
        "  natter --profile bob register +15550002 --name Bob\n"
        "  natter --profile alice contacts add +15550002 --name Bob\n"
        "  natter --profile bob contacts add +15550001 --name Alice\n"
        "  natter --profile bob listen            # terminal 2\n"
        "  natter --profile alice send Bob hello  # terminal 1\n"
        "  natter --profile bob send Alice hi     # terminal 3, while terminal 2 listens\n"
        "\n"
        "Exit codes: 0 ok, 1 failed, 2 usage, 3 wrong passphrase, 4 profile busy, 5 not found,\n"
        "6 server unreachable (a message sent meanwhile is queued), 7 this device was unlinked or\n"
        "signed out (register again or link it), 8 not allowed (natterd refused: e.g. only a group's\n"
        "admins may change its members and roles, only its members write to it). 2 also means a name\n"
        "several chats share or --server on a registered profile; 5 also means a profile that does not\n"
        "exist or a phone number without a Natter account.\n");
}

ParseResult parseCommandLine(const std::vector<std::string>& args) {
    // `--` ends the options: every word after it is an argument, whatever it starts with.
    const auto dashes = std::find(args.begin(), args.end(), std::string("--"));
    const std::vector<std::string> optionPart(args.begin(), dashes);
    std::vector<std::string> literal;
    if (dashes != args.end()) literal.assign(dashes + 1, args.end());

    po::options_description global("global");
    global.add_options()("profile", po::value<std::string>(), "")("server", po::value<std::string>(), "")(
        "json", "")("verbose", "")("help,h", "")("version", "");
    po::options_description hidden;
    hidden.add_options()("words", po::value<std::vector<std::string>>(), "");
    po::options_description all;
    all.add(global).add(hidden);
    po::positional_options_description positional;
    positional.add("words", -1);

    po::variables_map vm;
    std::vector<std::string> rest;
    try {
        auto parsed = po::command_line_parser(optionPart).options(all).positional(positional).allow_unregistered().run();
        po::store(parsed, vm);
        rest = po::collect_unrecognized(parsed.options, po::include_positional);
    } catch (const po::error& e) {
        return usage(q(e.what()));
    }
    if (vm.count("version")) return ParseResult{std::nullopt, QStringLiteral("natter ") + QCoreApplication::applicationVersion(), Ok};
    if (vm.count("help") || (rest.empty() && literal.empty()))
        return ParseResult{std::nullopt, helpText(), vm.count("help") ? Ok : Usage};

    Invocation inv;
    if (vm.count("profile")) inv.profile = q(vm["profile"].as<std::string>());
    if (vm.count("server")) {
        inv.server = q(vm["server"].as<std::string>());
        inv.serverGiven = true;
    }
    inv.json = vm.count("json") > 0;
    inv.verbose = vm.count("verbose") > 0;

    // The command is one word, or two for the families below (before `--` or right after it).
    const auto takeWord = [&]() -> QString {
        std::vector<std::string>& from = rest.empty() ? literal : rest;
        if (from.empty()) return {};
        const QString word = q(from.front());
        from.erase(from.begin());
        return word;
    };
    QString command = takeWord();
    static const QStringList families{"contacts", "group", "settings", "chat"};
    if (families.contains(command)) {
        const QString sub = takeWord();
        if (sub.isEmpty()) return usage(QStringLiteral("'%1' needs a subcommand").arg(command));
        command += ' ' + sub;
    }
    // `devices` alone lists them; `devices unlink ID` is its subcommand.
    const std::vector<std::string>& next = rest.empty() ? literal : rest;
    if (command == "devices" && !next.empty() && next.front() == "unlink") command += ' ' + takeWord();
    inv.command = command;

    // The command's own options.
    po::options_description own;
    own.add_options()("name", po::value<std::string>(), "")("code", po::value<std::string>(), "")(
        "file", po::value<std::string>(), "")("caption", po::value<std::string>(), "")(
        "to", po::value<std::string>(), "")("chat", po::value<std::string>(), "")("out", po::value<std::string>(), "")(
        "format", po::value<std::string>(), "")("limit", po::value<int>(), "")("before", po::value<long long>(), "")(
        "for-everyone", "")("with-history", "");
    po::options_description ownAll;
    ownAll.add(own).add(hidden);
    po::variables_map ov;
    try {
        po::store(po::command_line_parser(rest).options(ownAll).positional(positional).run(), ov);
    } catch (const po::unknown_option& e) {
        const QString example = command == "send" ? QStringLiteral("send <to> -- <text...>") : command + " -- <argument>";
        return usage(QStringLiteral("%1: %2\nAn argument that starts with '-' goes after --: natter %3").arg(command, q(e.what()), example));
    } catch (const po::error& e) {
        return usage(QStringLiteral("%1: %2").arg(command, q(e.what())));
    }
    QStringList words;
    if (ov.count("words"))
        for (const auto& w : ov["words"].as<std::vector<std::string>>()) words << q(w);
    // `send <to> -`: the text comes from stdin (a `-` after `--` is just text).
    inv.textFromStdin = command == "send" && words.size() == 2 && words[1] == "-" && literal.empty() && !ov.count("file");
    for (const auto& w : literal) words << q(w);
    inv.words = words;
    const auto opt = [&](const char* name) { return ov.count(name) ? q(ov[name].as<std::string>()) : QString(); };
    const auto allowOnly = [&](std::initializer_list<const char*> allowed) -> std::optional<QString> {
        for (const auto& o : own.options()) {
            const std::string n = o->long_name();
            if (!ov.count(n)) continue;
            if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return n == a; }) == allowed.end())
                return QStringLiteral("%1 does not take --%2").arg(command, q(n));
        }
        return std::nullopt;
    };
    const auto need = [&](int min, int max, const QString& shape) -> std::optional<QString> {
        if (words.size() < min || (max >= 0 && words.size() > max)) return QStringLiteral("usage: natter %1").arg(shape);
        return std::nullopt;
    };
    std::optional<QString> problem;
    const auto set = [&](const QString& method, QJsonObject params) {
        inv.method = method;
        inv.params = std::move(params);
    };

    if (command == "register") {
        problem = allowOnly({"name", "code"});
        if (!problem) problem = need(1, 1, "register <phone> [--name NAME] [--code CODE]");
        if (!problem && !protocol::isE164(words[0].toStdString()))
            problem = QStringLiteral("'%1' is not a phone number in international form, like +4915112345678").arg(words[0]);
        inv.name = opt("name");
        inv.code = opt("code");
    } else if (command == "whoami" || command == "chats" || command == "contacts list" || command == "devices" ||
               command == "sync") {
        problem = allowOnly({});
        if (!problem) problem = need(0, 0, command);
        const QString method = command == "contacts list" ? QStringLiteral("contacts.list") : command;
        set(method, {});
    } else if (command == "contacts remove") {
        problem = allowOnly({});
        if (!problem) problem = need(1, 1, "contacts remove <contact>");
        if (!problem) set("contacts.remove", {{"contact", words[0]}});
    } else if (command == "contacts verify") {
        problem = allowOnly({});
        if (!problem) problem = need(1, 1, "contacts verify <contact>");
        if (!problem) set("contacts.verify", {{"contact", words[0]}});
    } else if (command == "devices unlink") {
        problem = allowOnly({});
        if (!problem) problem = need(1, 1, "devices unlink <device-id>");
        bool ok = false;
        const qint64 id = problem ? 0 : words[0].toLongLong(&ok);
        if (!problem && (!ok || id <= 0))
            problem = QStringLiteral("devices unlink: '%1' is not a device id ('natter devices' lists them)").arg(words[0]);
        if (!problem) set("devices.unlink", {{"device", id}});
    } else if (command == "contacts add") {
        problem = allowOnly({"name"});
        if (!problem) problem = need(1, 1, "contacts add <phone> [--name NAME]");
        if (!problem) set("contacts.add", {{"phone", words[0]}, {"name", opt("name")}});
    } else if (command == "send") {
        problem = allowOnly({"file", "caption"});
        if (!problem && ov.count("file")) {
            problem = need(1, 1, "send <to> --file PATH [--caption TEXT]");
            if (!problem) set("send_file", {{"to", words[0]}, {"path", opt("file")}, {"caption", opt("caption")}});
        } else if (!problem) {
            problem = ov.count("caption") ? QStringLiteral("--caption goes with --file") : need(2, -1, "send <to> <text...>");
            if (!problem && inv.textFromStdin) set("send", {{"to", words[0]}}); // the text is read when it runs
            else if (!problem) set("send", {{"to", words[0]}, {"text", words.mid(1).join(' ')}});
        }
    } else if (command == "save") {
        problem = allowOnly({"to"});
        if (!problem) problem = need(1, 1, "save <message-id> [--to PATH]");
        bool ok = false;
        const qint64 id = problem ? 0 : words[0].toLongLong(&ok);
        if (!problem && (!ok || id <= 0)) problem = QStringLiteral("save: '%1' is not a message id").arg(words[0]);
        if (!problem) set("save", {{"id", id}, {"to", opt("to")}});
    } else if (command == "search") {
        problem = allowOnly({"chat", "limit"});
        if (!problem) problem = need(1, -1, "search <text...> [--chat CHAT] [--limit N]");
        const int limit = ov.count("limit") ? ov["limit"].as<int>() : 50;
        if (!problem && (limit < 1 || limit > 1000)) problem = QStringLiteral("--limit must be from 1 to 1000");
        if (!problem && ov.count("chat") && opt("chat").isEmpty()) problem = QStringLiteral("--chat needs a chat");
        if (!problem) {
            QJsonObject params{{"text", words.join(' ')}, {"limit", limit}};
            if (ov.count("chat")) params.insert("chat", opt("chat"));
            set("search", params);
        }
    } else if (command == "history") {
        problem = allowOnly({"limit", "before"});
        if (!problem) problem = need(1, 1, "history <chat> [--limit N] [--before MESSAGE-ID]");
        const int limit = ov.count("limit") ? ov["limit"].as<int>() : 20;
        const qint64 before = ov.count("before") ? ov["before"].as<long long>() : 0;
        if (!problem && limit <= 0) problem = QStringLiteral("--limit must be positive");
        if (!problem && ov.count("before") && before <= 0) problem = QStringLiteral("--before must be a message id");
        if (!problem) {
            QJsonObject params{{"chat", words[0]}, {"limit", limit}};
            if (before > 0) params.insert("before", before);
            set("history", params);
        }
    } else if (isMessageCommand(command)) {
        problem = command == "delete" ? allowOnly({"for-everyone"}) : allowOnly({});
        if (!problem) problem = parseMessageCommand(command, words, ov.count("for-everyone") > 0, inv);
    } else if (isRequestCommand(command)) {
        problem = allowOnly({});
        if (!problem) problem = parseRequestCommand(command, words, inv);
    } else if (command == "read") {
        problem = allowOnly({});
        if (!problem) problem = need(1, 2, "read <chat> [message-id]");
        bool ok = true;
        const qint64 upTo = !problem && words.size() == 2 ? words[1].toLongLong(&ok) : 0;
        if (!problem && words.size() == 2 && (!ok || upTo <= 0))
            problem = QStringLiteral("read: '%1' is not a message id").arg(words[1]);
        QJsonObject params{{"chat", problem ? QString() : words[0]}};
        if (upTo > 0) params.insert("id", upTo);
        if (!problem) set("read", params);
    } else if (command == "listen" || command == "daemon" || command == "shell") {
        problem = allowOnly({});
        if (!problem) problem = need(0, 0, command);
    } else if (command == "group create") {
        problem = allowOnly({});
        if (!problem) problem = need(2, -1, "group create <name> <member...>");
        if (!problem) set("group.create", {{"name", words[0]}, {"members", toArray(words.mid(1))}});
    } else if (command == "group add" || command == "group remove") {
        problem = allowOnly({});
        if (!problem) problem = need(2, -1, command + " <group> <member...>");
        if (!problem)
            set(command == "group add" ? "group.add" : "group.remove", {{"group", words[0]}, {"members", toArray(words.mid(1))}});
    } else if (command == "group rename") {
        problem = allowOnly({});
        if (!problem) problem = need(2, -1, "group rename <group> <new name...>");
        if (!problem) set("group.rename", {{"group", words[0]}, {"name", words.mid(1).join(' ')}});
    } else if (command == "group promote" || command == "group demote") {
        problem = allowOnly({});
        if (!problem) problem = need(2, 2, command + " <group> <member>");
        if (!problem)
            set(command == "group promote" ? "group.promote" : "group.demote", {{"group", words[0]}, {"member", words[1]}});
    } else if (command == "group leave" || command == "group info") {
        problem = allowOnly({});
        if (!problem) problem = need(1, 1, command + " <group>");
        if (!problem) set(command == "group leave" ? "group.leave" : "group.info", {{"group", words[0]}});
    } else if (command == "safety-number") {
        problem = allowOnly({});
        if (!problem) problem = need(1, 1, "safety-number <contact>");
        if (!problem) set("safety_number", {{"contact", words[0]}});
    } else if (command == "link") {
        problem = allowOnly({"code", "name", "with-history"});
        if (!problem) problem = need(0, 0, "link [--code CODE [--name NAME] [--with-history]]");
        inv.code = opt("code");
        inv.name = opt("name");
        inv.withHistory = ov.count("with-history") > 0;
        if (!problem && inv.code.isEmpty()) {
            if (ov.count("name")) problem = QStringLiteral("--name goes with --code");
            else if (inv.withHistory) problem = QStringLiteral("--with-history goes with --code");
            else set("link.code", {});
        }
    } else if (command == "backup") {
        problem = allowOnly({"out"});
        if (!problem) problem = need(0, 0, "backup --out FILE");
        if (!problem && !ov.count("out")) problem = QStringLiteral("usage: natter backup --out FILE");
        if (!problem) set("backup", {{"out", opt("out")}}); // the passphrase is asked when it runs
    } else if (command == "export") {
        problem = allowOnly({"out", "format", "chat"});
        if (!problem) problem = need(0, 0, "export --out DIR [--format html|json] [--chat CHAT]");
        if (!problem && !ov.count("out")) problem = QStringLiteral("usage: natter export --out DIR [--format html|json] [--chat CHAT]");
        const QString format = ov.count("format") ? opt("format") : QStringLiteral("html");
        if (!problem && format != "html" && format != "json") problem = QStringLiteral("--format is html or json");
        QJsonObject params{{"out", opt("out")}, {"format", format}};
        if (ov.count("chat")) params.insert("chat", opt("chat"));
        if (!problem) set("export", params);
    } else if (command == "restore") {
        problem = allowOnly({});
        if (!problem) problem = need(1, 1, "restore FILE");
    } else if (command.startsWith("chat ")) {
        static const QStringList settings{"pin", "unpin", "mute", "unmute", "archive", "unarchive"};
        const QString setting = command.mid(5);
        if (!settings.contains(setting))
            return usage(QStringLiteral("unknown command '%1': chat takes pin, unpin, mute, unmute, archive or unarchive")
                             .arg(command));
        problem = allowOnly({});
        if (!problem) problem = need(1, 1, command + " <chat>");
        if (!problem) set("chat." + setting, {{"chat", words[0]}});
    } else if (command == "settings name") {
        problem = allowOnly({});
        if (!problem) problem = need(1, -1, "settings name <name...>");
        if (!problem) set("settings.name", {{"name", words.join(' ')}});
    } else if (command == "settings about") {
        problem = allowOnly({});
        if (!problem) set("settings.about", {{"about", words.join(' ')}});
    } else if (command == "settings privacy") {
        problem = allowOnly({});
        if (!problem && words.isEmpty()) set("settings.privacy.show", {});
        else if (!problem) problem = need(2, 2, "settings privacy [last-seen|online|read-receipts <value>]");
        if (!problem && !words.isEmpty()) set("settings.privacy", {{"setting", words[0]}, {"value", words[1]}});
    } else {
        if (command.startsWith('-')) return usage(QStringLiteral("unknown option '%1'").arg(command));
        return usage(QStringLiteral("unknown command '%1'").arg(command));
    }
    if (problem) return usage(*problem);
    return ParseResult{inv, {}, Ok};
}

} // namespace natter::cli
