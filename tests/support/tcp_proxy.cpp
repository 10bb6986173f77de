#include "tcp_proxy.h"

#include <QHostAddress>

namespace natter::test {

TcpProxy::TcpProxy(quint16 targetPort, QObject* parent) : QObject(parent), m_targetPort(targetPort) {
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
}

TcpProxy::~TcpProxy() {
    cutAll();
}

bool TcpProxy::listen() { return m_server.listen(QHostAddress::LocalHost, 0); }

QUrl TcpProxy::url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port())); }

void TcpProxy::onNewConnection() {
    while (QTcpSocket* client = m_server.nextPendingConnection()) {
        auto* pair = new Pair;
        pair->client = client;
        pair->upstream = new QTcpSocket(this);
        client->setParent(this);
        m_pairs.push_back(pair);
        connect(client, &QTcpSocket::readyRead, this, [this, pair] {
            if (!pair->client) return;
            const QByteArray data = pair->client->readAll();
            if (m_dropUpstream) return;
            if (pair->upstream && pair->upstream->state() == QAbstractSocket::ConnectedState) pair->upstream->write(data);
            else pair->pendingUp += data;
        });
        connect(pair->upstream, &QTcpSocket::connected, this, [pair] {
            if (!pair->pendingUp.isEmpty()) pair->upstream->write(std::exchange(pair->pendingUp, {}));
        });
        connect(pair->upstream, &QTcpSocket::readyRead, this, [pair] {
            if (pair->client && pair->upstream) pair->client->write(pair->upstream->readAll());
        });
        connect(client, &QTcpSocket::disconnected, this, [this, pair] { closePair(pair); });
        connect(pair->upstream, &QTcpSocket::disconnected, this, [this, pair] { closePair(pair); });
        pair->upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

void TcpProxy::closePair(Pair* pair) {
    if (!m_pairs.removeOne(pair)) return;
    if (pair->client) {
        pair->client->disconnect(this);
        pair->client->abort();
        pair->client->deleteLater();
    }
    if (pair->upstream) {
        pair->upstream->disconnect(this);
        pair->upstream->abort();
        pair->upstream->deleteLater();
    }
    delete pair;
}

void TcpProxy::cutAll() {
    const auto pairs = m_pairs;
    for (Pair* pair : pairs) closePair(pair);
}

} // namespace natter::test
