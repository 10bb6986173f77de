// One benchmark run's figures and how they are printed: a human table row or one JSON
// object per run (scenario, ok, sizes, ops_per_s, us_per_op, p50_us, p99_us, cpu_s, ...).
#pragma once

#include <QJsonObject>
#include <QString>

#include <vector>

namespace natter::benchclient {

struct RunResult {
    QString scenario;
    QString variant;          // e.g. "memory" / "sqlcipher", "autocommit" / "batch"
    bool ok = false;
    QString error;            // why it failed (ok == false)
    QJsonObject sizes;        // the run's sizes, e.g. {"messages": 10000}
    double ops = 0;           // operations measured
    double opsPerS = 0;
    double usPerOp = 0;
    double p50Us = 0;         // per operation, where meaningful (0 otherwise)
    double p99Us = 0;
    double cpuS = 0;          // CPU seconds of the measured phase (ours or the children's)
    double wallS = 0;         // wall seconds of the measured phase
    QJsonObject extras;       // scenario-specific figures
};

// Latency samples in microseconds; percentile() sorts a copy (nearest-rank).
double percentile(std::vector<double> samples, double p);
void setLatencies(RunResult& r, const std::vector<double>& samplesUs);

QJsonObject toJson(const RunResult& r);
// One line per run; extras indented on the next line.
QString toTableRow(const RunResult& r);
QString tableHeader();

// The 1-minute load average (other builds share this machine).
double loadAverage1();

} // namespace natter::benchclient
