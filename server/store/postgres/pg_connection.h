// Thin RAII layer over libpq: a connection that prepares each statement once and runs it with
// parameters (numbers as text, strings and bytes as binary, so nothing is escaped or cut at a
// NUL), and a result read in binary with typed getters. Failures throw StoreError carrying the
// SQLSTATE, so callers can tell a serialization failure or deadlock from a unique violation.
// Parameters never reach an error message or the log: they can be ciphertext or codes.
// A transaction's BEGIN is not sent on its own: it travels in one pipeline with the first
// statement (one round trip less per transaction), and a transaction that ran nothing sends
// neither BEGIN nor COMMIT. Writes whose result nobody reads (`defer`) wait likewise and go out
// in the pipeline of the next statement or of the COMMIT.
#pragma once

#include "store/store_records.h"

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace natter::server::pg {

// Positional parameters $1, $2, ... in the order they are added.
class Params {
public:
    Params& add(std::int64_t value);
    Params& add(std::uint64_t value) { return add(static_cast<std::int64_t>(value)); }
    Params& add(std::uint32_t value) { return add(static_cast<std::int64_t>(value)); }
    Params& add(int value) { return add(static_cast<std::int64_t>(value)); }
    Params& add(bool value);
    Params& add(std::string_view text); // TEXT
    Params& add(const std::string& text) { return add(std::string_view(text)); }
    Params& add(const char* text) { return add(std::string_view(text)); }
    Params& bytes(std::string_view bytes); // BYTEA
    Params& bytes(const std::string& value) { return bytes(std::string_view(value)); }
    Params& bytes(const std::optional<std::string>& value) { return value ? bytes(*value) : null(); }
    Params& null();
    Params& int64Array(const std::vector<std::int64_t>& values); // BIGINT[]
    Params& byteaArray(const std::vector<std::string_view>& values); // BYTEA[], sent in binary
    template <class T>
    Params& add(const std::optional<T>& value) {
        return value ? add(*value) : null();
    }
    Params() = default;
    Params(const Params& other); // a deep copy (defer keeps its parameters past the call)
    Params(Params&&) = default;
    Params& operator=(Params&&) = default;

    int size() const { return static_cast<int>(values_.size()); }
    const char* const* values() const { return pointers_.data(); }
    const int* lengths() const { return lengths_.data(); }
    const int* formats() const { return formats_.data(); }
    const Oid* types() const { return types_.data(); }

private:
    void push(std::string value, int format, Oid type, bool isNull);

    std::vector<std::unique_ptr<std::string>> values_; // stable addresses for pointers_
    std::vector<const char*> pointers_;
    std::vector<int> lengths_;
    std::vector<int> formats_;
    std::vector<Oid> types_;
};

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};

// The rows of one statement, every column in binary format.
class Result {
public:
    explicit Result(PGresult* result) : result_(result) {}

    int rows() const { return PQntuples(result_.get()); }
    bool empty() const { return rows() == 0; }
    // Rows a command inserted, updated or deleted.
    std::uint64_t affected() const;
    bool isNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
    // Integers of any width and booleans (as 0/1); NULL reads as 0.
    std::int64_t int64(int row, int column) const;
    std::optional<std::int64_t> optInt64(int row, int column) const {
        return isNull(row, column) ? std::nullopt : std::optional(int64(row, column));
    }
    // TEXT and BYTEA alike: the raw bytes.
    std::string bytes(int row, int column) const;
    std::optional<std::string> optBytes(int row, int column) const {
        return isNull(row, column) ? std::nullopt : std::optional(bytes(row, column));
    }

private:
    std::unique_ptr<PGresult, ResultDeleter> result_;
};

struct ConnectionDeleter {
    void operator()(PGconn* c) const { PQfinish(c); }
};

class Connection {
public:
    // Connects to a libpq URI (postgres://USER@HOST:PORT/DB) with TCP keepalives, an
    // idle-in-transaction timeout and `applicationName`. Throws StoreError.
    Connection(const std::string& uri, const std::string& applicationName);

    // Runs one or more statements without parameters (migrations, savepoints).
    void exec(const std::string& sql);
    // Starts a transaction: BEGIN goes out with the next statement.
    void begin();
    void commit();   // a transaction that ran nothing ends without a round trip
    void rollback(); // nothing to do outside a transaction
    // Runs `sql`, a string literal, prepared once per connection (cached by address).
    Result query(const char* sql, const Params& params = {});
    // Inside a transaction: runs `sql` (as query) in one pipeline with the next statement or the
    // COMMIT, whichever comes first, and throws its error there; a rollback drops it unsent.
    // Outside a transaction: runs it now. For writes whose result the caller does not need.
    void defer(const char* sql, const Params& params);
    // The same for a command without parameters that cannot be prepared (SAVEPOINT, RELEASE).
    void deferCommand(const std::string& sql);
    // Runs `sql` built at run time (not prepared, not cached): bulk tools such as natterd migrate.
    Result run(const std::string& sql, const Params& params);
    // Rows changed by every command on this connection so far.
    std::uint64_t rowsChanged() const { return rowsChanged_; }
    bool inTransaction() const;
    // Reconnects when the server went away (a restart, a broken socket); throws if it cannot.
    // Called only between transactions: a statement never silently reconnects mid-transaction.
    void ensureConnected();

private:
    void connect();
    void requireOpen() const;
    Result check(PGresult* result, std::string_view what);
    const std::string& prepare(const char* sql, const Params& params);
    // Sends a pending BEGIN, the deferred statements and one more (queued by `send`) in one
    // pipeline; throws the first of their errors, or returns the last statement's result.
    template <class Send>
    PGresult* sendPipeline(Send send);
    bool pipelinePending() const { return beginPending_ || !deferred_.empty(); }

    struct Deferred {
        std::string statement; // prepared statement name, or the command's text when !prepared
        Params params;
        bool prepared = true;
    };

    std::string uri_;
    std::string applicationName_;
    std::unique_ptr<PGconn, ConnectionDeleter> conn_;
    std::unordered_map<const char*, std::string> prepared_;
    std::uint64_t rowsChanged_ = 0;
    bool beginPending_ = false;
    std::vector<Deferred> deferred_;
};

} // namespace natter::server::pg
