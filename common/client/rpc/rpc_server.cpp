#include "client/rpc/rpc_server.h"

#include "client/client.h"
#include "client/rpc/command_service.h"
#include "client/rpc/event_stream.h"
#include "client/rpc/json_rpc.h"
#include "client/store/profile.h"
#include "client/store/profile_store.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QPointer>
#include <QUuid>

Q_LOGGING_CATEGORY(lcRpc, "natter.rpc")

namespace natter::client::rpc {

namespace {
constexpr qint64 kMaxLine = 1 << 20; // a request line larger than 1 MiB closes the connection
}

// One socket: reads lines, answers requests, forwards events while subscribed.
class RpcServer::Connection : public QObject {
public:
    Connection(QLocalSocket* socket, CommandService& commands, EventStream& events, const QString& streamId,
               QObject* parent)
        : QObject(parent), m_socket(socket), m_commands(commands), m_events(events), m_streamId(streamId) {
        socket->setParent(this);
        connect(socket, &QLocalSocket::readyRead, this, &Connection::onReadyRead);
        connect(socket, &QLocalSocket::disconnected, this, &QObject::deleteLater);
    }

private:
    void write(const QByteArray& bytes) {
        if (m_socket && m_socket->state() == QLocalSocket::ConnectedState) m_socket->write(bytes);
    }

    void onReadyRead() {
        while (m_socket->canReadLine()) {
            const QByteArray line = m_socket->readLine().trimmed();
            if (!line.isEmpty()) handle(line);
        }
        if (m_socket->bytesAvailable() > kMaxLine) {
            write(errorResponse(QJsonValue(), QJsonObject{{"code", code::InvalidRequest}, {"message", "request line too long"}}));
            m_socket->disconnectFromServer();
        }
    }

    void handle(const QByteArray& line) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            write(errorResponse(QJsonValue(), QJsonObject{{"code", code::ParseError}, {"message", "not a JSON object"}}));
            return;
        }
        const QJsonObject req = doc.object();
        const QJsonValue id = req.value("id");
        const bool isNotification = !req.contains("id");
        const QJsonValue params = req.value("params");
        if (req.value("jsonrpc").toString() != QLatin1String("2.0") || !req.value("method").isString() ||
            (!params.isUndefined() && !params.isObject())) {
            write(errorResponse(id, QJsonObject{{"code", code::InvalidRequest},
                                                {"message", "expected {\"jsonrpc\":\"2.0\",\"method\":string,\"params\":object}"}}));
            return;
        }
        const QString method = req.value("method").toString();
        if (method == QLatin1String("subscribe")) return subscribe(id, params.toObject());
        if (method == QLatin1String("unsubscribe")) {
            disconnect(m_subscription);
            if (!isNotification) write(response(id, QJsonObject{{"subscribed", false}}));
            return;
        }
        if (method == QLatin1String("rpc.methods")) {
            QJsonArray names = QJsonArray::fromStringList(m_commands.methods());
            names.append("subscribe");
            names.append("unsubscribe");
            write(response(id, QJsonObject{{"methods", names}}));
            return;
        }
        if (!m_commands.hasMethod(method)) {
            write(errorResponse(id, QJsonObject{{"code", code::MethodNotFound}, {"message", "unknown method '" + method + "'"}}));
            return;
        }
        QPointer<Connection> self(this);
        m_commands.call(method, params.toObject(), [self, id, isNotification](Expected<QJsonValue> result) {
            if (!self || isNotification) return;
            if (result) self->write(response(id, *result));
            else self->write(errorResponse(id, errorObject(result.error())));
        });
    }

    // {"after": N, "stream": "..."}: replay what came after N in this stream, then live.
    void subscribe(const QJsonValue& id, const QJsonObject& params) {
        disconnect(m_subscription);
        const bool sameStream = params.value("stream").toString() == m_streamId;
        const qint64 after = sameStream ? params.value("after").toInteger(m_events.lastId()) : 0;
        bool gap = false;
        const auto replay = params.contains("after") ? m_events.since(after, &gap) : std::vector<QJsonObject>{};
        write(response(id, QJsonObject{{"subscribed", true},
                                       {"stream", m_streamId},
                                       {"last_event_id", m_events.lastId()},
                                       {"replayed", qint64(replay.size())},
                                       {"gap", gap || (!sameStream && params.contains("stream"))}}));
        for (const auto& e : replay) write(notification("event", e));
        m_subscription = connect(&m_events, &EventStream::event, this,
                                 [this](const QJsonObject& e) { write(notification("event", e)); });
    }

    QPointer<QLocalSocket> m_socket;
    CommandService& m_commands;
    EventStream& m_events;
    QString m_streamId;
    QMetaObject::Connection m_subscription;
};

RpcServer::RpcServer(Client& client, QObject* parent)
    : QObject(parent), m_client(client), m_streamId(QUuid::createUuid().toString(QUuid::WithoutBraces)) {
    m_commands = new CommandService(client, this);
    m_events = new EventStream(client, this);
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, &RpcServer::onNewConnection);
}

RpcServer::~RpcServer() {
    // What was just written (e.g. the event that the device was revoked) still reaches the
    // subscribers when the process ends right after.
    for (QLocalSocket* socket : findChildren<QLocalSocket*>()) socket->flush();
    m_server.close();
}

QString RpcServer::socketPath() const { return m_client.store().paths().socketPath(); }

Expected<void> RpcServer::listen() {
    const QString path = socketPath();
    if (path.toUtf8().size() >= 100)
        return makeClientError(ErrorKind::InvalidArgument,
                               QStringLiteral("the socket path %1 is too long for a Unix socket; use a shorter XDG_DATA_HOME").arg(path));
    QLocalServer::removeServer(path);
    if (!m_server.listen(path))
        return makeClientError(ErrorKind::Storage, QStringLiteral("cannot serve %1: %2").arg(path, m_server.errorString()));
    store::restrictToOwner(path); // like every file of the profile (UserAccessOption leaves it 0700)
    qCInfo(lcRpc) << "serving the profile on" << path;
    return {};
}

int RpcServer::connectionCount() const { return findChildren<Connection*>().size(); }

void RpcServer::onNewConnection() {
    while (QLocalSocket* socket = m_server.nextPendingConnection())
        new Connection(socket, *m_commands, *m_events, m_streamId, this);
}

} // namespace natter::client::rpc
