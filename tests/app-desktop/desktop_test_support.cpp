// The natter-desktop suites' helpers: the CLI peer, raw natterd sessions, screenshot checks.
#include "desktop_test_support.h"
#include "client_harness.h"

#include "natterd_process.h"
#include "reinstalled_device.h"
#include "test_client.h"

#include "client/client.h"
#include "client/crypto/account_identity.h"
#include "client/crypto/memory_key_store.h"
#include "client/crypto/signal_account.h"
#include "protocol/frame_codec.h"

#include <QAccessible>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QProcess>
#include <QQuickItem>
#include <QSet>
#include <QTest>
#include <QTimer>
#include <QWindow>

namespace natter::test {

QString CliRun::describe() const {
    return QStringLiteral("finished=%1 exit=%2 out=%3 err=%4")
        .arg(finished)
        .arg(exitCode)
        .arg(QString::fromUtf8(out.left(2000)), QString::fromUtf8(err.left(2000)));
}

CliRun DesktopCli::run(const QString& profile, const QStringList& args, int timeoutMs) const {
    QProcess process;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dataRoot);
    env.insert(QStringLiteral("NATTER_NO_KEYCHAIN"), QStringLiteral("1"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    process.setProcessEnvironment(env);
    process.setProgram(QStringLiteral(NATTER_CLI_BINARY));
    process.setArguments(QStringList{QStringLiteral("--profile"), profile} + args);
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&process, &QProcess::errorOccurred, &loop, [&loop](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    process.start();
    process.closeWriteChannel();
    loop.exec();
    CliRun run;
    run.finished = process.state() == QProcess::NotRunning && process.error() != QProcess::FailedToStart;
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5000);
    } else if (process.exitStatus() == QProcess::NormalExit) {
        run.exitCode = process.exitCode();
    }
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

std::optional<QJsonObject> DesktopCli::waitForMessage(const QString& profile, const QString& chat, const QString& text,
                                                      QString* why, int timeoutMs) const {
    QDeadlineTimer deadline(timeoutMs);
    do {
        const CliRun r = run(profile, {QStringLiteral("--json"), QStringLiteral("history"), chat});
        const QJsonValue messages = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("messages"));
        if (r.exitCode != 0 || !messages.isArray()) {
            if (why) *why = QStringLiteral("history failed: ") + r.describe();
        } else {
            for (const auto& m : messages.toArray())
                if (m.toObject().value(QStringLiteral("text")).toString() == text) return m.toObject();
            if (why) *why = QStringLiteral("'%1' not in the history: %2").arg(text, QString::fromUtf8(r.out));
        }
        QTest::qWait(200);
    } while (!deadline.hasExpired());
    return std::nullopt;
}

std::optional<QJsonObject> DesktopCli::groupInfo(const QString& profile, const QString& group, QString* why) const {
    const CliRun r = run(profile, {QStringLiteral("--json"), QStringLiteral("group"), QStringLiteral("info"), group});
    const QJsonDocument doc = QJsonDocument::fromJson(r.out);
    if (r.exitCode != 0 || !doc.isObject()) {
        if (why) *why = QStringLiteral("group info failed: ") + r.describe();
        return std::nullopt;
    }
    return doc.object();
}

bool publishNewIdentity(const NatterdProcess& server, client::Client* device) {
    return ReinstalledDevice::publish(server, device) != nullptr;
}

void walkItems(QQuickItem* root, const std::function<void(QQuickItem*)>& visit) {
    if (!root) return;
    visit(root);
    for (QQuickItem* child : root->childItems()) walkItems(child, visit);
}

QList<QQuickItem*> visibleItemsNamed(QQuickItem* root, const QString& name) {
    QList<QQuickItem*> found;
    walkItems(root, [&](QQuickItem* item) {
        if (item->objectName() == name && item->isVisible()) found << item;
    });
    return found;
}

QString accessibleName(QObject* object) {
    QAccessibleInterface* accessible = object ? QAccessible::queryAccessibleInterface(object) : nullptr;
    return accessible ? accessible->text(QAccessible::Name) : QString();
}

int distinctColours(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
    return int(colours.size());
}

void typeInto(QWindow* window, const char* text) {
    for (const char* c = text; *c; ++c) QTest::keyClick(window, *c);
}

} // namespace natter::test
