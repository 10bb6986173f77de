// RAII over libsignal-protocol-c ownership (model: qxmpp's OmemoLibWrappers.h): reference-counted
// objects (SIGNAL_UNREF), buffers (secrets zeroed on free), lists and handles. The only place raw ownership lives.
#pragma once

#include <QByteArray>

#include <signal_protocol.h>
#include <fingerprint.h>
#include <group_cipher.h>
#include <group_session_builder.h>
#include <key_helper.h>
#include <session_builder.h>
#include <session_cipher.h>

#include <cstdint>
#include <memory>
#include <utility>

namespace natter::client::crypto {

// Holds one reference to a libsignal object (create/generate/deserialize results) and drops
// it with SIGNAL_UNREF. Getters of libsignal return borrowed pointers: never wrap those.
template <class T>
class SignalRef {
public:
    SignalRef() = default;
    explicit SignalRef(T* owned) : m_ptr(owned) {}
    SignalRef(SignalRef&& other) noexcept : m_ptr(std::exchange(other.m_ptr, nullptr)) {}
    SignalRef& operator=(SignalRef&& other) noexcept {
        if (this != &other) reset(std::exchange(other.m_ptr, nullptr));
        return *this;
    }
    SignalRef(const SignalRef&) = delete;
    SignalRef& operator=(const SignalRef&) = delete;
    ~SignalRef() { reset(); }

    T* get() const { return m_ptr; }
    T* release() { return std::exchange(m_ptr, nullptr); }
    T* operator->() const { return m_ptr; }
    explicit operator bool() const { return m_ptr != nullptr; }
    // For out-parameters: releases the current object and returns where to write a new one.
    T** out() {
        reset();
        return &m_ptr;
    }
    void reset(T* owned = nullptr) {
        if (m_ptr) SIGNAL_UNREF(m_ptr);
        m_ptr = owned;
    }

private:
    T* m_ptr = nullptr;
};

// Owns a signal_buffer; Free is signal_buffer_free, or signal_buffer_bzero_free for secrets.
template <void (*Free)(signal_buffer*)>
class BasicBuffer {
public:
    BasicBuffer() = default;
    explicit BasicBuffer(signal_buffer* owned) : m_buf(owned) {}
    BasicBuffer(BasicBuffer&& other) noexcept : m_buf(std::exchange(other.m_buf, nullptr)) {}
    BasicBuffer& operator=(BasicBuffer&& other) noexcept {
        if (this != &other) reset(std::exchange(other.m_buf, nullptr));
        return *this;
    }
    BasicBuffer(const BasicBuffer&) = delete;
    BasicBuffer& operator=(const BasicBuffer&) = delete;
    ~BasicBuffer() { reset(); }

    signal_buffer* get() const { return m_buf; }
    // Gives up ownership (e.g. to libsignal, which frees what a store callback hands out).
    signal_buffer* release() { return std::exchange(m_buf, nullptr); }
    signal_buffer** out() {
        reset();
        return &m_buf;
    }
    void reset(signal_buffer* owned = nullptr) {
        if (m_buf) Free(m_buf);
        m_buf = owned;
    }
    explicit operator bool() const { return m_buf != nullptr; }
    const std::uint8_t* data() const { return m_buf ? signal_buffer_const_data(m_buf) : nullptr; }
    std::size_t size() const { return m_buf ? signal_buffer_len(m_buf) : 0; }
    QByteArray toByteArray() const {
        return m_buf ? QByteArray(reinterpret_cast<const char*>(data()), qsizetype(size())) : QByteArray();
    }

private:
    signal_buffer* m_buf = nullptr;
};

using Buffer = BasicBuffer<signal_buffer_free>;
using SecretBuffer = BasicBuffer<signal_buffer_bzero_free>;

// A fresh signal_buffer holding a copy of bytes, for store callbacks that hand a buffer to
// libsignal (which frees it). Null when out of memory.
inline signal_buffer* newSignalBuffer(const QByteArray& bytes) {
    return signal_buffer_create(reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size()));
}

namespace detail {
template <class T, void (*F)(T*)>
struct FreeWith {
    void operator()(T* p) const {
        if (p) F(p);
    }
};
} // namespace detail

// Handles that libsignal frees with a dedicated function rather than a reference count.
template <class T, void (*F)(T*)>
using Handle = std::unique_ptr<T, detail::FreeWith<T, F>>;

using ContextHandle = Handle<signal_context, signal_context_destroy>;
using StoreContextHandle = Handle<signal_protocol_store_context, signal_protocol_store_context_destroy>;
using SessionBuilderHandle = Handle<session_builder, session_builder_free>;
using SessionCipherHandle = Handle<session_cipher, session_cipher_free>;
using GroupSessionBuilderHandle = Handle<group_session_builder, group_session_builder_free>;
using GroupCipherHandle = Handle<group_cipher, group_cipher_free>;
using FingerprintGeneratorHandle = Handle<fingerprint_generator, fingerprint_generator_free>;
using IntListHandle = Handle<signal_int_list, signal_int_list_free>;
using PublicKeyListHandle = Handle<ec_public_key_list, ec_public_key_list_free>;
using PreKeyListHandle = Handle<signal_protocol_key_helper_pre_key_list_node, signal_protocol_key_helper_key_list_free>;

} // namespace natter::client::crypto
