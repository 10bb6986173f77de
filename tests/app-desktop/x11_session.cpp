// X11Session: Xvfb, dbus-daemon, dunst and trayer as child processes, observed with
// xwininfo and dunstctl; the screen read from Xvfb's XWD frame buffer file.
#include "x11_session.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>
#include <QtEndian>

namespace natter::test {

namespace {

constexpr int kStartMs = 15000;

// Reads a line from the process's stdout (Xvfb -displayfd, dbus-daemon --print-address).
QString readLine(QProcess& process, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!process.canReadLine() && !deadline.hasExpired() && process.state() == QProcess::Running)
        process.waitForReadyRead(100);
    return QString::fromUtf8(process.readLine()).trimmed();
}

template <class Check>
bool waitFor(Check check, int timeoutMs = kStartMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!check()) {
        if (deadline.hasExpired()) return false;
        QTest::qWait(100);
    }
    return true;
}

} // namespace

X11Session::X11Session() = default;

X11Session::~X11Session() {
    for (auto it = m_processes.rbegin(); it != m_processes.rend(); ++it) {
        (*it)->terminate();
        if (!(*it)->waitForFinished(3000)) {
            (*it)->kill();
            (*it)->waitForFinished(3000);
        }
    }
}

QStringList X11Session::missingPrograms() {
    QStringList missing;
    for (const char* program : {"Xvfb", "dbus-daemon", "dbus-monitor", "dunst", "dunstctl", "trayer", "xwininfo"})
        if (QStandardPaths::findExecutable(QString::fromLatin1(program)).isEmpty()) missing << QString::fromLatin1(program);
    return missing;
}

QProcessEnvironment X11Session::environment() const {
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DISPLAY"), m_display);
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_bus);
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    return env;
}

QProcess* X11Session::launch(const QString& program, const QStringList& args) {
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(environment());
    process->setProcessChannelMode(QProcess::SeparateChannels);
    process->start(program, args);
    process->waitForStarted(kStartMs);
    m_processes.push_back(std::move(process));
    return m_processes.back().get();
}

QByteArray X11Session::run(const QString& program, const QStringList& args, int* exitCode) const {
    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(program, args);
    const bool done = process.waitForFinished(10000);
    if (exitCode) *exitCode = done && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return process.readAllStandardOutput();
}

bool X11Session::start(QString* why) {
    if (!m_dir.isValid()) return *why = QStringLiteral("no temporary directory"), false;
    // -displayfd: Xvfb picks a free display number and prints it once it accepts clients.
    QProcess* x = launch(QStringLiteral("Xvfb"), {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                                                   QStringLiteral("0"), QStringLiteral("1280x800x24"), QStringLiteral("-nolisten"),
                                                   QStringLiteral("tcp"), QStringLiteral("-fbdir"), m_dir.path()});
    const QString number = readLine(*x, kStartMs);
    if (number.isEmpty()) return *why = QStringLiteral("Xvfb did not start: ") + QString::fromUtf8(x->readAllStandardError()), false;
    m_display = QLatin1Char(':') + number;

    QProcess* bus = launch(QStringLiteral("dbus-daemon"), {QStringLiteral("--session"), QStringLiteral("--nofork"),
                                                           QStringLiteral("--print-address=1")});
    m_bus = readLine(*bus, kStartMs);
    if (m_bus.isEmpty()) return *why = QStringLiteral("dbus-daemon did not start: ") + QString::fromUtf8(bus->readAllStandardError()), false;

    m_monitor = launch(QStringLiteral("dbus-monitor"),
                       {QStringLiteral("--address"), m_bus,
                        QStringLiteral("type='method_call',interface='org.freedesktop.Notifications',member='Notify'")});
    // It monitors once the bus took its match rule and it gave up its name.
    if (!waitFor([this] {
            m_monitor->waitForReadyRead(50);
            m_monitored += m_monitor->readAllStandardOutput();
            return m_monitored.contains("NameLost");
        }))
        return *why = QStringLiteral("dbus-monitor did not start monitoring: ") + QString::fromUtf8(m_monitor->readAllStandardError()), false;
    launch(QStringLiteral("dunst"), {});
    if (!waitFor([this] {
            int code = -1;
            run(QStringLiteral("dunstctl"), {QStringLiteral("is-paused")}, &code);
            return code == 0;
        }))
        return *why = QStringLiteral("dunst did not take org.freedesktop.Notifications"), false;

    launch(QStringLiteral("trayer"), {QStringLiteral("--edge"), QStringLiteral("top"), QStringLiteral("--align"), QStringLiteral("right"),
                                      QStringLiteral("--widthtype"), QStringLiteral("pixel"), QStringLiteral("--width"),
                                      QStringLiteral("200"), QStringLiteral("--height"), QStringLiteral("32"),
                                      QStringLiteral("--SetDockType"), QStringLiteral("false")});
    if (!waitFor([this] { return hasWindow(QStringLiteral("trayer")); }))
        return *why = QStringLiteral("trayer's panel did not appear"), false;
    return true;
}

bool X11Session::hasWindow(const QString& windowClass) const {
    const QString tree = QString::fromUtf8(run(QStringLiteral("xwininfo"), {QStringLiteral("-root"), QStringLiteral("-children")}));
    return tree.contains(QStringLiteral("\" \"%1\")").arg(windowClass));
}

bool X11Session::trayHolds(const QString& windowClass) const {
    const QString top = QString::fromUtf8(run(QStringLiteral("xwininfo"), {QStringLiteral("-root"), QStringLiteral("-children")}));
    const auto panel = QRegularExpression(QStringLiteral(R"((0x[0-9a-f]+) "panel": \("panel" "trayer"\))")).match(top);
    if (!panel.hasMatch()) return false;
    const QString tree = QString::fromUtf8(run(QStringLiteral("xwininfo"), {QStringLiteral("-tree"), QStringLiteral("-id"), panel.captured(1)}));
    return tree.contains(QStringLiteral("(\"%1\" ").arg(windowClass));
}

QStringList X11Session::notifyCalls() {
    m_monitor->waitForReadyRead(0);
    m_monitored += m_monitor->readAllStandardOutput();
    QStringList calls = QString::fromUtf8(m_monitored).split(QStringLiteral("member=Notify"));
    calls.removeFirst(); // dbus-monitor's own greeting
    return calls;
}

int X11Session::displayedNotifications() const {
    return run(QStringLiteral("dunstctl"), {QStringLiteral("count"), QStringLiteral("displayed")}).trimmed().toInt();
}

QList<ReceivedNotification> X11Session::receivedNotifications() const {
    run(QStringLiteral("dunstctl"), {QStringLiteral("close-all")});
    const QJsonDocument doc = QJsonDocument::fromJson(run(QStringLiteral("dunstctl"), {QStringLiteral("history")}));
    QList<ReceivedNotification> out;
    const auto field = [](const QJsonObject& n, const char* name) {
        return n.value(QLatin1String(name)).toObject().value(QStringLiteral("data")).toString();
    };
    for (const auto& n : doc.object().value(QStringLiteral("data")).toArray().at(0).toArray())
        out.prepend({field(n.toObject(), "appname"), field(n.toObject(), "summary"), field(n.toObject(), "body")});
    return out;
}

QImage X11Session::screenshot() const {
    // Xvfb -fbdir keeps screen 0 as an XWD file: a big-endian header, a colour map, then pixels.
    QFile file(m_dir.filePath(QStringLiteral("Xvfb_screen0")));
    if (!file.open(QIODevice::ReadOnly)) return {};
    const QByteArray xwd = file.readAll();
    if (xwd.size() < 100) return {};
    const auto field = [&xwd](int index) { return qFromBigEndian<quint32>(xwd.constData() + 4 * index); };
    const quint32 headerSize = field(0), width = field(4), height = field(5), byteOrder = field(7), bitsPerPixel = field(11),
                  bytesPerLine = field(12), colours = field(19);
    const qint64 offset = qint64(headerSize) + qint64(colours) * 12;
    if (bitsPerPixel != 32 || byteOrder != 0 || xwd.size() < offset + qint64(bytesPerLine) * height) return {};
    QImage image(int(width), int(height), QImage::Format_RGB32);
    for (quint32 y = 0; y < height; ++y)
        for (quint32 x = 0; x < width; ++x)
            image.setPixel(int(x), int(y), qFromLittleEndian<quint32>(xwd.constData() + offset + y * bytesPerLine + x * 4) | 0xff000000u);
    return image;
}

} // namespace natter::test
