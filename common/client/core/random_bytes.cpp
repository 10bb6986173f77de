#include "client/core/random_bytes.h"

#include <openssl/rand.h>

#include <cstdlib>

namespace natter::client {

QByteArray randomBytes(int count) {
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), count) != 1) std::abort();
    return out;
}

} // namespace natter::client
