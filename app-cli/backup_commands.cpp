#include "backup_commands.h"

#include "cli_app.h"
#include "command_line.h"
#include "passphrase_prompt.h"
#include "printer.h"

#include "client/store/passphrase.h"
#include "client/store/profile.h"
#include "client/store/profile_backup.h"

#include <QFileInfo>
#include <QJsonObject>

namespace natter::cli {

using client::ErrorKind;

client::Expected<QByteArray> backupPassphrase(bool confirm) {
    if (const QByteArray env = qgetenv("NATTER_BACKUP_PASSPHRASE"); !env.isEmpty()) return env;
    auto first = promptSecret("Backup passphrase: ");
    if (!first)
        return client::makeClientError(ErrorKind::InvalidArgument,
                                       QStringLiteral("no backup passphrase: set NATTER_BACKUP_PASSPHRASE or run "
                                                      "natter in a terminal"));
    if (confirm && promptSecret("The same again: ") != first)
        return client::makeClientError(ErrorKind::InvalidArgument, QStringLiteral("the two passphrases differ"));
    return *first;
}

int restoreProfile(const Invocation& inv, Printer& printer) {
    const auto failWith = [&](const client::ClientError& error) {
        printer.error(error);
        return exitCodeFor(error);
    };
    auto paths = client::store::ProfilePaths::forName(inv.profile);
    if (!paths) return failWith(paths.error());
    const QString file = QFileInfo(inv.words.front()).absoluteFilePath();
    if (!QFileInfo(file).isFile())
        return failWith(client::makeClientError(ErrorKind::NotFound, QStringLiteral("%1 is not a file").arg(file)));
    auto passphrase = backupPassphrase(false);
    if (!passphrase) return failWith(passphrase.error());
    client::store::PassphraseProvider provider(QStringLiteral("store:") + paths->directory(), promptPassphrase);
    auto restored = client::store::restoreProfileBackup(file, *passphrase, *paths, [&]() -> client::Expected<QByteArray> {
        auto fresh = provider.forNew();
        if (!fresh) return fresh.error();
        return fresh->value;
    });
    if (!restored) return failWith(restored.error());
    const QJsonObject result{{"profile", inv.profile},
                             {"path", paths->directory()},
                             {"media_files", restored->mediaFiles},
                             {"schema_version", restored->schemaVersion}};
    printer.result(QStringLiteral("restore"), result);
    return Ok;
}

} // namespace natter::cli
