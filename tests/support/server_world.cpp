#include "server_world.h"

#include <QtGlobal>

#include <utility>

namespace natter::test {

ServerWorld::ServerWorld(QStringList natterdArgs) : m_server(std::move(natterdArgs)) {}

bool ServerWorld::start(const QStringList& names, Sessions sessions) {
    if (!m_server.start()) {
        m_error = QStringLiteral("start natterd: ") + m_server.errorString();
        return false;
    }
    for (const QString& name : names) {
        m_names << name;
        TestClient& u = *m_users.emplace_back(std::make_unique<TestClient>(m_server));
        if (!u.signUp(phoneNumber(int(m_names.size())), name)) {
            m_error = QStringLiteral("sign up %1: %2").arg(name, u.lastError());
            return false;
        }
    }
    if (sessions == Sessions::None) return true;
    for (qsizetype i = 0; i < m_names.size(); ++i) {
        if (!m_users.at(size_t(i))->openSession()) {
            m_error = QStringLiteral("open session of %1: %2").arg(m_names.at(i), m_users.at(size_t(i))->lastError());
            return false;
        }
    }
    return true;
}

TestClient& ServerWorld::user(const QString& name) {
    const qsizetype i = m_names.indexOf(name);
    if (i < 0) qFatal("ServerWorld has no user %s", qPrintable(name));
    return *m_users.at(size_t(i));
}

} // namespace natter::test
