// natterd's records in the systemd journal: the level becomes PRIORITY, the logger the
// subsystem, the ids the text names become fields (never anything else), values are encoded in
// the journal's native datagram form, and the sink sends to the socket it was given (one the
// test owns) or, when nothing takes the datagram, writes the record to stderr.
#include "journal_socket.h"
#include "logging/journal_fields.h"
#include "logging/journal_sink.h"

#include <spdlog/logger.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <cstdio>
#include <map>

using namespace natter::server::log;

Q_DECLARE_METATYPE(spdlog::level::level_enum)

namespace {

std::map<std::string, std::string> asMap(const JournalFields& fields) {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : fields) {
        if (out.count(key)) qWarning("field %s twice", key.c_str());
        out[key] = value;
    }
    return out;
}

} // namespace

class TstJournalFields : public QObject {
    Q_OBJECT
private slots:
    void levelsBecomeSyslogPriorities_data();
    void levelsBecomeSyslogPriorities();
    void aRecordAboutADeviceCarriesTheDeviceAndItsAccount();
    void aNamedUserWinsOverTheAccountOfTheDeviceNamed();
    void aRecordAboutAChatCarriesTheChat();
    void aRecordNamingNoIdsCarriesNone();
    void valuesWithANewlineAreSentLengthPrefixed();
    void theSinkSendsEachRecordToTheSocketItWasGiven();
    void withNothingAtTheSocketTheRecordGoesToStderr();
};

void TstJournalFields::levelsBecomeSyslogPriorities_data() {
    QTest::addColumn<spdlog::level::level_enum>("level");
    QTest::addColumn<QString>("priority");
    QTest::newRow("trace") << spdlog::level::trace << "7";
    QTest::newRow("debug") << spdlog::level::debug << "7";
    QTest::newRow("info") << spdlog::level::info << "6";
    QTest::newRow("warn") << spdlog::level::warn << "4";
    QTest::newRow("error") << spdlog::level::err << "3";
    QTest::newRow("critical") << spdlog::level::critical << "2";
}

void TstJournalFields::levelsBecomeSyslogPriorities() {
    QFETCH(spdlog::level::level_enum, level);
    QFETCH(QString, priority);
    const auto fields = asMap(journalFields({level, "store", "batch of 3 could not be committed: disk I/O error"}));
    QCOMPARE(QString::fromStdString(fields.at("PRIORITY")), priority);
    QCOMPARE(fields.at("NATTER_SUBSYSTEM"), std::string("store"));
    QCOMPARE(fields.at("SYSLOG_IDENTIFIER"), std::string("natterd"));
}

void TstJournalFields::aRecordAboutADeviceCarriesTheDeviceAndItsAccount() {
    const std::string text = "giving up waking device 12.3 via push.example.org after 6 attempts: HTTP 503";
    const auto fields = asMap(journalFields({spdlog::level::warn, "push", text}));
    QCOMPARE(fields.at("MESSAGE"), text);
    QCOMPARE(fields.at("NATTER_DEVICE"), std::string("12.3"));
    QCOMPARE(fields.at("NATTER_USER"), std::string("12"));
    QCOMPARE(fields.at("PRIORITY"), std::string("4"));
    QVERIFY(!fields.count("NATTER_CHAT"));
}

void TstJournalFields::aNamedUserWinsOverTheAccountOfTheDeviceNamed() {
    const auto fields = asMap(journalFields(
        {spdlog::level::info, "delivery", "user 7 fetched the bundle of device 9.2 beyond its share: one-time pre-keys withheld"}));
    QCOMPARE(fields.at("NATTER_USER"), std::string("7"));
    QCOMPARE(fields.at("NATTER_DEVICE"), std::string("9.2"));
}

void TstJournalFields::aRecordAboutAChatCarriesTheChat() {
    auto fields = asMap(journalFields(
        {spdlog::level::info, "push", "wake-up for device 4.1: chat dm:1:4, badge 3 (endpoint host push.example.org)"}));
    QCOMPARE(fields.at("NATTER_CHAT"), std::string("dm:1:4"));
    QCOMPARE(fields.at("NATTER_DEVICE"), std::string("4.1"));
    fields = asMap(journalFields({spdlog::level::info, "delivery", "chat g:Q3x_9-kT renamed by device 2.1"}));
    QCOMPARE(fields.at("NATTER_CHAT"), std::string("g:Q3x_9-kT"));
}

void TstJournalFields::aRecordNamingNoIdsCarriesNone() {
    const auto fields = journalFields({spdlog::level::info, "app", "store open (SQLite /var/lib/natter/natterd.db): 12 messages"});
    QStringList keys;
    for (const auto& [key, value] : fields) keys << QString::fromStdString(key);
    QCOMPARE(keys, (QStringList{"PRIORITY", "SYSLOG_IDENTIFIER", "NATTER_SUBSYSTEM", "MESSAGE"}));
}

void TstJournalFields::valuesWithANewlineAreSentLengthPrefixed() {
    const std::string datagram = encodeJournalDatagram({{"MESSAGE", "two\nlines"}, {"PRIORITY", "6"}});
    const std::string expected = std::string("MESSAGE\n") + std::string("\x09\0\0\0\0\0\0\0", 8) + "two\nlines\n" +
                                 "PRIORITY=6\n";
    QCOMPARE(QByteArray::fromStdString(datagram), QByteArray::fromStdString(expected));
}

void TstJournalFields::theSinkSendsEachRecordToTheSocketItWasGiven() {
    QTemporaryDir dir;
    const QString path = dir.filePath("journal.socket");
    natter::test::JournalSocket journal(path);
    QVERIFY(journal.bound());
    spdlog::logger logger("push", std::make_shared<JournalSink>(path.toStdString()));
    logger.warn("device {}.{} silent for {}s; closing", 5, 1, 45);
    const QByteArray datagram = journal.receive(10000);
    QVERIFY2(datagram.contains("PRIORITY=4\n"), datagram.constData());
    QVERIFY2(datagram.contains("NATTER_SUBSYSTEM=push\n"), datagram.constData());
    QVERIFY2(datagram.contains("NATTER_DEVICE=5.1\n"), datagram.constData());
    QVERIFY2(datagram.contains("NATTER_USER=5\n"), datagram.constData());
    QVERIFY2(datagram.contains("MESSAGE=device 5.1 silent for 45s; closing\n"), datagram.constData());
}

void TstJournalFields::withNothingAtTheSocketTheRecordGoesToStderr() {
    QTemporaryDir dir;
    const QString captured = dir.filePath("stderr.txt");
    std::fflush(stderr);
    const int saved = ::dup(STDERR_FILENO);
    FILE* file = std::fopen(captured.toLocal8Bit().constData(), "w");
    QVERIFY(saved >= 0 && file);
    ::dup2(::fileno(file), STDERR_FILENO);
    {
        spdlog::logger logger("store", std::make_shared<JournalSink>(dir.filePath("nobody-listens").toStdString()));
        logger.error("batch of {} could not be committed", 3);
    }
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    std::fclose(file);
    QFile out(captured);
    QVERIFY(out.open(QIODevice::ReadOnly));
    const QByteArray text = out.readAll();
    QVERIFY2(text.contains("batch of 3 could not be committed"), text.constData());
}

QTEST_GUILESS_MAIN(TstJournalFields)
#include "tst_journal_fields.moc"
