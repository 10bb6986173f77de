// Generic JSON <-> struct conversion driven by Boost.Describe: every protocol struct
// describes its fields once, and this codec decodes with field-precise errors
// ("envelopes[1].device_id must be an unsigned integer") and encodes without nulls.
#pragma once

#include "protocol/error.h"

#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace natter::protocol::json_codec {

namespace json = boost::json;

template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};

template <class T>
constexpr bool kIsStruct = boost::describe::has_describe_members<T>::value;
template <class T>
constexpr bool kIsEnum = boost::describe::has_describe_enumerators<T>::value;

inline Error fieldError(const std::string& path, std::string_view expected) {
    return makeError(ErrorCode::InvalidField,
                     "field '" + path + "' must be " + std::string(expected));
}

template <class E>
std::string enumChoices() {
    std::string out = "one of:";
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
        out += ' ';
        out += d.name;
    });
    return out;
}

template <class T>
std::optional<Error> decode(const json::value& v, T& out, const std::string& path);

template <class T>
std::optional<Error> decodeStruct(const json::object& obj, T& out, const std::string& prefix) {
    std::optional<Error> err;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto d) {
            if (err) return;
            using Member = std::remove_cvref_t<decltype(out.*d.pointer)>;
            const std::string path = prefix.empty() ? std::string(d.name) : prefix + "." + d.name;
            const auto* found = obj.if_contains(d.name);
            if (!found || found->is_null()) {
                if constexpr (IsOptional<Member>::value || IsVector<Member>::value) {
                    out.*d.pointer = {}; // absent optional: empty; absent list: no items
                } else {
                    err = makeError(ErrorCode::InvalidField, "missing field '" + path + "'");
                }
                return;
            }
            err = decode(*found, out.*d.pointer, path);
        });
    return err;
}

template <class T>
std::optional<Error> decode(const json::value& v, T& out, const std::string& path) {
    if constexpr (std::is_same_v<T, std::string>) {
        if (!v.is_string()) return fieldError(path, "a string");
        out.assign(v.get_string().data(), v.get_string().size());
    } else if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_bool()) return fieldError(path, "a boolean");
        out = v.get_bool();
    } else if constexpr (std::is_floating_point_v<T>) {
        if (v.is_double()) out = static_cast<T>(v.get_double());
        else if (v.is_int64()) out = static_cast<T>(v.get_int64());
        else if (v.is_uint64()) out = static_cast<T>(v.get_uint64());
        else return fieldError(path, "a number");
    } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
        std::uint64_t n = 0;
        if (v.is_uint64()) n = v.get_uint64();
        else if (v.is_int64() && v.get_int64() >= 0) n = static_cast<std::uint64_t>(v.get_int64());
        else return fieldError(path, "an unsigned integer");
        if (n > std::numeric_limits<T>::max()) return fieldError(path, "an unsigned integer in range");
        out = static_cast<T>(n);
    } else if constexpr (std::is_integral_v<T>) {
        std::int64_t n = 0;
        if (v.is_int64()) n = v.get_int64();
        else if (v.is_uint64() && v.get_uint64() <= std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            n = static_cast<std::int64_t>(v.get_uint64());
        else return fieldError(path, "an integer");
        if (n < std::numeric_limits<T>::min() || n > std::numeric_limits<T>::max())
            return fieldError(path, "an integer in range");
        out = static_cast<T>(n);
    } else if constexpr (kIsEnum<T>) {
        // enum_from_string compares C strings: reject an embedded NUL, or "read\u0000x" would match "read".
        if (!v.is_string() || v.get_string().find('\0') != json::string::npos ||
            !boost::describe::enum_from_string(v.get_string().c_str(), out))
            return fieldError(path, enumChoices<T>());
    } else if constexpr (IsOptional<T>::value) {
        typename T::value_type inner{};
        if (auto e = decode(v, inner, path)) return e;
        out = std::move(inner);
    } else if constexpr (IsVector<T>::value) {
        if (!v.is_array()) return fieldError(path, "an array");
        const auto& arr = v.get_array();
        out.clear();
        out.reserve(arr.size());
        for (std::size_t i = 0; i < arr.size(); ++i) {
            typename T::value_type item{};
            if (auto e = decode(arr[i], item, path + "[" + std::to_string(i) + "]")) return e;
            out.push_back(std::move(item));
        }
    } else if constexpr (kIsStruct<T>) {
        if (!v.is_object()) return fieldError(path, "an object");
        return decodeStruct(v.get_object(), out, path);
    } else {
        static_assert(sizeof(T) == 0, "json_codec: unsupported field type");
    }
    return std::nullopt;
}

template <class T>
json::value encode(const T& in);

template <class T>
void encodeStructInto(const T& in, json::object& obj) {
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto d) {
            const auto& member = in.*d.pointer;
            using Member = std::remove_cvref_t<decltype(member)>;
            if constexpr (IsOptional<Member>::value) {
                if (member) obj[d.name] = encode(*member);
            } else {
                obj[d.name] = encode(member);
            }
        });
}

template <class T>
json::value encode(const T& in) {
    if constexpr (std::is_same_v<T, std::string>) {
        return json::value(json::string_view(in.data(), in.size()));
    } else if constexpr (std::is_same_v<T, bool>) {
        return json::value(in);
    } else if constexpr (std::is_floating_point_v<T>) {
        return json::value(static_cast<double>(in));
    } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
        return json::value(static_cast<std::uint64_t>(in));
    } else if constexpr (std::is_integral_v<T>) {
        return json::value(static_cast<std::int64_t>(in));
    } else if constexpr (kIsEnum<T>) {
        const char* name = boost::describe::enum_to_string(in, "unknown");
        return json::value(name);
    } else if constexpr (IsVector<T>::value) {
        json::array arr;
        arr.reserve(in.size());
        for (const auto& item : in) arr.push_back(encode(item));
        return arr;
    } else if constexpr (kIsStruct<T>) {
        json::object obj;
        encodeStructInto(in, obj);
        return obj;
    } else {
        static_assert(sizeof(T) == 0, "json_codec: unsupported field type");
    }
}

} // namespace natter::protocol::json_codec
