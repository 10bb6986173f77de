#include "cluster/redis_reply.h"

#include <hiredis/hiredis.h>

namespace natter::server {

RedisReply RedisReply::from(const redisReply& r) {
    RedisReply out;
    switch (r.type) {
    case REDIS_REPLY_INTEGER:
        out.type = Type::integer;
        out.integer = r.integer;
        break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        out.type = r.type == REDIS_REPLY_STRING ? Type::string : r.type == REDIS_REPLY_STATUS ? Type::status : Type::error;
        out.str.assign(r.str, r.len);
        break;
    case REDIS_REPLY_ARRAY:
        out.type = Type::array;
        out.elements.reserve(r.elements);
        for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(from(*r.element[i]));
        break;
    default:
        out.type = Type::nil;
    }
    return out;
}

} // namespace natter::server
