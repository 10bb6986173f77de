// Formatting of RunResult as a table row or one compact JSON object per run.
#include "report.h"

#include <QFile>
#include <QJsonDocument>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace natter::benchclient {

double percentile(std::vector<double> samples, double p) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(samples.size())));
    return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

void setLatencies(RunResult& r, const std::vector<double>& samplesUs) {
    r.p50Us = percentile(samplesUs, 50);
    r.p99Us = percentile(samplesUs, 99);
    r.extras.insert(QStringLiteral("max_us"), percentile(samplesUs, 100));
    r.extras.insert(QStringLiteral("samples"), double(samplesUs.size()));
}

double loadAverage1() {
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly)) return 0;
    return f.readLine().split(' ').value(0).toDouble();
}

namespace {

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

// Microseconds as the most readable unit.
QString duration(double us) {
    if (us >= 10'000) return QString::number(us / 1000.0, 'f', 1) + QStringLiteral(" ms");
    return QString::number(us, 'f', us >= 100 ? 0 : 1) + QStringLiteral(" µs");
}

QString compact(const QJsonObject& o) {
    QStringList parts;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonValue v = it.value();
        QString text;
        if (v.isDouble() && v.toDouble() == std::floor(v.toDouble()) && std::abs(v.toDouble()) < 1e15)
            text = QString::number(qint64(v.toDouble()));
        else if (v.isDouble()) text = QString::number(v.toDouble(), 'g', 6);
        else if (v.isString()) text = v.toString();
        else text = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        parts << it.key() + QLatin1Char('=') + text;
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

QJsonObject toJson(const RunResult& r) {
    QJsonObject o{{QStringLiteral("scenario"), r.scenario},
                  {QStringLiteral("variant"), r.variant},
                  {QStringLiteral("ok"), r.ok},
                  {QStringLiteral("sizes"), r.sizes},
                  {QStringLiteral("ops"), r.ops},
                  {QStringLiteral("ops_per_s"), round3(r.opsPerS)},
                  {QStringLiteral("us_per_op"), round3(r.usPerOp)},
                  {QStringLiteral("p50_us"), round3(r.p50Us)},
                  {QStringLiteral("p99_us"), round3(r.p99Us)},
                  {QStringLiteral("cpu_s"), round3(r.cpuS)},
                  {QStringLiteral("wall_s"), round3(r.wallS)},
                  {QStringLiteral("load1"), loadAverage1()}};
    if (!r.error.isEmpty()) o.insert(QStringLiteral("error"), r.error);
    for (auto it = r.extras.begin(); it != r.extras.end(); ++it) {
        const QJsonValue v = it.value();
        o.insert(it.key(), v.isDouble() ? QJsonValue(round3(v.toDouble())) : v);
    }
    return o;
}

QString tableHeader() {
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
        .arg(QStringLiteral("scenario"), -22)
        .arg(QStringLiteral("sizes"), -28)
        .arg(QStringLiteral("ops/s"), 10)
        .arg(QStringLiteral("per op"), 10)
        .arg(QStringLiteral("p50"), 10)
        .arg(QStringLiteral("p99"), 10)
        .arg(QStringLiteral("cpu s"), 7)
        .arg(QStringLiteral("load"), 5);
}

QString toTableRow(const RunResult& r) {
    const QString name = r.variant.isEmpty() ? r.scenario : r.scenario + QLatin1Char('/') + r.variant;
    if (!r.ok) return QStringLiteral("%1 %2 FAILED: %3").arg(name, -22).arg(compact(r.sizes), -28).arg(r.error);
    QString row = QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                      .arg(name, -22)
                      .arg(compact(r.sizes), -28)
                      .arg(QString::number(r.opsPerS, 'f', r.opsPerS >= 100 ? 0 : 2), 10)
                      .arg(duration(r.usPerOp), 10)
                      .arg(r.p50Us > 0 ? duration(r.p50Us) : QStringLiteral("-"), 10)
                      .arg(r.p99Us > 0 ? duration(r.p99Us) : QStringLiteral("-"), 10)
                      .arg(QString::number(r.cpuS, 'f', 2), 7)
                      .arg(QString::number(loadAverage1(), 'f', 2), 5);
    if (!r.extras.isEmpty()) row += QStringLiteral("\n    ") + compact(r.extras);
    return row;
}

} // namespace natter::benchclient
