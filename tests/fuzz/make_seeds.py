#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs (corpus/<target>/seed-*): the JSON examples, Range
headers and request targets of docs/protocol.md, and hand-written HTTP and WebSocket sessions.
Run by `make fuzz`; seeds are rewritten, inputs the fuzzer found are left alone."""
import pathlib
import re
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
DOC = HERE.parent.parent / "docs" / "protocol.md"
MARKER = re.compile(r"^<!--\s*(frame|body):\s*(\S+)\s*-->$")
EXTRA_RANGES = ("bytes=0-99", "bytes=-0", "bytes=10-5", "Bytes= 5 - 9 ", "items=0-1", "bytes=0-99,200-299",
                "bytes=18446744073709551616-", "bytes=-18446744073709551615")
EXTRA_TARGETS = ("/api/users/7/keys?device_id=1", "/ws?access_token=a%2Bb%3D&x=1", "/ws?x&access_token",
                 "/api/chats/dm%3A1%3A2/messages?before=10&limit=200&limit=%zz")
E2E_BODIES = {"Content", "Attachment", "SenderKeyDistribution", "GroupSecretShare", "ResendRequest"}


def doc_examples(text):
    """(line, kind, name, json) for every ```json block with a marker, as tst_protocol_document reads them."""
    lines = text.split("\n")
    last = ""
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line.startswith("```"):
            if line:
                last = line
            i += 1
            continue
        is_json = line[3:].strip().lower().startswith("json")
        start = i + 1
        body = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        m = MARKER.match(last)
        if is_json and m:
            yield start, m.group(1), m.group(2), "\n".join(body) + "\n"
        last = ""


def ws_frame(opcode, payload, fin=True, mask=b"\x00\x00\x00\x00"):
    """A client-to-server WebSocket frame (always masked, as RFC 6455 requires of clients)."""
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack(">H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack(">Q", n)
    masked = bytes(b ^ mask[k % 4] for k, b in enumerate(payload))
    return head + mask + masked


def http(request_line, headers=(), body=b""):
    out = request_line + "\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
    return out.encode() + body


UPGRADE_HEADERS = ("Host: natter.test", "Upgrade: websocket", "Connection: Upgrade",
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13")


def upgrade(target="/ws?access_token=t"):
    return http("GET " + target + " HTTP/1.1", UPGRADE_HEADERS)


def transport_sessions():
    ping = b'{"type": "ping", "id": "p-1"}'
    close = ws_frame(0x8, struct.pack(">H", 1000) + b"bye")
    yield "get-keepalive", http("GET /healthz HTTP/1.1", ("Host: natter.test",)) + \
        http("GET /metrics HTTP/1.1", ("Host: natter.test", "Connection: close"))
    yield "post-body", http("POST /api/register HTTP/1.1", ("Host: natter.test", "Content-Type: application/json",
                                                           "Content-Length: 24"), b'{"phone": "+4915112345"}')
    yield "post-chunked", http("POST /api/profile HTTP/1.1", ("Host: natter.test", "Transfer-Encoding: chunked"),
                               b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
    yield "post-too-large", http("POST /api/x HTTP/1.1", ("Host: natter.test", "Content-Length: 5000"), b"x" * 64)
    yield "upload", http("POST /upload HTTP/1.1", ("Host: natter.test", "Content-Length: 11"), b"hello world")
    yield "upload-continue", http("POST /upload HTTP/1.1", ("Host: natter.test", "Expect: 100-continue",
                                                          "Content-Length: 4"), b"abcd")
    yield "upload-too-large", http("POST /upload HTTP/1.1", ("Host: natter.test", "Transfer-Encoding: chunked"),
                                   b"300\r\n" + b"y" * 0x300 + b"\r\n0\r\n\r\n")
    yield "refused", http("POST /refuse HTTP/1.1", ("Host: natter.test", "Content-Length: 3"), b"abc")
    for name, value in (("range", "bytes=10-20"), ("range-suffix", "bytes=-5"), ("range-past", "bytes=200-"),
                        ("range-many", "bytes=0-1,5-6")):
        yield "file-" + name, http("GET /file HTTP/1.1", ("Host: natter.test", "Range: " + value))
    yield "file-gone", http("GET /gone HTTP/1.1", ("Host: natter.test",))
    yield "answer-later", http("GET /later HTTP/1.1", ("Host: natter.test",)) + \
        http("GET /later HTTP/1.1", ("Host: natter.test",))
    yield "http10-close", http("GET /healthz HTTP/1.0", ())
    yield "malformed", b"GET / HTTP/9.9\r\nHost\r\n\r\n"
    yield "ws-ping-close", upgrade() + ws_frame(0x1, ping) + ws_frame(0x9, b"hi") + close
    yield "ws-fragmented", upgrade() + ws_frame(0x1, ping[:10], fin=False) + ws_frame(0x9, b"") + \
        ws_frame(0x0, ping[10:20], fin=False) + ws_frame(0x0, ping[20:]) + close
    yield "ws-masked", upgrade() + ws_frame(0x1, b'{"type": "ack", "message_id": 1, "status": "read"}',
                                           mask=b"\x12\x34\x56\x78")
    yield "ws-long", upgrade() + ws_frame(0x1, b'{"type": "typing", "chat_id": "' + b"c" * 300 + b'"}')
    yield "ws-binary", upgrade() + ws_frame(0x2, b"\x00\x01") + ws_frame(0x1, ping)
    yield "ws-flood", upgrade() + ws_frame(0x1, b"flood") + ws_frame(0x1, ping)
    yield "ws-server-close", upgrade() + ws_frame(0x1, b"close") + ws_frame(0x1, ping) + close
    yield "ws-pong-unsolicited", upgrade() + ws_frame(0xA, b"") + close
    yield "ws-too-big", upgrade() + ws_frame(0x1, b"z" * 5000)
    yield "ws-bad-token", upgrade("/ws?access_token=bad")
    yield "ws-token-later", upgrade("/ws?access_token=later") + ws_frame(0x1, ping)
    yield "ws-wrong-path", upgrade("/api/ws")


def write(target, name, data):
    directory = HERE / "corpus" / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ("seed-" + name)).write_bytes(data)


def main():
    text = DOC.read_text(encoding="utf-8")
    for line, kind, name, json in doc_examples(text):
        data = json.encode()
        if kind == "frame":
            write("frame_decoder", "doc-%d" % line, data)
        else:
            write("rest_bodies", "doc-%d-%s" % (line, name), data)
            if name in E2E_BODIES:
                write("e2e_content", "doc-%d-%s" % (line, name), data)
    ranges = set(re.findall(r"bytes=[0-9-][0-9,-]*", text)) | set(EXTRA_RANGES)
    for k, header in enumerate(sorted(ranges)):
        for size in (0, 100, 2097152):
            write("byte_range", "%d-%d" % (k, size), struct.pack("<Q", size) + header.encode())
    targets = set(re.findall(r"`(?:[A-Z]+ )?(/[^`\s]*\?[^`\s]*)`", text)) | set(EXTRA_TARGETS)
    for k, target in enumerate(sorted(targets)):
        for name in re.findall(r"[?&]([a-z_]+)=", target):
            write("query_string", "%d-%s" % (k, name), (name + "\n" + target).encode())
    for name, session in transport_sessions():
        write("transport", name, b"\x00" + session)
        write("transport", name + "-pieces", b"\x07" + session)
    return 0


if __name__ == "__main__":
    sys.exit(main())
