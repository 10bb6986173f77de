#include "cluster_fixture.h"

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
    const QString dataDir = m_shared.filePath(QStringLiteral("data"));
    for (int i = 0; i < nodes; ++i) {
        auto node = std::make_unique<NatterdProcess>(
            QStringList{QStringLiteral("--redis"), m_redis.url(), QStringLiteral("--node-id"), QStringLiteral("n%1").arg(i)} +
            extraArgs);
        node->setDataDir(dataDir);
        if (!node->start()) {
            m_error = QStringLiteral("node %1: %2").arg(i).arg(node->errorString());
            return false;
        }
        m_nodes.push_back(std::move(node));
    }
    return true;
}

} // namespace natter::test
