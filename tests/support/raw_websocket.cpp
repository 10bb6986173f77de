#include "raw_websocket.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QtEndian>

#include <utility>

namespace natter::test {

namespace {
int remaining(const QDeadlineTimer& d) { return int(std::max<qint64>(1, d.remainingTime())); }
} // namespace

RawWebSocket::RawWebSocket() {
    QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] {
        if (m_reading) m_buffer += m_socket.readAll();
    });
}

void RawWebSocket::stopReading() {
    m_reading = false;
    m_socket.setReadBufferSize(1); // Qt stops taking bytes from the kernel once it holds one
}

void RawWebSocket::readAgain() {
    if (m_reading) return;
    m_reading = true;
    m_socket.setReadBufferSize(0);
    m_buffer += m_socket.readAll();
}

int RawWebSocket::open(const QUrl& wsUrl, const QString& bearerToken, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    m_buffer.clear();
    m_response.clear();
    m_socket.connectToHost(wsUrl.host(), quint16(wsUrl.port()));
    if (!m_socket.waitForConnected(remaining(deadline))) return 0;

    QByteArray keyBytes(16, '\0');
    for (auto& c : keyBytes) c = char(QRandomGenerator::global()->bounded(256));
    const QByteArray key = keyBytes.toBase64();
    QByteArray req = "GET " + (wsUrl.path().isEmpty() ? QByteArray("/") : wsUrl.path(QUrl::FullyEncoded).toLatin1());
    if (wsUrl.hasQuery()) req += "?" + wsUrl.query(QUrl::FullyEncoded).toLatin1();
    req += " HTTP/1.1\r\n";
    req += "Host: " + wsUrl.host().toLatin1() + ":" + QByteArray::number(wsUrl.port()) + "\r\n";
    req += "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    req += "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n";
    if (!bearerToken.isEmpty()) req += "Authorization: Bearer " + bearerToken.toUtf8() + "\r\n";
    req += "\r\n";
    m_socket.write(req);
    if (!m_socket.waitForBytesWritten(remaining(deadline))) return 0;

    while (!m_buffer.contains("\r\n\r\n")) {
        if (deadline.hasExpired()) return 0;
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(remaining(deadline))) {
            if (m_socket.state() != QAbstractSocket::ConnectedState) {
                m_buffer += m_socket.readAll();
                if (!m_buffer.contains("\r\n\r\n") && m_buffer.isEmpty()) return 0;
                break;
            }
            continue;
        }
        m_buffer += m_socket.readAll();
    }
    qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0) end = m_buffer.size() - 4;
    m_response = m_buffer.left(end + 4);
    m_buffer.remove(0, end + 4);
    // "HTTP/1.1 101 Switching Protocols"
    const QList<QByteArray> statusLine = m_response.left(m_response.indexOf("\r\n")).split(' ');
    if (statusLine.size() < 2) return 0;
    const int status = statusLine.at(1).toInt();
    if (status == 101) {
        const QByteArray expected =
            QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", QCryptographicHash::Sha1).toBase64();
        if (!m_response.contains(expected)) return 0; // not a valid accept: treat as no answer
    }
    return status;
}

QByteArray RawWebSocket::refusalBody(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (m_socket.bytesAvailable() == 0) m_socket.waitForReadyRead(remaining(deadline));
        m_buffer += m_socket.readAll();
    }
    m_buffer += m_socket.readAll();
    return std::exchange(m_buffer, QByteArray());
}

bool RawWebSocket::sendFrame(quint8 opcode, const QByteArray& payload, bool fin, int timeoutMs) {
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0x00) | (opcode & 0x0F)));
    const quint64 len = quint64(payload.size());
    if (len < 126) {
        frame.append(char(0x80 | len));
    } else if (len <= 0xFFFF) {
        frame.append(char(0x80 | 126));
        char b[2];
        qToBigEndian<quint16>(quint16(len), b);
        frame.append(b, 2);
    } else {
        frame.append(char(0x80 | 127));
        char b[8];
        qToBigEndian<quint64>(len, b);
        frame.append(b, 8);
    }
    char mask[4];
    const quint32 m = QRandomGenerator::global()->generate();
    qToBigEndian<quint32>(m, mask);
    frame.append(mask, 4);
    const qsizetype headerSize = frame.size();
    frame.append(payload);
    for (qsizetype i = 0; i < payload.size(); ++i) frame[headerSize + i] = char(frame[headerSize + i] ^ mask[i % 4]);

    if (m_socket.write(frame) != frame.size()) return false;
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.bytesToWrite() > 0) {
        if (deadline.hasExpired() || m_socket.state() != QAbstractSocket::ConnectedState) return false;
        // Read what the server sends meanwhile so it is not lost when the socket closes.
        if (!m_socket.waitForBytesWritten(std::min(200, remaining(deadline)))) {
            if (m_reading && m_socket.bytesAvailable() > 0) m_buffer += m_socket.readAll();
        }
    }
    return true;
}

bool RawWebSocket::fill(qint64 bytes, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (m_buffer.size() < bytes) {
        if (m_socket.bytesAvailable() > 0) {
            m_buffer += m_socket.readAll();
            continue;
        }
        if (deadline.hasExpired()) return false;
        if (m_socket.state() != QAbstractSocket::ConnectedState) {
            if (m_socket.isOpen()) m_buffer += m_socket.readAll();
            return m_buffer.size() >= bytes;
        }
        m_socket.waitForReadyRead(remaining(deadline));
    }
    return true;
}

std::optional<RawWebSocket::Frame> RawWebSocket::readFrame(int timeoutMs) {
    readAgain();
    QDeadlineTimer deadline(timeoutMs);
    if (!fill(2, remaining(deadline))) return std::nullopt;
    const auto b0 = quint8(m_buffer[0]);
    const auto b1 = quint8(m_buffer[1]);
    quint64 len = b1 & 0x7F;
    qsizetype header = 2;
    if (len == 126) {
        if (!fill(4, remaining(deadline))) return std::nullopt;
        len = qFromBigEndian<quint16>(m_buffer.constData() + 2);
        header = 4;
    } else if (len == 127) {
        if (!fill(10, remaining(deadline))) return std::nullopt;
        len = qFromBigEndian<quint64>(m_buffer.constData() + 2);
        header = 10;
    }
    const bool masked = b1 & 0x80; // servers must not mask, but tolerate it
    const qsizetype maskAt = header;
    if (masked) header += 4;
    if (!fill(header + qint64(len), remaining(deadline))) return std::nullopt;
    Frame f;
    f.fin = b0 & 0x80;
    f.opcode = b0 & 0x0F;
    f.payload = m_buffer.mid(header, qsizetype(len));
    if (masked)
        for (qsizetype i = 0; i < f.payload.size(); ++i) f.payload[i] = char(f.payload[i] ^ m_buffer[maskAt + (i % 4)]);
    m_buffer.remove(0, header + qsizetype(len));
    return f;
}

std::optional<RawWebSocket::Frame> RawWebSocket::readMessage(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    std::optional<Frame> message;
    while (const auto f = readFrame(remaining(deadline))) {
        if (f->opcode & 0x8) return f; // control frames may come between fragments
        if (!message) message = Frame{f->opcode, false, {}};
        message->payload += f->payload;
        if (f->fin) {
            message->fin = true;
            return message;
        }
    }
    return std::nullopt;
}

int RawWebSocket::waitForClose(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const auto f = readFrame(remaining(deadline));
        if (!f) return (m_socket.state() == QAbstractSocket::ConnectedState) ? kTimedOut : kNoCloseFrame;
        if (f->opcode == Close) {
            if (f->payload.size() < 2) return 1005;
            return qFromBigEndian<quint16>(f->payload.constData());
        }
    }
    return kTimedOut;
}

} // namespace natter::test
