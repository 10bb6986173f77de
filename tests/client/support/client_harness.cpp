#include "client_harness.h"

#include "natterd_process.h"
#include "test_client.h"

#include "client/store/database.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"
#include "protocol/identifiers.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

namespace natter::test {

using client::Client;

namespace {
const QString kCode = QStringLiteral("123456");
}

ClientHarness::ClientHarness(QUrl server) : m_server(std::move(server)) {
    qputenv("NATTER_PASSPHRASE", "correct horse battery staple");
    qputenv("NATTER_NO_KEYCHAIN", "1");
}

ClientHarness::~ClientHarness() {
    const auto names = m_clients.keys();
    for (const auto& name : names) close(name);
}

QString ClientHarness::profileDir(const QString& name) const {
    return m_root.path() + QStringLiteral("/natter/profiles/") + name;
}

Client* ClientHarness::open(const QString& name) {
    Client::Options options;
    options.profile = name;
    options.dataRoot = m_root.path();
    options.server = m_server;
    options.clock = m_clock;
    auto opened = Client::open(options);
    if (!opened) {
        m_error = QStringLiteral("open %1: %2").arg(name, opened.error().message);
        return nullptr;
    }
    Client* c = opened->release();
    m_clients.insert(name, c);
    return c;
}

Client* ClientHarness::get(const QString& name) const { return m_clients.value(name); }

void ClientHarness::close(const QString& name) { delete m_clients.take(name); }

bool ClientHarness::waitSynced(Client* c, int timeoutMs) {
    if (c->isSynced()) return true;
    QSignalSpy spy(c, &Client::synced);
    return spy.wait(timeoutMs) || c->isSynced();
}

Client* ClientHarness::signUp(const QString& name, const QString& phone, const QString& displayName) {
    Client* c = open(name);
    if (!c) return nullptr;
    auto code = await<void>([&](auto done) { c->requestCode(phone, done); });
    auto verified = code ? await<void>([&](auto done) { c->verify(phone, kCode, displayName, done); }) : code;
    if (!verified) {
        m_error = QStringLiteral("sign up %1: %2").arg(phone, verified.error().message);
        return nullptr;
    }
    c->connectToServer();
    if (!waitSynced(c)) {
        m_error = QStringLiteral("%1 never synced").arg(name);
        return nullptr;
    }
    return c;
}

Client* ClientHarness::reopen(const QString& name, bool connect) {
    close(name);
    Client* c = open(name);
    if (!c || !connect) return c;
    c->connectToServer();
    if (!waitSynced(c)) {
        m_error = QStringLiteral("%1 never synced after reopening").arg(name);
        return nullptr;
    }
    return c;
}

Client* ClientHarness::link(Client* existing, const QString& name) { return link(existing, name, false); }

Client* ClientHarness::link(Client* existing, const QString& name, bool withHistory) {
    auto code = await<QString>([&](auto done) { existing->createLinkCode(done); });
    if (!code) {
        m_error = QStringLiteral("link code: %1").arg(code.error().message);
        return nullptr;
    }
    Client* c = open(name);
    if (!c) return nullptr;
    auto linked = await<void>([&](auto done) { c->linkWithCode(*code, name, withHistory, done); });
    if (!linked) {
        m_error = QStringLiteral("link: %1").arg(linked.error().message);
        return nullptr;
    }
    c->connectToServer();
    if (!waitSynced(c)) {
        m_error = QStringLiteral("%1 never synced").arg(name);
        return nullptr;
    }
    return c;
}

bool ClientHarness::befriend(Client* a, const QString& nameOfB, Client* b, const QString& nameOfA) {
    auto ab = await<client::ContactRecord>([&](auto done) { a->addContact(b->account().phone, nameOfB, done); });
    auto ba = await<client::ContactRecord>([&](auto done) { b->addContact(a->account().phone, nameOfA, done); });
    if (!ab || !ba) {
        m_error = QStringLiteral("befriend: %1").arg(!ab ? ab.error().message : ba.error().message);
        return false;
    }
    return true;
}

QString ClientHarness::directChat(Client* a, Client* b) {
    return QString::fromStdString(protocol::directChatId(a->account().userId, b->account().userId));
}

QList<client::MessageRecord> ClientHarness::messagesOf(Client* c, const QString& chatId) {
    auto page = c->store().messages().page(chatId, 1000, 0);
    QList<client::MessageRecord> out;
    if (page)
        for (auto& m : *page) out.push_back(m);
    return out;
}

std::optional<client::MessageRecord> ClientHarness::findMessage(Client* c, const QString& chatId, const QString& text) {
    const auto all = messagesOf(c, chatId);
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (it->text == text) return *it;
    return std::nullopt;
}

std::optional<client::MessageRecord> ClientHarness::byServerId(Client* c, quint64 messageId) {
    auto m = c->store().messages().byMessageId(messageId);
    return m && *m ? *m : std::nullopt;
}

quint64 ClientHarness::sendAndWait(Client* from, Client* to, const QString& chatId, const QString& text) {
    if (!from->sendText(chatId, text)) return 0;
    if (!QTest::qWaitFor([&] { return findMessage(to, chatId, text).has_value(); }, 10000)) return 0;
    return findMessage(to, chatId, text)->messageId;
}

std::unique_ptr<TestClient> actAs(const NatterdProcess& server, Client* device) {
    auto raw = std::make_unique<TestClient>(server);
    auto token = raw->rawRequest("POST", "/api/token",
                                 QStringLiteral(R"({"user_id":%1,"device_id":%2,"device_secret":"%3"})")
                                     .arg(device->account().userId)
                                     .arg(device->account().deviceId)
                                     .arg(QString::fromUtf8(device->account().deviceSecret))
                                     .toUtf8(),
                                 false);
    if (token.status != 200) return nullptr;
    raw->setAccessToken(token.object().value("access_token").toString());
    return raw;
}

QStringList ClientHarness::storeValuesContaining(const QString& name, const QByteArray& needle) {
    close(name);
    auto store = client::store::ProfileStore::open(name, dataRoot(), {});
    if (!store) return {QStringLiteral("cannot open: ") + store.error().message};
    auto& db = (*store)->database();
    QStringList found;
    QStringList tables;
    auto list = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    if (!list) return {QStringLiteral("cannot list the tables: ") + list.error().message};
    for (auto row = list->step(); row && *row; row = list->step()) tables << list->text(0);
    for (const QString& table : tables) {
        // PRAGMA table_info (column 1: the name): SQLCipher's SQLite predates the pragma_table_info() function.
        auto columns = db.prepare(("PRAGMA table_info(\"" + table + "\")").toStdString());
        if (!columns) return {QStringLiteral("cannot list the columns of ") + table + ": " + columns.error().message};
        QStringList names;
        for (auto row = columns->step(); row && *row; row = columns->step()) names << columns->text(1);
        if (names.isEmpty()) return {QStringLiteral("no columns in ") + table};
        for (const QString& column : names) {
            auto rows = db.prepare(("SELECT CAST(\"" + column + "\" AS BLOB) FROM \"" + table + "\"").toStdString());
            if (!rows) return {QStringLiteral("cannot read ") + table + "." + column + ": " + rows.error().message};
            for (auto row = rows->step(); row && *row; row = rows->step())
                if (rows->blob(0).toLower().contains(needle.toLower())) found << table + "." + column;
        }
    }
    return found;
}

QStringList filesContaining(const QString& dir, const QByteArray& needle) {
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle)) hits << path;
    }
    return hits;
}

} // namespace natter::test

namespace natter::test {

ClientWorld::ClientWorld(QStringList natterdArgs, std::shared_ptr<client::Clock> clock)
    : m_server(std::make_unique<NatterdProcess>(std::move(natterdArgs))), m_clock(std::move(clock)) {}

ClientWorld::~ClientWorld() {
    m_clients.reset();
    m_server->printStderrIfTestFailed();
}

bool ClientWorld::start(const QList<User>& users) {
    if (!m_server->start()) {
        m_error = m_server->errorString();
        return false;
    }
    m_clients = std::make_unique<ClientHarness>(m_server->baseUrl());
    m_clients->setClock(m_clock);
    for (const auto& u : users) {
        if (!m_clients->signUp(u.name.toLower(), u.phone, u.name)) {
            m_error = m_clients->lastError();
            return false;
        }
    }
    for (int i = 0; i < users.size(); ++i)
        for (int j = i + 1; j < users.size(); ++j)
            if (!m_clients->befriend(user(users[i].name), users[j].name, user(users[j].name), users[i].name)) {
                m_error = m_clients->lastError();
                return false;
            }
    return true;
}

} // namespace natter::test
