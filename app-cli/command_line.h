// The natter command line: global options, the command and its own options parsed with
// Boost.Program_options into one Invocation, the help text, and the documented exit codes.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>

namespace natter::cli {

// Exit codes (also in `natter --help` and the README).
enum ExitCode : int {
    Ok = 0,
    Failed = 1,          // the command ran and failed (e.g. the server refused it)
    Usage = 2,           // bad command line: unknown command, missing or bad argument
    WrongPassphrase = 3, // the profile's store did not open with this passphrase
    ProfileBusy = 4,     // another process holds the profile and serves no socket
    NotFound = 5,        // unknown contact, chat, group or message
    Unreachable = 6,     // the server could not be reached (a message sent meanwhile is queued)
    Revoked = 7,         // the server revoked this device (unlinked, or its number registered elsewhere)
    NotAllowed = 8,      // the server refused because this account may not do it (e.g. not a group admin)
};

struct Invocation {
    QString profile = QStringLiteral("default");
    QString server = QStringLiteral("http://127.0.0.1:8787");
    bool serverGiven = false;
    bool json = false;
    bool verbose = false; // the client core's logs on stderr
    QString command;     // "send", "group create", "contacts add", ...
    QString method;      // the JSON-RPC method that implements it ("" for local-only commands)
    QJsonObject params;  // its parameters
    QStringList words;   // positional words after the command (for local commands)
    bool textFromStdin = false; // send <to> -: params.text is what stdin holds
    QString code;        // register/link --code
    bool withHistory = false; // link --code ... --with-history: the account's message history follows
    QString name;        // register --name
};

struct ParseResult {
    std::optional<Invocation> invocation; // empty: print `message` and exit with `exitCode`
    QString message;
    int exitCode = Ok;
};

ParseResult parseCommandLine(const std::vector<std::string>& args);
QString helpText();

} // namespace natter::cli
