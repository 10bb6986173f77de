// A real natterd told to log to a journal socket (--log-target journal:SOCKET; the test owns
// the socket, as journald would): its records arrive there as datagrams with PRIORITY, the
// subsystem and the ids of the device they are about, no verification code or token among
// them, and they no longer go to stderr.
#include "natterd_process.h"
#include "test_client.h"

#include <QTemporaryDir>
#include <QTest>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

using namespace natter::test;

namespace {

// A Unix datagram socket bound at `path`, in the place of journald's.
class JournalSocket {
public:
    explicit JournalSocket(const QString& path) : fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const QByteArray bytes = path.toLocal8Bit();
        std::memcpy(address.sun_path, bytes.constData(), bytes.size() + 1);
        bound_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    }
    ~JournalSocket() {
        if (fd_ >= 0) ::close(fd_);
    }
    bool bound() const { return bound_; }
    // Reads datagrams until one contains every one of `fields` ("KEY=value"), within timeoutMs;
    // every datagram read is kept in received().
    QByteArray waitFor(const QList<QByteArray>& fields, int timeoutMs) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            pollfd p{fd_, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) != 1) return {};
            QByteArray datagram(65536, '\0');
            const auto n = ::recv(fd_, datagram.data(), datagram.size(), 0);
            if (n <= 0) return {};
            datagram.truncate(int(n));
            received_ += datagram + "\n--\n";
            bool all = true;
            for (const auto& field : fields) all = all && datagram.contains(field + "\n");
            if (all) return datagram;
        }
    }
    QByteArray received() const { return received_; }

private:
    int fd_;
    bool bound_ = false;
    QByteArray received_;
};

} // namespace

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

    const QByteArray opened = journal.waitFor({"PRIORITY=6", "NATTER_SUBSYSTEM=app", "SYSLOG_IDENTIFIER=natterd"}, 10000);
    QVERIFY2(opened.contains("MESSAGE=store open"), journal.received().constData());

    TestClient ann(server);
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    const QByteArray device = QByteArray::number(ann.userId()) + "." + QByteArray::number(ann.deviceId());
    const QByteArray verified = journal.waitFor(
        {"NATTER_SUBSYSTEM=auth", "NATTER_DEVICE=" + device, "NATTER_USER=" + QByteArray::number(ann.userId())}, 10000);
    QVERIFY2(!verified.isEmpty(), journal.received().constData());
    QVERIFY2(verified.contains("verified"), verified.constData());
    QVERIFY(!journal.received().contains(ann.accessToken().toUtf8()));
    QVERIFY(!journal.received().contains(ann.deviceSecret().toUtf8()));
    QVERIFY(!journal.received().contains("123456")); // the verification code
    QVERIFY2(!server.standardError().contains("store open"), server.standardError().constData());
}

QTEST_GUILESS_MAIN(TstJournalLogging)
#include "tst_journal_logging.moc"
