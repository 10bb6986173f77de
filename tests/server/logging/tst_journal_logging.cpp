// A real natterd told to log to a journal socket (--log-target journal:SOCKET; the test owns
// the socket, as journald would): its records arrive there as datagrams with PRIORITY, the
// subsystem and the ids of the device they are about, no verification code or token among
// them, and they no longer go to stderr.
#include "journal_socket.h"
#include "natterd_process.h"
#include "test_client.h"

#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;

class TstJournalLogging : public QObject {
    Q_OBJECT
private slots:
    void recordsReachTheJournalSocketWithPrioritySubsystemAndDeviceIds();
};

void TstJournalLogging::recordsReachTheJournalSocketWithPrioritySubsystemAndDeviceIds() {
    QTemporaryDir dir;
    const QString path = dir.filePath("journal.socket");
    JournalSocket journal(path);
    QVERIFY(journal.bound());
    NatterdProcess server({"--log-target", "journal:" + path});
    NATTER_START(server);

    const QByteArray opened = journal.waitFor(
        {"PRIORITY=6\n", "NATTER_SUBSYSTEM=app\n", "SYSLOG_IDENTIFIER=natterd\n", "MESSAGE=store open"}, 10000);
    QVERIFY2(!opened.isEmpty(), journal.received().constData());

    TestClient ann(server);
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    const QByteArray device = QByteArray::number(ann.userId()) + "." + QByteArray::number(ann.deviceId());
    const QByteArray verified = journal.waitFor(
        {"NATTER_SUBSYSTEM=auth\n", "NATTER_DEVICE=" + device + "\n", "NATTER_USER=" + QByteArray::number(ann.userId()) + "\n"},
        10000);
    QVERIFY2(!verified.isEmpty(), journal.received().constData());
    QVERIFY2(verified.contains("verified"), verified.constData());
    QVERIFY(!journal.received().contains(ann.accessToken().toUtf8()));
    QVERIFY(!journal.received().contains(ann.deviceSecret().toUtf8()));
    QVERIFY(!journal.received().contains("123456")); // the verification code
    QVERIFY2(!server.standardError().contains("store open"), server.standardError().constData());
}

QTEST_GUILESS_MAIN(TstJournalLogging)
#include "tst_journal_logging.moc"
