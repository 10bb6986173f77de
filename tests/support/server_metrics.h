// natterd's own figures as a test reads them: one sample from /metrics, and the process's
// memory from /proc, for suites that bound what a client can cost the server.
#pragma once

#include <QString>
#include <QtGlobal>

namespace natter::test {

class TestClient;

// One sample from /metrics: `series` is a name with its labels as natterd prints them, e.g.
// natterd_errors_total or natterd_connections_refused_total{reason="global"}. -1 when absent
// or when /metrics did not answer within timeoutMs.
double metricValue(TestClient& scraper, const QString& series, int timeoutMs = 10000);

// Resident memory of a process now (VmRSS) and at its peak so far (VmHWM), in bytes; -1 when
// /proc/<pid>/status cannot be read.
qint64 residentBytes(qint64 pid);
qint64 peakResidentBytes(qint64 pid);

} // namespace natter::test
