// The application side of the transport fuzz target: a TransportHandler that uses every part
// of the seam natterd's application uses (bodies to memory, to a file or refused; answers now
// or later, strings and file slices with Range; upgrades accepted or refused; WebSocket frames
// answered, floods past the queue caps, closes), driven by the request target and frame text.
#pragma once

#include "fuzz_check.h"

#include "http/byte_range.h"
#include "http/url.h"
#include "net/connection.h"
#include "protocol/frame_codec.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <unistd.h>

namespace natter::fuzz {

namespace proto = natter::protocol;
using namespace natter::server;

// A scratch directory for uploads and the file served by /file, removed at exit.
class ScratchDir {
public:
    ScratchDir() {
        path_ = std::filesystem::temp_directory_path() / ("natter-fuzz-transport-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path_);
        std::ofstream(path_ / "served", std::ios::binary) << std::string(kServedBytes, 'x');
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    static constexpr std::uint64_t kServedBytes = 100;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// One WebSocket's protocol side: parses each text frame as natterd does and answers it.
class FuzzConnectionHandler final : public ConnectionHandler {
public:
    explicit FuzzConnectionHandler(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {}

    void onText(std::string_view text) override {
        FUZZ_CHECK(!closed_);
        if (text == "close") return connection_->close(CloseCode::Normal, "bye");
        if (text.starts_with("flood")) return flood();
        std::string ref;
        auto frame = proto::parseClientFrame(text, ref);
        proto::ErrorFrame answer;
        if (!frame) {
            answer.code = std::string(proto::toString(frame.error().code));
            answer.message = frame.error().message;
        } else {
            answer.code = "ok";
            answer.message = "parsed";
        }
        if (!ref.empty()) answer.ref = ref;
        send(proto::serializeFrame(answer));
    }
    void onBinary(std::string_view) override {
        FUZZ_CHECK(!closed_);
        connection_->close(CloseCode::ProtocolError, "binary frames are not part of the protocol");
    }
    void onActivity() override { FUZZ_CHECK(!closed_); }
    void onDrained() override { FUZZ_CHECK(!closed_); }
    void onClosed() override {
        FUZZ_CHECK(!closed_); // exactly once
        closed_ = true;
        connection_.reset(); // as DeviceSession does: the connection and its handler let go of each other
    }

private:
    void send(std::string text) {
        const auto result = connection_->send(std::make_shared<const std::string>(std::move(text)));
        if (result != SendResult::queued) FUZZ_CHECK(connection_->send(std::make_shared<const std::string>("x")) ==
                                                     SendResult::closing);
    }
    // More than the queue holds at once: the connection closes as a slow consumer.
    void flood() {
        for (int i = 0; i < 64 && connection_; ++i) {
            connection_->congested();
            if (connection_->send(std::make_shared<const std::string>(std::string(100, 'f'))) != SendResult::queued)
                break;
        }
    }

    std::shared_ptr<Connection> connection_;
    bool closed_ = false;
};

class FuzzApp final : public TransportHandler {
public:
    FuzzApp(boost::asio::any_io_executor executor, const ScratchDir& scratch)
        : executor_(std::move(executor)), scratch_(scratch) {}

    BodyPlan planBody(const HttpRequest& head) override {
        if (head.target.starts_with("/upload"))
            return BodyToFile{scratch_.path() / ("upload-" + std::to_string(++uploads_)), 512};
        if (head.target.starts_with("/refuse")) return BodyRefused{answer(403, "refused")};
        return BodyToMemory{};
    }

    void handleHttp(HttpRequest request, Respond respond) override {
        if (request.body_file) {
            FUZZ_CHECK(std::filesystem::file_size(*request.body_file) == request.body_file_bytes);
            std::filesystem::remove(*request.body_file);
            return respond(answer(201, "stored"));
        }
        if (request.target.starts_with("/file")) return respond(slice(request.range));
        if (request.target.starts_with("/gone"))
            return respond(HttpResponse{200, "application/octet-stream", "", {}, FileSlice{scratch_.path() / "none", 0, 1}});
        if (request.target.starts_with("/later")) {
            boost::asio::post(executor_, [respond = std::move(respond), size = request.body.size()] {
                respond(answer(200, std::to_string(size)));
            });
            return;
        }
        respond(answer(200, std::to_string(request.body.size())));
    }

    void authenticateUpgrade(const HttpRequest& request,
                             std::function<void(proto::Result<DeviceIdentity>)> done) override {
        const auto token = url::queryParam(request.target, "access_token").value_or("");
        if (token == "bad") return done(proto::makeError(proto::ErrorCode::Unauthorized, "bad token"));
        if (token == "later") {
            boost::asio::post(executor_, [done = std::move(done)] { done(DeviceIdentity{1, 1}); });
            return;
        }
        done(DeviceIdentity{1, 1});
    }

    std::shared_ptr<ConnectionHandler> openConnection(const DeviceIdentity&,
                                                      std::shared_ptr<Connection> connection) override {
        return std::make_shared<FuzzConnectionHandler>(std::move(connection));
    }

private:
    static HttpResponse answer(unsigned status, std::string body) {
        return HttpResponse{status, "text/plain", std::move(body), {}};
    }

    // The media download's use of Range: 206 with a slice, 416, or the whole file.
    HttpResponse slice(const std::string& rangeHeader) const {
        constexpr auto size = ScratchDir::kServedBytes;
        const ByteRange range = resolveRange(rangeHeader, size);
        HttpResponse r{200, "application/octet-stream", "", {}, FileSlice{scratch_.path() / "served", 0, size}};
        if (range.kind == ByteRange::Kind::unsatisfiable) return answer(416, "range not satisfiable");
        if (range.kind == ByteRange::Kind::partial) {
            r.status = 206;
            r.file->offset = range.offset;
            r.file->length = range.length;
            r.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.offset) + "-" +
                                                        std::to_string(range.offset + range.length - 1) + "/" +
                                                        std::to_string(size));
        }
        return r;
    }

    boost::asio::any_io_executor executor_;
    const ScratchDir& scratch_;
    std::uint64_t uploads_ = 0;
};

} // namespace natter::fuzz
