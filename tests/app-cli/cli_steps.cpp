#include "cli_steps.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QThread>

namespace natter::test {

QString nextPhone() {
    static int counter = 0;
    // Different suites run against different natterd instances; the pid keeps numbers apart anyway.
    return QStringLiteral("+1555%1%2").arg(QCoreApplication::applicationPid() % 1000, 3, 10, QChar('0')).arg(++counter, 4, 10, QChar('0'));
}

Person person(const QString& name) { return Person{name.toLower(), name, nextPhone()}; }

QString registerProfile(const NatterCli& cli, const Person& p) {
    const CliResult r = cli.run(p.profile, {"--server", cli.server().toString(), "register", p.phone, "--name", p.name,
                                            "--code", "123456"});
    return r.exitCode == 0 ? QString() : "registration failed: " + r.describe();
}

QString addContact(const NatterCli& cli, const Person& who, const Person& contact) {
    const CliResult r = cli.run(who.profile, {"contacts", "add", contact.phone, "--name", contact.name});
    return r.exitCode == 0 ? QString() : "contacts add failed: " + r.describe();
}

QString linkNewProfile(const NatterCli& cli, const QString& existing, const QString& newProfile) {
    const CliResult code = cli.run(existing, {"--json", "link"});
    if (code.exitCode != 0 || code.json().value("code").toString().isEmpty()) return "link code failed: " + code.describe();
    const CliResult linked = cli.run(newProfile, {"--server", cli.server().toString(), "link", "--code",
                                                  code.json().value("code").toString(), "--name", newProfile});
    return linked.exitCode == 0 ? QString() : "link failed: " + linked.describe();
}

QString befriend(const NatterCli& cli, const QList<Person>& people) {
    for (const auto& p : people)
        if (QString e = registerProfile(cli, p); !e.isEmpty()) return e;
    for (const auto& a : people)
        for (const auto& b : people)
            if (a.profile != b.profile)
                if (QString e = addContact(cli, a, b); !e.isEmpty()) return e;
    return {};
}

std::optional<QJsonArray> history(const NatterCli& cli, const QString& profile, const QString& chat, QString* why,
                                  int limit) {
    const CliResult r = cli.run(profile, {"--json", "history", chat, "--limit", QString::number(limit)});
    if (r.exitCode != 0 || !r.json().value("messages").isArray()) {
        if (why) *why = "history failed: " + r.describe();
        return std::nullopt;
    }
    return r.list("messages");
}

std::optional<QJsonObject> messageWithText(const QJsonArray& messages, const QString& text) {
    for (const auto& m : messages)
        if (m.toObject().value("text").toString() == text) return m.toObject();
    return std::nullopt;
}

bool eventually(const std::function<bool(QString* why)>& check, QString* why, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    do {
        if (check(why)) return true;
        QThread::msleep(200);
    } while (!deadline.hasExpired());
    return false;
}

std::optional<QJsonObject> waitForMessage(const NatterCli& cli, const QString& profile, const QString& chat,
                                          const QString& text, QString* why, int timeoutMs) {
    std::optional<QJsonObject> found;
    QString last;
    const bool seen = eventually(
        [&](QString* problem) {
            const auto messages = history(cli, profile, chat, problem);
            if (!messages) return false;
            found = messageWithText(*messages, text);
            *problem = QStringLiteral("'%1' not in %2's history of %3: %4")
                           .arg(text, profile, chat, QString::fromUtf8(QJsonDocument(*messages).toJson(QJsonDocument::Compact)));
            return found.has_value();
        },
        &last, timeoutMs);
    if (!seen && why) *why = last;
    return seen ? found : std::nullopt;
}

} // namespace natter::test
