// Helpers of the natter-desktop suites: the real `natter` CLI run against a profile of the
// harness's data root (the event loop keeps running, so the app in the same process answers
// its socket), a raw natterd session as an existing device, and screenshot checks.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QObject;
class QQuickItem;
class QWindow;

namespace natter::client { class Client; }

namespace natter::test {

class NatterdProcess;
class TestClient;

struct CliRun {
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe() const;
};

// `natter` with XDG_DATA_HOME = dataRoot and the harness's NATTER_PASSPHRASE, no keychain.
class DesktopCli {
public:
    explicit DesktopCli(QString dataRoot) : m_dataRoot(std::move(dataRoot)) {}
    // Runs `natter --profile profile args...` to its end (bounded), spinning the event loop.
    CliRun run(const QString& profile, const QStringList& args, int timeoutMs = 30000) const;
    // `natter --json history chat` until a message with this text shows (bounded); why: the last answer.
    std::optional<QJsonObject> waitForMessage(const QString& profile, const QString& chat, const QString& text,
                                              QString* why, int timeoutMs = 20000) const;
    // `natter --json group info group`: the group object (nullopt + why when it failed).
    std::optional<QJsonObject> groupInfo(const QString& profile, const QString& group, QString* why) const;

private:
    QString m_dataRoot;
};

// device's account starts over with a new identity key and its signed device list (its number
// registered again on a reinstalled device), as tst_client_devices does.
bool publishNewIdentity(const NatterdProcess& server, client::Client* device);

// Every item under root (root included), depth first; nothing for null.
void walkItems(QQuickItem* root, const std::function<void(QQuickItem*)>& visit);
// The visible items under root with this objectName (ListView delegates included).
QList<QQuickItem*> visibleItemsNamed(QQuickItem* root, const QString& name);
// What a screen reader says for the object (its accessible name); empty without one.
QString accessibleName(QObject* object);

// Distinct colours on a coarse grid: a blank or single-colour image has one.
int distinctColours(const QImage& image);
void typeInto(QWindow* window, const char* text);

} // namespace natter::test
