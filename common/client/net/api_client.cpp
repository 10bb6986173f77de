// ApiClient: REST over QNetworkAccessManager with the Bearer token kept fresh, server error
// bodies turned into ClientError, a revoked device reported once, and media streamed through
// QIODevices (never buffered whole).
#include "client/net/api_client.h"

#include "client/net/log.h"
#include "protocol/frame_codec.h"
#include "protocol/identifiers.h"

#include <QIODevice>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace natter::client::net {

Q_LOGGING_CATEGORY(lcNet, "natter.net")

namespace {

constexpr int kRefreshMarginS = 60;           // refresh tokens expiring within a minute
constexpr int kTransferTimeoutMs = 30000;     // no progress for this long fails a request
constexpr qint64 kDownloadBufferBytes = 1 << 20; // read-ahead bound for media downloads

QByteArray verb(HttpMethod method) {
    switch (method) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Post: return "POST";
    case HttpMethod::Put: return "PUT";
    case HttpMethod::Delete: return "DELETE";
    }
    return "GET";
}

// The path without what must not reach logs (media ids are download capabilities).
QString loggable(const QString& path) {
    static const QString media = QStringLiteral("/api/media/");
    return path.startsWith(media) ? media + QStringLiteral("…") : path.section(QLatin1Char('?'), 0, 0);
}

int httpStatusOf(QNetworkReply* reply) {
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

// Endpoints that take no access token (docs/protocol.md section 2): they work for a profile
// without a working device credential, e.g. one that registers again after being revoked.
bool isPublicPath(const QString& path) {
    static const QStringList kPublic{QStringLiteral("/api/register"), QStringLiteral("/api/verify"),
                                     QStringLiteral("/api/token"),    QStringLiteral("/api/devices/link"),
                                     QStringLiteral("/api/config"),   QStringLiteral("/healthz")};
    return kPublic.contains(path.section(QLatin1Char('?'), 0, 0));
}

// The ClientError for a reply that is not a 2xx answer; body is what the server sent.
// *revoked is set for a device_revoked answer (unlinked when it names no known reason).
ClientError errorOf(QNetworkReply* reply, const QByteArray& body, std::optional<protocol::RevocationReason>* revoked) {
    const int status = httpStatusOf(reply);
    if (status == 0)
        return makeClientError(ErrorKind::Network, QStringLiteral("server unreachable: %1").arg(reply->errorString()));
    ClientError err = makeClientError(ErrorKind::Server, QStringLiteral("HTTP %1").arg(status));
    err.httpStatus = status;
    boost::system::error_code ec;
    const auto json = boost::json::parse(std::string_view(body.constData(), size_t(body.size())), ec);
    protocol::rest::ErrorBody parsed;
    if (!ec && !protocol::json_codec::decode(json, parsed, std::string())) {
        err.serverCode = QString::fromStdString(parsed.code);
        err.message = QString::fromStdString(parsed.message);
        if (status == 401 && parsed.code == protocol::toString(protocol::ErrorCode::DeviceRevoked)) {
            err.kind = ErrorKind::Revoked;
            *revoked = parsed.reason.value_or(protocol::RevocationReason::unlinked);
        }
    }
    return err;
}

} // namespace

ApiClient::ApiClient(QUrl server, QObject* parent)
    : QObject(parent), m_server(std::move(server)), m_network(new QNetworkAccessManager(this)),
      m_alive(std::make_shared<bool>(true)) {}

ApiClient::~ApiClient() {
    *m_alive = false;
    for (QNetworkReply* reply : m_network->findChildren<QNetworkReply*>()) {
        reply->disconnect(this);
        reply->abort();
    }
}

QUrl ApiClient::webSocketUrl() const {
    QUrl url = m_server;
    url.setScheme(m_server.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(QStringLiteral("/ws"));
    url.setQuery(QString());
    return url;
}

void ApiClient::setCredentials(protocol::UserId userId, protocol::DeviceId deviceId, QByteArray deviceSecret) {
    m_userId = userId;
    m_deviceId = deviceId;
    m_deviceSecret = std::move(deviceSecret);
}

void ApiClient::setAccessToken(QString token, int expiresInSeconds) {
    m_token = std::move(token);
    m_tokenExpiry = QDateTime::currentDateTimeUtc().addSecs(expiresInSeconds);
}

void ApiClient::invalidateAccessToken() { m_tokenExpiry = QDateTime::currentDateTimeUtc().addSecs(-1); }

void ApiClient::clearCredentials() {
    m_userId = 0;
    m_deviceId = 0;
    m_deviceSecret.clear();
    m_token.clear();
    m_tokenExpiry = QDateTime();
    m_revoked.reset();
}

void ApiClient::setRevoked(protocol::RevocationReason reason, bool announce) {
    if (m_revoked) return;
    m_revoked = reason;
    qCInfo(lcNet).noquote() << "the server revoked this device:" << QString::fromUtf8(protocol::toString(reason));
    if (announce) emit deviceRevoked(reason);
}

ClientError ApiClient::revokedError(protocol::RevocationReason reason) {
    ClientError err = makeClientError(ErrorKind::Revoked, QString::fromUtf8(protocol::describe(reason)));
    err.serverCode = QString::fromUtf8(protocol::toString(protocol::ErrorCode::DeviceRevoked));
    err.httpStatus = 401;
    return err;
}

ClientError ApiClient::failure(QNetworkReply* reply, const QByteArray& body) {
    std::optional<protocol::RevocationReason> revoked;
    ClientError err = errorOf(reply, body, &revoked);
    if (revoked) setRevoked(*revoked, true);
    return err;
}

void ApiClient::ensureFreshToken(Callback<QString> done) {
    const bool fresh = !m_token.isEmpty() && QDateTime::currentDateTimeUtc().addSecs(kRefreshMarginS) < m_tokenExpiry;
    if (fresh || (!m_token.isEmpty() && !canRefresh())) {
        done(m_token);
        return;
    }
    if (!canRefresh()) {
        done(makeClientError(ErrorKind::InvalidArgument, QStringLiteral("no access token and no device credential")));
        return;
    }
    refreshToken(std::move(done));
}

void ApiClient::refreshToken(Callback<QString> done) {
    m_refreshWaiters.push_back(std::move(done));
    if (m_refreshWaiters.size() > 1) return;
    qCDebug(lcNet) << "refreshing the access token";
    protocol::rest::TokenRequest request{m_userId, m_deviceId, m_deviceSecret.toStdString()};
    const std::string text = protocol::serializeBody(request);
    issue(HttpMethod::Post, QStringLiteral("/api/token"), QByteArray(text.data(), qsizetype(text.size())), false, true,
          [this, alive = m_alive](Expected<QByteArray> raw) {
              const auto answer = decodeBody<protocol::rest::TokenResponse>(raw);
              if (answer) setAccessToken(QString::fromStdString(answer->access_token), answer->expires_in);
              else if (answer.error().kind == ErrorKind::Network) qCDebug(lcNet) << "token refresh: server unreachable";
              else if (answer.error().kind == ErrorKind::Revoked) qCInfo(lcNet) << "token refresh: this device is revoked";
              else qCWarning(lcNet) << "token refresh failed:" << toString(answer.error().kind) << answer.error().serverCode;
              auto waiters = std::exchange(m_refreshWaiters, {});
              for (auto& waiter : waiters) {
                  if (!*alive) return;
                  if (answer) waiter(m_token);
                  else waiter(answer.error());
              }
          });
}

QNetworkRequest ApiClient::makeRequest(const QString& path, bool authenticated) const {
    QNetworkRequest request(m_server.resolved(QUrl(path)));
    request.setTransferTimeout(kTransferTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (authenticated && !m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    return request;
}

void ApiClient::send(HttpMethod method, const QString& path, QByteArray body, bool authenticated, RawCallback done) {
    if (isPublicPath(path)) authenticated = false;
    if (authenticated && m_revoked) return done(revokedError(*m_revoked));
    if (!authenticated || !canRefresh()) {
        issue(method, path, std::move(body), authenticated, false, std::move(done));
        return;
    }
    ensureFreshToken([this, alive = m_alive, method, path, body = std::move(body), done = std::move(done)](
                         Expected<QString> token) mutable {
        if (!*alive) return;
        if (!token) return done(token.error());
        issue(method, path, std::move(body), true, false, std::move(done));
    });
}

void ApiClient::issue(HttpMethod method, const QString& path, QByteArray body, bool authenticated, bool retried,
                      RawCallback done) {
    QNetworkRequest request = makeRequest(path, authenticated);
    if (!body.isEmpty()) request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply* reply = nullptr;
    switch (method) {
    case HttpMethod::Get: reply = m_network->get(request); break;
    case HttpMethod::Post: reply = m_network->post(request, body); break;
    case HttpMethod::Put: reply = m_network->put(request, body); break;
    case HttpMethod::Delete:
        reply = body.isEmpty() ? m_network->deleteResource(request) : m_network->sendCustomRequest(request, "DELETE", body);
        break;
    }
    qCDebug(lcNet).noquote() << verb(method) << loggable(path);
    connect(reply, &QNetworkReply::finished, this,
            [this, alive = m_alive, reply, method, path, body = std::move(body), authenticated, retried,
             done = std::move(done)]() mutable {
                reply->deleteLater();
                const int status = httpStatusOf(reply);
                const QByteArray answer = reply->readAll();
                if (status >= 200 && status < 300) return done(answer);
                const ClientError err = failure(reply, answer);
                if (!*alive) return;
                if (err.kind == ErrorKind::Revoked) return done(err); // a new token would not help
                if (status == 401 && authenticated && !retried && canRefresh()) {
                    qCInfo(lcNet).noquote() << "401 for" << loggable(path) << "- refreshing the token once";
                    refreshToken([this, alive, method, path, body = std::move(body), done = std::move(done)](
                                     Expected<QString> token) mutable {
                        if (!*alive) return;
                        if (!token) return done(token.error());
                        issue(method, path, std::move(body), true, true, std::move(done));
                    });
                    return;
                }
                qCDebug(lcNet).noquote() << verb(method) << loggable(path) << "failed:" << toString(err.kind)
                                         << err.httpStatus << err.serverCode;
                done(err);
            });
}

void ApiClient::uploadMedia(std::shared_ptr<QIODevice> source, qint64 size, ProgressCallback progress,
                            Callback<protocol::rest::MediaUploaded> done) {
    if (!source || !source->isOpen() || !source->isReadable() || size <= 0) {
        done(makeClientError(ErrorKind::InvalidArgument, QStringLiteral("media upload needs an open, non-empty source")));
        return;
    }
    if (m_revoked) return done(revokedError(*m_revoked));
    auto attempt = std::make_shared<std::function<void(bool)>>();
    *attempt = [this, alive = m_alive, weakAttempt = std::weak_ptr(attempt), source, size,
                progress = std::move(progress), done = std::move(done)](bool retried) {
        if (!source->isSequential() && !source->seek(0))
            return done(makeClientError(ErrorKind::Storage, QStringLiteral("cannot rewind the media source")));
        QNetworkRequest request = makeRequest(QStringLiteral("/api/media"), true);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
        request.setHeader(QNetworkRequest::ContentLengthHeader, size);
        request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        QNetworkReply* reply = m_network->post(request, source.get());
        qCDebug(lcNet) << "uploading media," << size << "bytes";
        // Qt may report (0, 0) once the upload is over: only forward progress that grows.
        auto reported = std::make_shared<qint64>(0);
        if (progress)
            connect(reply, &QNetworkReply::uploadProgress, this, [progress, size, reported](qint64 sent, qint64) {
                if (sent <= *reported) return;
                *reported = sent;
                progress(sent, size);
            });
        connect(reply, &QNetworkReply::finished, this,
                [this, alive, self = weakAttempt.lock(), source, reply, retried, done, progress, size, reported] {
            reply->deleteLater();
            const int status = httpStatusOf(reply);
            const QByteArray answer = reply->readAll();
            const bool failed = status < 200 || status >= 300;
            const ClientError err = failed ? failure(reply, answer) : ClientError{};
            if (!*alive) return;
            if (failed && err.kind == ErrorKind::Revoked) return done(err);
            if (status == 401 && !retried && canRefresh() && !source->isSequential()) {
                refreshToken([alive, self, done](Expected<QString> token) {
                    if (!*alive) return;
                    if (!token) return done(token.error());
                    (*self)(true);
                });
                return;
            }
            if (status >= 200 && status < 300) {
                if (progress && *reported < size) progress(size, size);
                if (!*alive) return;
                return done(decodeBody<protocol::rest::MediaUploaded>(answer));
            }
            done(err);
        });
    };
    // Without a fresh token the upload goes all the same: the server's 401 reports the problem.
    ensureFreshToken([alive = m_alive, attempt](Expected<QString>) {
        if (!*alive) return;
        (*attempt)(false);
    });
}

void ApiClient::downloadMedia(const QString& mediaId, std::shared_ptr<QIODevice> sink, ProgressCallback progress,
                              Callback<qint64> done) {
    if (!sink || !sink->isOpen() || !sink->isWritable() || mediaId.isEmpty()) {
        done(makeClientError(ErrorKind::InvalidArgument, QStringLiteral("media download needs an id and an open sink")));
        return;
    }
    if (!protocol::isMediaId(mediaId.toStdString()))
        return done(makeClientError(ErrorKind::InvalidArgument, QStringLiteral("not a media id")));
    if (m_revoked) return done(revokedError(*m_revoked));
    const QString path = QStringLiteral("/api/media/") + QString::fromLatin1(QUrl::toPercentEncoding(mediaId));
    auto attempt = std::make_shared<std::function<void(bool)>>();
    *attempt = [this, alive = m_alive, weakAttempt = std::weak_ptr(attempt), path, sink, progress = std::move(progress),
                done = std::move(done)](bool retried) {
        QNetworkReply* reply = m_network->get(makeRequest(path, true));
        reply->setReadBufferSize(kDownloadBufferBytes);
        qCDebug(lcNet) << "downloading media";
        auto written = std::make_shared<qint64>(0);
        auto errorBody = std::make_shared<QByteArray>();
        auto writeFailure = std::make_shared<std::optional<ClientError>>();
        connect(reply, &QNetworkReply::readyRead, this, [reply, sink, written, errorBody, writeFailure] {
            const int status = httpStatusOf(reply);
            if (status < 200 || status >= 300) {
                *errorBody += reply->readAll();
                return;
            }
            while (reply->bytesAvailable() > 0 && !*writeFailure) {
                const QByteArray chunk = reply->read(64 * 1024);
                if (sink->write(chunk) != chunk.size()) {
                    *writeFailure = makeClientError(
                        ErrorKind::Storage, QStringLiteral("cannot write the download: %1").arg(sink->errorString()));
                    reply->abort();
                    return;
                }
                *written += chunk.size();
            }
        });
        if (progress)
            connect(reply, &QNetworkReply::downloadProgress, this, [progress, reply](qint64 received, qint64 total) {
                const int status = httpStatusOf(reply);
                if (status >= 200 && status < 300 && received > 0) progress(received, total);
            });
        connect(reply, &QNetworkReply::finished, this,
                [this, alive, self = weakAttempt.lock(), reply, sink, written, errorBody, writeFailure, retried, done] {
                    reply->deleteLater();
                    if (*writeFailure) return done(**writeFailure);
                    const int status = httpStatusOf(reply);
                    if (status >= 200 && status < 300 && reply->error() == QNetworkReply::NoError) {
                        const QByteArray rest = reply->readAll();
                        if (!rest.isEmpty() && sink->write(rest) != rest.size())
                            return done(makeClientError(ErrorKind::Storage, QStringLiteral("cannot write the download")));
                        return done(*written + rest.size());
                    }
                    *errorBody += reply->readAll();
                    const ClientError err = failure(reply, *errorBody);
                    if (!*alive) return;
                    if (err.kind == ErrorKind::Revoked) return done(err);
                    if (status == 401 && !retried && canRefresh() && *written == 0) {
                        refreshToken([alive, self, done](Expected<QString> token) {
                            if (!*alive) return;
                            if (!token) return done(token.error());
                            (*self)(true);
                        });
                        return;
                    }
                    done(err);
                });
    };
    ensureFreshToken([alive = m_alive, attempt](Expected<QString>) {
        if (*alive) (*attempt)(false);
    });
}

} // namespace natter::client::net
