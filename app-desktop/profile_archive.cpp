// ProfileArchive: the dialogs' checks, then the core's command, its result as one sentence.
#include "profile_archive.h"

#include "app_controller.h"

#include "client/client.h"
#include "client/rpc/command_service.h"
#include "client/store/profile_backup.h"

#include <QDate>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QLocale>

namespace natter::desktop {

ProfileArchive::ProfileArchive(AppController& controller, QObject* parent) : QObject(parent), m_controller(controller) {}

int ProfileArchive::minPassphraseLength() { return client::store::kMinBackupPassphraseLength; }

client::rpc::CommandService* ProfileArchive::commands() {
    client::Client* c = m_controller.client();
    if (!c) return nullptr;
    if (!m_commands || m_commands->parent() != c) m_commands = new client::rpc::CommandService(*c, c);
    return m_commands;
}

void ProfileArchive::setBusy(bool busy) {
    if (m_busy == busy) return;
    m_busy = busy;
    emit busyChanged();
}

void ProfileArchive::backup(const QUrl& file, const QString& passphrase, const QString& confirmation) {
    if (m_busy) return;
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    if (path.isEmpty()) return emit failed(tr("Choose where to save the backup."));
    if (passphrase != confirmation) return emit failed(tr("The two passphrases differ."));
    auto* service = commands();
    if (!service) return emit failed(tr("Open your profile first."));
    setBusy(true);
    service->call(QStringLiteral("backup"), QJsonObject{{"out", path}, {"passphrase", passphrase}},
                  [this](client::Expected<QJsonValue> result) {
                      setBusy(false);
                      if (!result) return emit failed(result.error().message);
                      const QJsonObject r = result->toObject();
                      emit finished(tr("Backup saved to %1 (%2). Keep the passphrase: without it the backup cannot be opened.")
                                        .arg(r.value("path").toString(), QLocale().formattedDataSize(qint64(r.value("bytes").toDouble()))));
                  });
}

void ProfileArchive::exportChats(const QUrl& folder, const QString& format) {
    if (m_busy) return;
    const QString parent = folder.isLocalFile() ? folder.toLocalFile() : folder.toString();
    if (parent.isEmpty() || !QFileInfo(parent).isDir()) return emit failed(tr("Choose a folder for the export."));
    auto* service = commands();
    if (!service) return emit failed(tr("Open your profile first."));
    const QString base = QDir(parent).filePath(QStringLiteral("Natter export %1").arg(QDate::currentDate().toString(Qt::ISODate)));
    QString out = base;
    for (int n = 2; QFileInfo::exists(out); ++n) out = QStringLiteral("%1 (%2)").arg(base).arg(n);
    setBusy(true);
    service->call(QStringLiteral("export"), QJsonObject{{"out", out}, {"format", format}},
                  [this](client::Expected<QJsonValue> result) {
                      setBusy(false);
                      if (!result) return emit failed(result.error().message);
                      const QJsonObject r = result->toObject();
                      QString message = tr("Exported %n chats to %1.", nullptr, r.value("chats").toInt()).arg(r.value("out").toString());
                      if (const int missing = r.value("missing_files").toInt(); missing > 0)
                          message += QLatin1Char(' ') + tr("%n files could not be saved.", nullptr, missing);
                      emit finished(message);
                  });
}

} // namespace natter::desktop
