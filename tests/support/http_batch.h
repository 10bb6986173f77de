// Many HTTP requests in flight at once, spread over several QNetworkAccessManagers (each has
// its own pool of up to six connections per host): for concurrency tests and for creating
// many users quickly. Every wait is bounded.
#pragma once

#include "test_client.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace natter::test {

class NatterdProcess;

struct HttpCall {
    QByteArray method;
    QString path;        // starts with "/"
    QByteArray body;     // sent as application/json when not empty
    QString accessToken; // Bearer token; none when empty
};

// Starts every call before waiting for any; the results are in the order of `calls`.
// Calls still unanswered after timeoutMs are aborted (status 0).
QList<HttpResult> runConcurrently(const NatterdProcess& server, const QList<HttpCall>& calls, int managers = 4,
                                  int timeoutMs = 30000);

// register + verify for every client at once, client i on phoneNumber(firstPhone + i); each
// client then holds its new device's credentials. False with *error on the first failure.
bool signUpMany(const NatterdProcess& server, const QList<TestClient*>& clients, int firstPhone, QString* error,
                int timeoutMs = 120000);

// `count` clients owned together, e.g. the members of a full group.
class ClientCrowd {
public:
    ClientCrowd(const NatterdProcess& server, int count);
    // signUpMany (client i on phoneNumber(firstPhone + i)), then TestClient::openSessions.
    bool signUpAndConnect(int firstPhone, QString* error, int timeoutMs = 120000);
    const QList<TestClient*>& clients() const { return m_clients; }
    TestClient& operator[](qsizetype i) const { return *m_clients.at(i); }

private:
    const NatterdProcess& m_server;
    std::vector<std::unique_ptr<TestClient>> m_owned;
    QList<TestClient*> m_clients;
};

} // namespace natter::test
