// `natter export --out DIR [--format html|json] [--chat CHAT]` (issue 15): every chat as a web
// page (or JSON) with who, when, receipts and the files decrypted next to it; nothing of the
// chat's text can run as markup; a folder in use or an unknown format is refused.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstCliExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void htmlExportHasEveryChatWithItsFilesDecryptedAndTextThatCannotRunAsMarkup();
    void jsonExportOfOneChatHoldsSendersReceiptsAndFilePaths();
    void folderInUseOrUnknownFormatIsRefused();

private:
    // Alice, Bob and Carol, a group of the three, a message each way and a file from Bob;
    // waits until the file reached Alice.
    QString setUp(const NatterCli& cli, const Person& alice, const Person& bob, const Person& carol);

    std::unique_ptr<NatterdProcess> m_server;
    QTemporaryDir m_files;
};

void TstCliExport::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliExport::cleanupTestCase() { m_server.reset(); }

QString TstCliExport::setUp(const NatterCli& cli, const Person& alice, const Person& bob, const Person& carol) {
    if (QString problem = befriend(cli, {alice, bob, carol}); !problem.isEmpty()) return problem;
    const auto ok = [&](const Person& who, const QStringList& args) {
        const CliResult r = cli.run(who.profile, args);
        return r.exitCode == 0 ? QString() : r.describe();
    };
    const QString file = m_files.filePath(alice.profile + "-notes.txt");
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly)) return "cannot write " + file;
    f.write("the plan, in plain text");
    f.close();
    for (const QString& problem :
         {ok(alice, {"send", "Bob", "<script>alert(1)</script> & see you at 8"}), ok(bob, {"send", "Alice", "deal"}),
          ok(bob, {"send", "Alice", "--file", file, "--caption", "read this"}),
          ok(alice, {"group", "create", "Climbing " + alice.profile, "Bob", "Carol"})})
        if (!problem.isEmpty()) return problem;
    if (QString problem = ok(carol, {"send", "Climbing " + alice.profile, "rope is packed"}); !problem.isEmpty()) return problem;
    QString why;
    if (!waitForMessage(cli, alice.profile, "Bob", "read this", &why)) return why;
    if (!waitForMessage(cli, alice.profile, "Climbing " + alice.profile, "rope is packed", &why)) return why;
    return {};
}

void TstCliExport::htmlExportHasEveryChatWithItsFilesDecryptedAndTextThatCannotRunAsMarkup() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob"), carol = person("Carol");
    CLI_STEP(setUp(cli, alice, bob, carol));
    const QString out = m_files.filePath("alice-html");
    CLI_OK(exported, cli.run(alice.profile, {"export", "--out", out}));
    QVERIFY2(exported.out.contains("Exported 2 chat(s)"), qPrintable(exported.describe()));
    QVERIFY2(exported.err.contains("not encrypted"), qPrintable(exported.describe()));
    QCOMPARE(QFileInfo(out).permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::ExeOther), QFile::Permissions());

    const QByteArray index = readAll(out + "/index.html");
    QVERIFY2(index.contains("Bob") && index.contains("Climbing " + alice.profile.toUtf8()), index.constData());
    const QStringList pages = QDir(out + "/chats").entryList({"*.html"}, QDir::Files);
    QCOMPARE(pages.size(), 2);
    QByteArray direct, group;
    for (const QString& page : pages) {
        const QByteArray html = readAll(out + "/chats/" + page);
        QVERIFY2(index.contains(("chats/" + page).toUtf8()), qPrintable(page));
        (html.contains("rope is packed") ? group : direct) = html;
    }
    QVERIFY2(direct.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; see you at 8"), direct.constData());
    QVERIFY2(!direct.contains("<script>"), "the chat's text became markup");
    QVERIFY2(direct.contains("deal") && direct.contains("read this") && direct.contains("delivered"), direct.constData());
    QVERIFY2(group.contains("Carol") && group.contains("rope is packed"), group.constData());

    const QStringList files = QDir(out + "/files").entryList(QDir::Files);
    QCOMPARE(files.size(), 1);
    QVERIFY2(direct.contains(("../files/" + files.front()).toUtf8()), direct.constData());
    QCOMPARE(readAll(out + "/files/" + files.front()), QByteArray("the plan, in plain text"));
}

void TstCliExport::jsonExportOfOneChatHoldsSendersReceiptsAndFilePaths() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob"), carol = person("Carol");
    CLI_STEP(setUp(cli, alice, bob, carol));
    CLI_OK(readByBob, cli.run(bob.profile, {"read", "Alice"}));
    const QString out = m_files.filePath("alice-json");
    CLI_OK(exported, cli.run(alice.profile, {"--json", "export", "--out", out, "--format", "json", "--chat", "Bob"}));
    QCOMPARE(exported.json().value("chats").toInt(), 1);
    QCOMPARE(exported.json().value("files").toInt(), 1);

    const QJsonObject index = QJsonDocument::fromJson(readAll(out + "/index.json")).object();
    QCOMPARE(index.value("chats").toArray().size(), 1);
    const QString chatFile = index.value("chats").toArray().first().toObject().value("file").toString();
    const QJsonObject chat = QJsonDocument::fromJson(readAll(out + "/" + chatFile)).object();
    QCOMPARE(chat.value("chat").toObject().value("title").toString(), QStringLiteral("Bob"));
    const QJsonArray messages = chat.value("messages").toArray();
    QCOMPARE(messages.size(), 3);
    const QJsonObject mine = messages.at(0).toObject();
    QVERIFY(mine.value("outgoing").toBool());
    QCOMPARE(mine.value("text").toString(), QStringLiteral("<script>alert(1)</script> & see you at 8"));
    const QJsonObject fromBob = messages.at(2).toObject();
    QCOMPARE(fromBob.value("sender").toString(), QStringLiteral("Bob"));
    const QString path = fromBob.value("file").toObject().value("path").toString();
    QVERIFY2(path.startsWith("files/"), qPrintable(path));
    QCOMPARE(readAll(out + "/" + path), QByteArray("the plan, in plain text"));
    // Bob read it: the receipt is in the export.
    bool read = false;
    for (int attempt = 0; attempt < 20 && !read; ++attempt) {
        QString why;
        const auto h = history(cli, alice.profile, "Bob", &why);
        read = h && h->at(0).toObject().value("state").toString() == "read";
    }
    QVERIFY2(read, "Alice never saw Bob's read receipt");
    const QString again = m_files.filePath("alice-json-2");
    CLI_OK(second, cli.run(alice.profile, {"export", "--out", again, "--format", "json", "--chat", "Bob"}));
    const QJsonObject chat2 = QJsonDocument::fromJson(readAll(again + "/" + chatFile)).object();
    QCOMPARE(chat2.value("messages").toArray().at(0).toObject().value("state").toString(), QStringLiteral("read"));
}

void TstCliExport::folderInUseOrUnknownFormatIsRefused() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    const QString used = m_files.filePath("in-use");
    QVERIFY(QDir().mkpath(used));
    QFile keep(used + "/thesis.tex");
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.write("mine");
    keep.close();
    const CliResult refused = cli.run(alice.profile, {"export", "--out", used});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("not an empty folder"), qPrintable(refused.describe()));
    QCOMPARE(QDir(used).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList({"thesis.tex"}));

    const CliResult pdf = cli.run(alice.profile, {"export", "--out", m_files.filePath("pdf"), "--format", "pdf"});
    QCOMPARE(pdf.exitCode, 2);
    QVERIFY(!QFileInfo::exists(m_files.filePath("pdf")));
    const CliResult unknownChat = cli.run(alice.profile, {"export", "--out", m_files.filePath("nobody"), "--chat", "Nobody"});
    QCOMPARE(unknownChat.exitCode, 5);
    QVERIFY(!QFileInfo::exists(m_files.filePath("nobody")));
}

QTEST_GUILESS_MAIN(TstCliExport)
#include "tst_cli_export.moc"
