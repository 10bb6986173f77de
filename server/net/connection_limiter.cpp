#include "net/connection_limiter.h"

namespace natter::server {

void ConnectionLimiter::Slot::release() {
    if (auto* limiter = std::exchange(limiter_, nullptr)) limiter->release(key_);
}

ConnectionLimiter::Key ConnectionLimiter::keyOf(const boost::asio::ip::address& address) {
    if (address.is_v4()) return {address.to_v4().to_uint(), false};
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) return {boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_uint(), false};
    const auto bytes = v6.to_bytes();
    std::uint64_t prefix = 0;
    for (std::size_t i = 0; i < 8; ++i) prefix = (prefix << 8) | bytes[i];
    return {prefix, true};
}

std::optional<ConnectionRefusal> ConnectionLimiter::admit(const boost::asio::ip::address& address, Slot& slot) {
    if (maxTotal_ != 0 && total_ >= maxTotal_) return ConnectionRefusal::global;
    const Key key = keyOf(address);
    auto& count = perAddress_[key];
    if (count >= maxPerAddress_) return ConnectionRefusal::per_address;
    ++count;
    ++total_;
    slot = Slot(this, key);
    return std::nullopt;
}

void ConnectionLimiter::release(Key key) {
    --total_;
    const auto it = perAddress_.find(key);
    if (it != perAddress_.end() && --it->second == 0) perAddress_.erase(it);
}

} // namespace natter::server
