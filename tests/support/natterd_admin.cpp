#include "natterd_admin.h"

#include <QJsonDocument>

namespace natter::test {

ProcessOutcome runAdmin(const NatterdProcess& server, const QStringList& args) {
    return NatterdProcess::runOnce(QStringList{"admin", "--data-dir", server.dataDir()} + args, 30000);
}

QJsonObject runAdminJson(const NatterdProcess& server, const QStringList& args) {
    const ProcessOutcome out = runAdmin(server, args + QStringList{"--json"});
    if (!out.finished || out.exitCode != 0) {
        qWarning("natterd admin: %s", out.standardError.constData());
        return {};
    }
    return QJsonDocument::fromJson(out.standardOutput).object();
}

} // namespace natter::test
