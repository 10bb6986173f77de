// Field-by-field comparison of protocol structs (driven by their Boost.Describe lists), so
// a round trip failure names the first field that changed.
#pragma once

#include "protocol/json_codec.h"

#include <string>

namespace natter::protocol::test {

namespace detail {
template <class T>
void compareInto(const T& a, const T& b, const std::string& path, std::string& diff) {
    using json_codec::IsOptional;
    using json_codec::IsVector;
    if (!diff.empty()) return;
    if constexpr (json_codec::kIsStruct<T>) {
        boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto d) {
            compareInto(a.*d.pointer, b.*d.pointer, path.empty() ? std::string(d.name) : path + "." + d.name, diff);
        });
    } else if constexpr (IsOptional<T>::value) {
        if (a.has_value() != b.has_value())
            diff = path + (a.has_value() ? " was present and came back absent" : " was absent and came back present");
        else if (a)
            compareInto(*a, *b, path, diff);
    } else if constexpr (IsVector<T>::value) {
        if (a.size() != b.size()) {
            diff = path + " changed length from " + std::to_string(a.size()) + " to " + std::to_string(b.size());
            return;
        }
        for (std::size_t i = 0; i < a.size(); ++i) compareInto(a[i], b[i], path + "[" + std::to_string(i) + "]", diff);
    } else if (!(a == b)) {
        diff = path + " changed value";
    }
}
} // namespace detail

// Empty when every described field of a and b is equal, else the path of the first difference.
template <class T>
std::string firstDifference(const T& a, const T& b) {
    std::string diff;
    detail::compareInto(a, b, "", diff);
    return diff;
}

} // namespace natter::protocol::test
