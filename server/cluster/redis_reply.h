// A Redis reply copied out of hiredis's redisReply, so callers never hold hiredis memory
// (it is freed as soon as the callback returns).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct redisReply;

namespace natter::server {

struct RedisReply {
    enum class Type { nil, integer, string, status, error, array };
    Type type = Type::nil;
    long long integer = 0;
    std::string str; // string, status and error replies
    std::vector<RedisReply> elements;

    bool isError() const { return type == Type::error; }
    bool isOk() const { return type == Type::status && str == "OK"; }

    static RedisReply from(const redisReply& reply);
};

} // namespace natter::server
