// Small helpers shared by the REST route files: JSON answers and body parsing.
#pragma once

#include "http/rest_api.h"
#include "protocol/frame_codec.h"
#include "store/store_worker.h"

#include <optional>

namespace natter::server {

template <class T>
HttpResponse okJson(const T& body) {
    return HttpResponse{200, "application/json", protocol::serializeBody(body), {}};
}

inline HttpResponse noContent() { return HttpResponse{204, "application/json", "", {}}; }

// Parses the request body as T, answering 400/413 itself when it cannot.
template <class T>
std::optional<T> bodyOf(const RestCall& call, const Respond& respond) {
    auto parsed = protocol::parseBody<T>(call.request.body);
    if (!parsed) {
        respond(errorResponse(parsed.error()));
        return std::nullopt;
    }
    return std::move(*parsed);
}

template <class Fn>
void RestApi::answer(Respond respond, Fn fn) {
    ctx_.worker.submit(std::move(fn), [respond = std::move(respond)](auto result) {
        respond(result ? okJson(*result) : errorResponse(result.error()));
    });
}

} // namespace natter::server
