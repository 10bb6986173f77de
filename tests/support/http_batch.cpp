#include "http_batch.h"

#include "natterd_process.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <memory>
#include <vector>

namespace natter::test {

QList<HttpResult> runConcurrently(const NatterdProcess& server, const QList<HttpCall>& calls, int managers,
                                  int timeoutMs) {
    std::vector<std::unique_ptr<QNetworkAccessManager>> nams;
    for (int i = 0; i < std::max(1, managers); ++i) nams.push_back(std::make_unique<QNetworkAccessManager>());
    QList<QNetworkReply*> replies;
    int finished = 0;
    QEventLoop loop;
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const HttpCall& call = calls.at(i);
        QNetworkRequest req(QUrl(server.baseUrl().toString() + call.path));
        req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        req.setTransferTimeout(timeoutMs);
        if (!call.body.isEmpty()) req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (!call.accessToken.isEmpty()) req.setRawHeader("Authorization", "Bearer " + call.accessToken.toUtf8());
        QNetworkReply* reply = nams[size_t(i) % nams.size()]->sendCustomRequest(req, call.method, call.body);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&finished, &loop, total = calls.size()] {
            if (++finished == total) loop.quit();
        });
        replies.append(reply);
    }
    if (finished < calls.size()) {
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
        loop.exec();
    }
    QList<HttpResult> results;
    for (QNetworkReply* reply : replies) {
        HttpResult r;
        if (!reply->isFinished()) {
            reply->abort();
            r.networkError = QStringLiteral("timeout after %1 ms").arg(timeoutMs);
        } else {
            r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            r.body = reply->readAll();
            if (reply->error() != QNetworkReply::NoError) r.networkError = reply->errorString();
            QJsonParseError err{};
            const QJsonDocument doc = QJsonDocument::fromJson(r.body, &err);
            if (err.error == QJsonParseError::NoError) r.json = doc;
        }
        results.append(r);
        reply->deleteLater();
    }
    return results;
}

bool signUpMany(const NatterdProcess& server, const QList<TestClient*>& clients, int firstPhone, QString* error,
                int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    QList<HttpCall> registers, verifies;
    for (qsizetype i = 0; i < clients.size(); ++i) {
        const QString phone = phoneNumber(firstPhone + int(i));
        registers.append({"POST", "/api/register", QJsonDocument(QJsonObject{{"phone", phone}}).toJson(QJsonDocument::Compact), {}});
        verifies.append({"POST", "/api/verify",
                         QJsonDocument(QJsonObject{{"phone", phone}, {"code", kFixedCode}, {"device_name", "test device"}})
                             .toJson(QJsonDocument::Compact),
                         {}});
    }
    const auto fail = [&](const QString& what) {
        if (error) *error = what;
        return false;
    };
    const auto regs = runConcurrently(server, registers, 4, int(std::max<qint64>(1, deadline.remainingTime())));
    for (qsizetype i = 0; i < regs.size(); ++i)
        if (regs.at(i).status != 200) return fail(QStringLiteral("register %1: %2").arg(phoneNumber(firstPhone + int(i)), regs.at(i).describe()));
    const auto vers = runConcurrently(server, verifies, 4, int(std::max<qint64>(1, deadline.remainingTime())));
    for (qsizetype i = 0; i < vers.size(); ++i) {
        const QString phone = phoneNumber(firstPhone + int(i));
        if (vers.at(i).status != 200) return fail(QStringLiteral("verify %1: %2").arg(phone, vers.at(i).describe()));
        if (!clients.at(i)->useVerifyResponse(vers.at(i).object(), phone))
            return fail(QStringLiteral("verify %1: %2").arg(phone, clients.at(i)->lastError()));
    }
    return true;
}

ClientCrowd::ClientCrowd(const NatterdProcess& server, int count) : m_server(server) {
    for (int i = 0; i < count; ++i) m_clients.append(m_owned.emplace_back(std::make_unique<TestClient>(server)).get());
}

bool ClientCrowd::signUpAndConnect(int firstPhone, QString* error, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    if (!signUpMany(m_server, m_clients, firstPhone, error, timeoutMs)) return false;
    return TestClient::openSessions(m_clients, int(std::max<qint64>(1, deadline.remainingTime())), error);
}

} // namespace natter::test
