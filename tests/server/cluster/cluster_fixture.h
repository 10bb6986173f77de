// A cluster on one machine for the multi-node suites: one real redis-server, a fresh database on
// the executable's private PostgreSQL, and N natterd nodes sharing them plus the key files and
// the media directory, each with its own data dir, --node-id and port, so tests pin clients to
// chosen nodes.
#pragma once

#include "natterd_process.h"
#include "redis_process.h"

#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace natter::test {

class Cluster {
public:
    // Starts redis-server and `nodes` natterd processes (extraArgs added to each).
    bool start(int nodes, const QStringList& extraArgs = {});
    NatterdProcess& node(int i) { return *m_nodes.at(static_cast<std::size_t>(i)); }
    RedisProcess& redis() { return m_redis; }
    // The media directory all nodes share.
    QString mediaDir() const { return m_shared.filePath(QStringLiteral("media")); }
    QString errorString() const { return m_error; }

private:
    RedisProcess m_redis;
    QTemporaryDir m_shared;
    std::vector<std::unique_ptr<NatterdProcess>> m_nodes;
    QString m_error;
};

} // namespace natter::test

#define NATTER_CLUSTER(cluster, n, ...) QVERIFY2((cluster).start((n), ##__VA_ARGS__), qPrintable((cluster).errorString()))
