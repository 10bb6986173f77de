// A loopback TCP proxy in front of natterd for tests that need a network fault at an exact
// moment: hold back what a client sends (so an ack never arrives) and cut every connection,
// while the client and the server stay real processes talking real protocol.
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace natter::test {

class TcpProxy : public QObject {
    Q_OBJECT
public:
    explicit TcpProxy(quint16 targetPort, QObject* parent = nullptr);
    ~TcpProxy() override;

    bool listen(); // on 127.0.0.1, an ephemeral port
    quint16 port() const { return m_server.serverPort(); }
    QUrl url() const; // http://127.0.0.1:PORT
    void setTargetPort(quint16 port) { m_targetPort = port; }

    // While true, bytes from clients are dropped instead of forwarded (lost on the wire).
    void setDropUpstream(bool drop) { m_dropUpstream = drop; }
    // Aborts every proxied connection on both sides; new connections are still accepted.
    void cutAll();
    int connectionCount() const { return int(m_pairs.size()); }

private:
    struct Pair {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        QByteArray pendingUp; // client bytes received before the upstream connected
    };
    void onNewConnection();
    void closePair(Pair* pair);

    QTcpServer m_server;
    quint16 m_targetPort = 0;
    bool m_dropUpstream = false;
    QList<Pair*> m_pairs;
};

} // namespace natter::test
