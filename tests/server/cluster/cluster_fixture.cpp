#include "cluster_fixture.h"

#include "postgres_process.h"

namespace natter::test {

bool Cluster::start(int nodes, const QStringList& extraArgs) {
    if (!m_redis.start()) {
        m_error = m_redis.errorString();
        return false;
    }
    if (!m_shared.isValid()) {
        m_error = QStringLiteral("cannot create the shared data directory");
        return false;
    }
    auto& postgres = PostgresProcess::shared();
    if (!postgres.isRunning() && !postgres.start()) {
        m_error = QString::fromStdString(postgres.errorString());
        return false;
    }
    const QString store = QString::fromStdString(postgres.createDatabase());
    if (store.isEmpty()) {
        m_error = QString::fromStdString(postgres.errorString());
        return false;
    }
    // What the nodes of a cluster share besides the database (docs/cluster.md).
    const QStringList shared{QStringLiteral("--jwt-key"), m_shared.filePath(QStringLiteral("jwt.key")),
                             QStringLiteral("--verification-key"), m_shared.filePath(QStringLiteral("verification.key")),
                             QStringLiteral("--media-dir"), m_shared.filePath(QStringLiteral("media"))};
    for (int i = 0; i < nodes; ++i) {
        auto node = std::make_unique<NatterdProcess>(
            QStringList{QStringLiteral("--redis"), m_redis.url(), QStringLiteral("--node-id"), QStringLiteral("n%1").arg(i)} +
            shared + extraArgs);
        node->setStore(store);
        if (!node->start()) {
            m_error = QStringLiteral("node %1: %2").arg(i).arg(node->errorString());
            return false;
        }
        m_nodes.push_back(std::move(node));
    }
    return true;
}

} // namespace natter::test
