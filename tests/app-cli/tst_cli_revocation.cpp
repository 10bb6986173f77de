// A device unlinked from its account (DELETE /api/devices/{id} from another device) stops
// pretending: every natter command on its profile says what happened and how to continue,
// and exits 7; what was still queued is reported as not sent; listen and daemon stop; and
// registering again starts the profile over as a new device that keeps its history.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"
#include "tcp_proxy.h"
#include "test_client.h"

#include "client/crypto/account_identity.h"
#include "client/crypto/memory_key_store.h"
#include "client/crypto/signal_account.h"
#include "protocol/frame_codec.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

constexpr int kRevoked = 7; // natter's exit code for a revoked device (natter --help)

// Runs natter to its end while this process keeps serving events (a TcpProxy in front of natterd).
CliResult runServed(const NatterCli& cli, const QString& profile, const QStringList& args, int timeoutMs = 60000) {
    CliProcess process(cli, profile, args);
    CliResult result;
    result.args = QStringList{"--profile", profile} + args;
    if (!process.start()) return result;
    result.exitCode = process.waitForExit(timeoutMs);
    result.finished = !process.isRunning();
    result.out = process.allOutput();
    result.err = process.standardError();
    return result;
}

// What natter says on every command of the unlinked profile, before anything else.
QString unlinkedNotice(const QString& profile, const QString& phone) {
    return QStringLiteral("This device was unlinked from the account (%2).\n"
                          "Register it again with: natter --profile %1 register %2\n"
                          "or link it from another device (run 'natter link' there) with: natter --profile %1 link --code CODE\n")
        .arg(profile, phone);
}

bool isRevokedError(const QJsonObject& o) {
    return o.value("error").toObject().value("kind").toString() == QLatin1String("revoked");
}

// A phone driven over REST with a real account identity, as natter has one: it publishes its
// keys and signed device list, and seals the identity into the link codes it makes.
struct RawPhone {
    natter::client::crypto::MemoryKeyStore keys; // outlives the account below
    std::unique_ptr<natter::client::crypto::SignalAccount> account;
};

bool publishKeys(TestClient& device, RawPhone& phone) {
    auto account = natter::client::crypto::SignalAccount::open(phone.keys);
    if (!account) return false;
    phone.account = std::move(*account);
    auto upload = phone.account->keysUpload(5);
    if (!upload) return false;
    if (device.rawRequest("PUT", "/api/keys", QByteArray::fromStdString(natter::protocol::serializeBody(*upload))).status != 200)
        return false;
    natter::protocol::rest::SignedDeviceList list{natter::protocol::UserId(device.userId()), 1, upload->identity_key,
                                                  {natter::protocol::DeviceId(device.deviceId())}, {}};
    if (!natter::client::crypto::signDeviceList(*phone.account, list)) return false;
    return device.rawRequest("PUT", "/api/devices/list", QByteArray::fromStdString(natter::protocol::serializeBody(list)))
               .status == 200;
}

// Links a new natter profile to the account of `phone` (a device driven over REST).
QString linkProfile(const NatterCli& cli, TestClient& phone, RawPhone& identity, const QString& profile, const QUrl& server) {
    auto local = identity.account->localIdentity();
    auto sealed = local ? natter::client::crypto::sealIdentity(*local) : natter::client::Expected<natter::client::crypto::SealedIdentity>(local.error());
    if (!sealed) return "seal: " + sealed.error().message;
    const HttpResult code = phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", sealed->provision}});
    if (code.status != 200) return "link-code: " + code.describe();
    const QString full = natter::client::crypto::joinLinkCode(code.object().value("code").toString(), sealed->secret);
    const CliResult linked = runServed(cli, profile, {"--server", server.toString(), "link", "--code", full, "--name", profile});
    return linked.exitCode == 0 ? QString() : "link failed: " + linked.describe();
}

} // namespace

class TstCliRevocation : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void anUnlinkedDeviceSaysSoOnEveryCommandAndReportsWhatWasNotSent();
    void listenAndDaemonStopSayingSoWhenTheirDeviceIsUnlinked();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliRevocation::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliRevocation::cleanupTestCase() { m_server.reset(); }

void TstCliRevocation::anUnlinkedDeviceSaysSoOnEveryCommandAndReportsWhatWasNotSent() {
    NatterCli cli(m_server->baseUrl());
    // Alice's phone is her account's first device (REST); her laptop is a natter profile
    // linked to it, talking to natterd through a proxy that can lose what it sends.
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    TestClient phone(*m_server);
    const QString alice = nextPhone();
    QVERIFY2(phone.signUp(alice, "Alice"), qPrintable(phone.lastError()));
    RawPhone identity;
    QVERIFY(publishKeys(phone, identity));
    const Person bob = person("Bob");
    CLI_STEP(registerProfile(cli, bob));
    CLI_STEP(addContact(cli, bob, Person{QString(), QStringLiteral("Alice"), alice}));
    CLI_STEP(linkProfile(cli, phone, identity, "laptop", proxy.url()));
    const CliResult contact = runServed(cli, "laptop", {"contacts", "add", bob.phone, "--name", "Bob"});
    QVERIFY2(contact.exitCode == 0, qPrintable(contact.describe()));
    const CliResult sent = runServed(cli, "laptop", {"send", "Bob", "hello from the laptop"});
    QVERIFY2(sent.exitCode == 0 && sent.out.contains("sent"), qPrintable(sent.describe()));

    // Written while natterd cannot be reached: it stays queued (exit code 6: unreachable).
    proxy.setDropUpstream(true);
    const CliResult queued = runServed(cli, "laptop", {"send", "Bob", "written while offline"});
    QVERIFY2(queued.exitCode == 6 && queued.out.contains("queued"), qPrintable(queued.describe()));
    proxy.setDropUpstream(false);

    // The phone unlinks the laptop (device 2).
    NATTER_HTTP(phone.request("DELETE", "/api/devices/2"), 204);

    // The next send says so at once instead of queueing, and lists what was not sent.
    const QString notice = unlinkedNotice("laptop", alice);
    const CliResult send = runServed(cli, "laptop", {"send", "Bob", "after the unlink"});
    QVERIFY2(send.exitCode == kRevoked, qPrintable(send.describe()));
    QVERIFY2(send.out.isEmpty(), qPrintable(send.describe()));
    const QStringList lines = QString::fromUtf8(send.err).split('\n');
    QVERIFY2(QString::fromUtf8(send.err).startsWith(notice), qPrintable(send.describe()));
    // Nothing else: no log lines, only the messages that were not sent.
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines[3], QStringLiteral("Not sent (they were still queued):"));
    QVERIFY2(QRegularExpression(QStringLiteral("^  ✗ message \\d+ to Bob: written while offline$")).match(lines[4]).hasMatch(),
             qPrintable(send.describe()));
    QCOMPARE(lines[5], QString());

    // From now on the profile knows it by itself, even with natterd out of reach.
    proxy.setDropUpstream(true);
    const CliResult jsonSend = runServed(cli, "laptop", {"--json", "send", "Bob", "once more"});
    QVERIFY2(jsonSend.exitCode == kRevoked, qPrintable(jsonSend.describe()));
    const QJsonObject error = jsonSend.json().value("error").toObject();
    QCOMPARE(error.value("kind").toString(), QStringLiteral("revoked"));
    QCOMPARE(error.value("reason").toString(), QStringLiteral("unlinked"));
    QCOMPARE(error.value("message").toString(), QStringLiteral("This device was unlinked from the account (%1).").arg(alice));
    QVERIFY2(error.value("how_to_continue").toString().contains("register " + alice), qPrintable(jsonSend.describe()));

    const CliResult whoami = runServed(cli, "laptop", {"whoami"});
    QVERIFY2(whoami.exitCode == kRevoked, qPrintable(whoami.describe()));
    QVERIFY2(whoami.out.contains(alice.toUtf8()) && whoami.out.contains("(unlinked)"), qPrintable(whoami.describe()));
    QVERIFY2(QString::fromUtf8(whoami.err).startsWith(notice), qPrintable(whoami.describe()));
    const CliResult whoamiJson = runServed(cli, "laptop", {"--json", "whoami"});
    QVERIFY2(whoamiJson.exitCode == kRevoked, qPrintable(whoamiJson.describe()));
    QCOMPARE(whoamiJson.json().value("revoked").toString(), QStringLiteral("unlinked"));
    QCOMPARE(whoamiJson.json().value("device_id").toInteger(), 2);

    for (const QStringList& args : {QStringList{"chats"}, QStringList{"history", "Bob"}, QStringList{"devices"},
                                    QStringList{"link"}}) {
        const CliResult r = runServed(cli, "laptop", args);
        QVERIFY2(r.exitCode == kRevoked && QString::fromUtf8(r.err).startsWith(notice), qPrintable(r.describe()));
    }
    const CliResult listen = runServed(cli, "laptop", {"--json", "listen"});
    QVERIFY2(listen.exitCode == kRevoked, qPrintable(listen.describe()));
    QVERIFY2(isRevokedError(QJsonDocument::fromJson(listen.out.trimmed().split('\n').last()).object()), qPrintable(listen.describe()));

    // Registering again starts the profile over as a new device of the account; its history stays.
    proxy.setDropUpstream(false);
    const CliResult again = runServed(cli, "laptop", {"--json", "register", alice, "--code", "123456"});
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(again.json().value("device_id").toInteger(), 3);
    QVERIFY2(!again.json().contains("revoked"), qPrintable(again.describe()));
    const CliResult history = runServed(cli, "laptop", {"--json", "history", "Bob"});
    QVERIFY2(history.exitCode == 0 && messageWithText(history.list("messages"), "hello from the laptop"), qPrintable(history.describe()));
    const CliResult back = runServed(cli, "laptop", {"send", "Bob", "back as a new device"});
    QVERIFY2(back.exitCode == 0 && back.out.contains("sent"), qPrintable(back.describe()));
    QString why;
    QVERIFY2(waitForMessage(cli, bob.profile, "Alice", "back as a new device", &why), qPrintable(why));
    // A working profile still refuses to register over its account.
    const CliResult twice = runServed(cli, "laptop", {"register", alice, "--code", "123456"});
    QVERIFY2(twice.exitCode == 2 && twice.err.contains("already registered"), qPrintable(twice.describe()));
}

void TstCliRevocation::listenAndDaemonStopSayingSoWhenTheirDeviceIsUnlinked() {
    NatterCli cli(m_server->baseUrl());
    TestClient phone(*m_server);
    const QString alice = nextPhone();
    QVERIFY2(phone.signUp(alice, "Alice"), qPrintable(phone.lastError()));
    RawPhone identity;
    QVERIFY(publishKeys(phone, identity));
    CLI_STEP(linkProfile(cli, phone, identity, "laptop", m_server->baseUrl())); // device 2
    CLI_STEP(linkProfile(cli, phone, identity, "tablet", m_server->baseUrl())); // device 3

    CliProcess listen(cli, "laptop", {"--json", "listen"});
    QVERIFY(listen.start());
    QVERIFY2(listen.waitForJson([](const QJsonObject& o) { return o.value("listen").toString() == "ready"; }),
             qPrintable(listen.describe()));
    QVERIFY2(listen.waitForJson([](const QJsonObject& o) {
                 return o.value("type").toString() == "connection" && o.value("state").toString() == "online";
             }),
             qPrintable(listen.describe()));
    CliProcess daemon(cli, "tablet", {"--json", "daemon"});
    QVERIFY(daemon.start());
    QVERIFY2(daemon.waitForJson([](const QJsonObject& o) { return o.value("daemon").toString() == "ready"; }),
             qPrintable(daemon.describe()));
    // A listen on the tablet goes through the daemon's socket.
    CliProcess viaDaemon(cli, "tablet", {"--json", "listen"});
    QVERIFY(viaDaemon.start());
    QVERIFY2(viaDaemon.waitForJson([](const QJsonObject& o) { return o.value("listen").toString() == "ready"; }),
             qPrintable(viaDaemon.describe()));

    NATTER_HTTP(phone.request("DELETE", "/api/devices/2"), 204);
    NATTER_HTTP(phone.request("DELETE", "/api/devices/3"), 204);

    QCOMPARE(listen.waitForExit(), kRevoked);
    const auto ended = listen.waitForJson([](const QJsonObject& o) { return o.value("type").toString() == "session_ended"; }, 0);
    QVERIFY2(ended && ended->value("revoked").toString() == "unlinked", qPrintable(listen.describe()));
    QVERIFY2(listen.waitForJson(isRevokedError, 0), qPrintable(listen.describe()));

    QCOMPARE(daemon.waitForExit(), kRevoked);
    QVERIFY2(daemon.waitForJson(isRevokedError, 0), qPrintable(daemon.describe()));
    QVERIFY2(!QFile::exists(cli.socketPath("tablet")), "the daemon's socket outlived it");
    QCOMPARE(viaDaemon.waitForExit(), kRevoked);
    QVERIFY2(viaDaemon.waitForJson(isRevokedError, 0), qPrintable(viaDaemon.describe()));
    // Without the daemon, the tablet's commands run here and know it too.
    const CliResult whoami = runServed(cli, "tablet", {"--json", "whoami"});
    QVERIFY2(whoami.exitCode == kRevoked && whoami.json().value("revoked").toString() == "unlinked", qPrintable(whoami.describe()));
}

QTEST_GUILESS_MAIN(TstCliRevocation)
#include "tst_cli_revocation.moc"
