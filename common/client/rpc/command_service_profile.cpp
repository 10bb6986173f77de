// The profile as a whole: `backup` writes it to one file for a new machine (profile_backup.h).
#include "client/rpc/command_service.h"

#include "client/store/profile_backup.h"

#include <QFileInfo>

namespace natter::client::rpc {

void CommandService::registerProfile() {
    add("backup", [this](const QJsonObject& p, Done done) {
        auto out = stringParam(p, "out");
        if (!out) return done(out.error());
        auto passphrase = stringParam(p, "passphrase");
        if (!passphrase) return done(passphrase.error());
        const QString path = QFileInfo(*out).absoluteFilePath();
        auto written = store::writeProfileBackup(m_client.store(), path, passphrase->toUtf8());
        if (!written) return done(written.error());
        done(QJsonValue(QJsonObject{{"path", path},
                                    {"bytes", double(written->bytes)},
                                    {"media_files", written->mediaFiles},
                                    {"schema_version", written->schemaVersion}}));
    });
}

} // namespace natter::client::rpc
