// Every user command (send, history, group create, ...) implemented once, over a Client,
// with JSON parameters and results: the daemon serves it over JSON-RPC, the desktop app
// serves the same socket, and the CLI runs it in-process when no daemon holds the profile.
#pragma once

#include "client/client.h"
#include "client/core/result.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>

#include <functional>
#include <memory>

namespace natter::client::rpc {

struct ExportJob; // command_service_profile.cpp

class CommandService : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(Expected<QJsonValue>)>;

    explicit CommandService(Client& client, QObject* parent = nullptr);

    bool hasMethod(const QString& method) const { return m_methods.contains(method); }
    QStringList methods() const;
    // Runs one command; done is called exactly once (possibly before call returns).
    void call(const QString& method, const QJsonObject& params, Done done);

    // How long send waits for the server's "sent" before answering "pending" (queued); while
    // natterd cannot be reached it answers "pending" at once.
    void setSentTimeout(int ms) { m_sentTimeoutMs = ms; }
    // How long `sync` gives natterd to answer, then to replay and acknowledge.
    void setSyncLimits(Client::SyncLimits limits) { m_syncLimits = limits; }

private:
    using Handler = std::function<void(const QJsonObject&, Done)>;
    void add(const QString& method, Handler handler) { m_methods.insert(method, std::move(handler)); }
    void registerMessaging();
    // group.* and mentions.check (command_service_groups.cpp).
    void registerGroups();
    // whoami, devices, linking, privacy, safety numbers (command_service_account.cpp).
    void registerAccount();
    // params.contact (a contact's name or phone number) as the contact; NotFound when none.
    Expected<ContactRecord> contactParam(const QJsonObject& params);
    // reply, react, edit, delete (command_service_actions.cpp).
    void registerMessageActions();
    // requests.* and blocks.* (command_service_requests.cpp).
    void registerRequests();
    // backup and export (command_service_profile.cpp).
    void registerProfile();
    // chat pin/mute/archive and the display name (command_service_settings.cpp).
    void registerSettings();
    void exportChats(const QJsonObject& params, Done done);
    // Decrypts the export's next file into its folder, then the next; then writes the pages.
    void saveNextExportFile(const std::shared_ptr<ExportJob>& job, Done done);
    // A message with the names in it (json_views.h).
    QJsonObject messageJson(const MessageRecord& message);
    // After a reaction, edit or delete: the message (or `result`) once natterd took what was
    // queued, with "queued": true while it could not be reached (it goes with the next connection).
    void answerWhenDelivered(qint64 localId, QJsonObject result, Done done);
    // Answers with the message once the server stored it, as pending while offline or after a
    // timeout, or with an error saying why it failed.
    void answerWhenSent(qint64 localId, Done done);
    // contacts.list's answer: each of the first kMaxPresenceLookups contacts with `online` and
    // `last_seen` as far as their privacy settings let this user know (asked of natterd; nothing
    // while it cannot be reached).
    void withPresence(const std::vector<ContactRecord>& contacts, QJsonArray json, Done done);
    // Connects (unless connected), waits for the replay and the outbox's acks: {server, sent, queued}.
    void sync(Done done);

    Client& m_client;
    QHash<QString, Handler> m_methods;
    int m_sentTimeoutMs = 10000;
    Client::SyncLimits m_syncLimits;
};

// Parameter access with clear errors ("params.to must be a non-empty string"), each naming the
// parameter in ClientError::param (data.param on the socket) so that apps can word it for people.
ClientError paramError(const QString& name, const QString& message);
Expected<QString> stringParam(const QJsonObject& params, const QString& name);
Expected<QStringList> stringListParam(const QJsonObject& params, const QString& name);
int intParam(const QJsonObject& params, const QString& name, int fallback);

} // namespace natter::client::rpc
