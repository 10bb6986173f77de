#include "server_metrics.h"

#include "test_client.h"

#include <QFile>
#include <QRegularExpression>

namespace natter::test {

namespace {

// A "Name:   1234 kB" line of /proc/<pid>/status, in bytes.
qint64 statusBytes(qint64 pid, const QString& field) {
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly)) return -1;
    const QRegularExpression re(QStringLiteral("^%1:\\s+(\\d+) kB$").arg(field), QRegularExpression::MultilineOption);
    const auto m = re.match(QString::fromUtf8(status.readAll()));
    return m.hasMatch() ? m.captured(1).toLongLong() * 1024 : -1;
}

} // namespace

double metricValue(TestClient& scraper, const QString& series, int timeoutMs) {
    const HttpResult r = scraper.request("GET", "/metrics", QJsonDocument(), timeoutMs);
    if (r.status != 200) return -1;
    const QRegularExpression re(QStringLiteral("^%1 ([-+0-9.eE]+)$").arg(QRegularExpression::escape(series)),
                                QRegularExpression::MultilineOption);
    const auto m = re.match(QString::fromUtf8(r.body));
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

qint64 residentBytes(qint64 pid) { return statusBytes(pid, QStringLiteral("VmRSS")); }

qint64 peakResidentBytes(qint64 pid) { return statusBytes(pid, QStringLiteral("VmHWM")); }

} // namespace natter::test
