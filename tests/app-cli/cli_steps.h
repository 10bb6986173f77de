// Steps the CLI suites share (register a profile, add a contact, wait for a message in a
// history), each returning an empty string on success or a description of what went wrong,
// and the suites' common checks as macros.
#pragma once

#include "natter_cli.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

namespace natter::test {

struct Person {
    QString profile; // also the lowercase of name
    QString name;
    QString phone;
};

// A fresh E.164 number (+1555…), unique within this test process.
QString nextPhone();
Person person(const QString& name);

// `natter --server <url> --profile P register <phone> --name N --code 123456`.
QString registerProfile(const NatterCli& cli, const Person& p);
// `natter --profile P contacts add <phone> --name N`.
QString addContact(const NatterCli& cli, const Person& who, const Person& contact);
// Links a new profile to the account of `existing`: `natter --json link` there prints the code,
// `natter --profile <newProfile> link --code CODE --name <newProfile>` uses it.
QString linkNewProfile(const NatterCli& cli, const QString& existing, const QString& newProfile);
// Registers everyone and makes everyone a contact of everyone (by name).
QString befriend(const NatterCli& cli, const QList<Person>& people);

// `natter --json --profile P history <chat> --limit N`: its "messages", or nullopt (and *why).
std::optional<QJsonArray> history(const NatterCli& cli, const QString& profile, const QString& chat, QString* why,
                                  int limit = 50);
// Finds the message with this text in a history array.
std::optional<QJsonObject> messageWithText(const QJsonArray& messages, const QString& text);
// Runs check again (each natter command it runs goes online and takes what waits) until it
// returns true, bounded by timeoutMs; false when time ran out, with check's last *why (not null).
bool eventually(const std::function<bool(QString* why)>& check, QString* why, int timeoutMs = 20000);
// Re-reads the history (each run goes online and takes the queued messages) until one with
// `text` shows up, bounded by timeoutMs. The message, or nullopt (and *why).
std::optional<QJsonObject> waitForMessage(const NatterCli& cli, const QString& profile, const QString& chat,
                                          const QString& text, QString* why, int timeoutMs = 20000);

} // namespace natter::test

// Runs a natter command and fails the test unless it exits 0.
#define CLI_OK(var, ...)                                                                                                \
    const natter::test::CliResult var = (__VA_ARGS__);                                                                 \
    QVERIFY2(var.exitCode == 0, qPrintable(var.describe()))

// A step from cli_steps.h must return an empty string.
#define CLI_STEP(...)                                                                                                   \
    do {                                                                                                                \
        const QString step_problem_ = (__VA_ARGS__);                                                                   \
        QVERIFY2(step_problem_.isEmpty(), qPrintable(step_problem_));                                                  \
    } while (false)
