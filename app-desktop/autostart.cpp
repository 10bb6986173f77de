// The autostart entry: written atomically (QSaveFile), removed when turned off.
#include "autostart.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace natter::desktop {
namespace {

// An Exec argument as the Desktop Entry Specification quotes it: plain when it has no
// reserved character, else in double quotes with ", `, $ and \ escaped.
QString execArgument(const QString& argument) {
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    if (!argument.isEmpty() && std::none_of(argument.begin(), argument.end(), [](QChar c) { return reserved.contains(c); }))
        return argument;
    QString quoted = argument;
    for (const QChar c : {QChar('\\'), QChar('"'), QChar('`'), QChar('$')}) quoted.replace(c, QStringLiteral("\\") + c);
    // In a desktop file's string value a backslash itself is escaped once more.
    quoted.replace(QStringLiteral("\\"), QStringLiteral("\\\\"));
    return QStringLiteral("\"%1\"").arg(quoted);
}

} // namespace

Autostart::Autostart(QString profile, QString program, QObject* parent)
    : QObject(parent), m_profile(std::move(profile)),
      m_program(program.isEmpty() ? QCoreApplication::applicationFilePath() : std::move(program)) {}

QString Autostart::entryPath() const {
    const QString name = m_profile == QStringLiteral("default") ? QStringLiteral("org.natter.Natter.desktop")
                                                                 : QStringLiteral("org.natter.Natter-%1.desktop").arg(m_profile);
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/autostart/") + name;
}

QString Autostart::entryText() const {
    QString exec = execArgument(m_program) + QStringLiteral(" --minimized");
    if (m_profile != QStringLiteral("default")) exec += QStringLiteral(" --profile ") + execArgument(m_profile);
    const QString name = m_profile == QStringLiteral("default") ? QStringLiteral("Natter")
                                                                 : QStringLiteral("Natter (%1)").arg(m_profile);
    return QStringLiteral("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Version=1.5\n"
                          "Name=%1\n"
                          "Comment=Starts Natter in the tray when you log in\n"
                          "Exec=%2\n"
                          "Icon=natter-desktop\n"
                          "Terminal=false\n"
                          "X-GNOME-Autostart-enabled=true\n")
        .arg(name, exec);
}

bool Autostart::enabled() const { return QFileInfo::exists(entryPath()); }

void Autostart::setEnabled(bool on) {
    const QString path = entryPath();
    m_error.clear();
    if (on) {
        QSaveFile file(path);
        if (!QDir().mkpath(QFileInfo(path).absolutePath()) || !file.open(QIODevice::WriteOnly) ||
            file.write(entryText().toUtf8()) < 0 || !file.commit())
            m_error = tr("Could not write %1: %2").arg(path, file.errorString());
    } else if (QFile::exists(path) && !QFile::remove(path)) {
        m_error = tr("Could not remove %1").arg(path);
    }
    emit enabledChanged();
}

} // namespace natter::desktop
