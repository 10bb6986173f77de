#include "media/media_id.h"

#include "auth/secrets.h"

namespace natter::server {

std::string newMediaId() { return secrets::randomToken(32); }

} // namespace natter::server
