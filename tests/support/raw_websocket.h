// A minimal WebSocket client over a plain QTcpSocket: does the RFC 6455 handshake itself and
// sends arbitrary frames (any opcode, any payload: invalid UTF-8, over 1 MiB), for the
// protocol violations QWebSocket refuses to produce. Blocking API with bounded waits.
#pragma once

#include <QByteArray>
#include <QTcpSocket>
#include <QUrl>

#include <optional>

namespace natter::test {

class RawWebSocket {
public:
    struct Frame {
        quint8 opcode = 0;
        bool fin = true;
        QByteArray payload;
    };
    enum Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };
    static constexpr int kNoCloseFrame = -1; // the TCP connection ended without a close frame
    static constexpr int kTimedOut = -2;

    RawWebSocket();
    RawWebSocket(const RawWebSocket&) = delete;
    RawWebSocket& operator=(const RawWebSocket&) = delete;

    // Connects to ws://host:port/path (plain only) and sends the upgrade request with the
    // given bearer token (none when empty). Returns the HTTP status of the answer (101 on
    // success), or 0 when there was no answer within the timeout.
    int open(const QUrl& wsUrl, const QString& bearerToken, int timeoutMs = 5000);
    QByteArray handshakeResponse() const { return m_response; }
    // After a refused upgrade (open() returned 4xx): the answer's body, read until the server
    // closes the connection or timeoutMs passes.
    QByteArray refusalBody(int timeoutMs = 5000);

    // Sends one masked frame. Returns false when the socket failed before all bytes were written
    // (the server may close while a large frame is still being written: that is not an error here).
    bool sendFrame(quint8 opcode, const QByteArray& payload, bool fin = true, int timeoutMs = 10000);
    // Next complete frame from the server, or nullopt on timeout / end of connection.
    std::optional<Frame> readFrame(int timeoutMs = 5000);
    // Next data message with its fragments joined (natterd fragments long ones), or a control
    // frame as it comes; nullopt on timeout / end of connection.
    std::optional<Frame> readMessage(int timeoutMs = 5000);
    // Reads (and discards other) frames until a close frame; returns its status code (1005 when
    // it carries none), kNoCloseFrame or kTimedOut.
    int waitForClose(int timeoutMs = 5000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    // A peer that stops reading: what the server sends stays in the kernel's buffers (at most
    // a few bytes are taken), so its writes back up. readFrame() and waitForClose() read again.
    void stopReading();

private:
    bool fill(qint64 bytes, int timeoutMs);
    void readAgain(); // undoes stopReading()

    QTcpSocket m_socket;
    // Bytes read but not yet consumed. Filled from readyRead as soon as Qt reads anything: when a
    // write then fails (the server closed while a large frame was being sent), Qt drops its own
    // read buffer, and the server's close frame would be lost.
    QByteArray m_buffer;
    QByteArray m_response;
    bool m_reading = true;
};

} // namespace natter::test
