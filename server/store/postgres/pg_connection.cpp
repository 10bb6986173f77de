#include "store/postgres/pg_connection.h"

#include <arpa/inet.h>

#include <cstring>
#include <utility>

namespace natter::server::pg {
namespace {
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kByteaArray = 1001, kInt8Array = 1016;

std::string field(const PGresult* result, int code) {
    const char* value = result ? PQresultErrorField(result, code) : nullptr;
    return value ? value : "";
}

std::uint64_t readBigEndian(const char* p, int size) {
    std::uint64_t v = 0;
    for (int i = 0; i < size; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}
} // namespace

void Params::push(std::string value, int format, Oid type, bool isNull) {
    values_.push_back(std::make_unique<std::string>(std::move(value)));
    pointers_.push_back(isNull ? nullptr : values_.back()->data());
    lengths_.push_back(static_cast<int>(values_.back()->size()));
    formats_.push_back(format);
    types_.push_back(type);
}

Params::Params(const Params& other) {
    for (std::size_t i = 0; i < other.values_.size(); ++i)
        push(*other.values_[i], other.formats_[i], other.types_[i], other.pointers_[i] == nullptr);
}

Params& Params::add(std::int64_t value) {
    push(std::to_string(value), 0, kInt8, false);
    return *this;
}

Params& Params::add(bool value) {
    push(value ? "t" : "f", 0, kBool, false);
    return *this;
}

Params& Params::add(std::string_view text) {
    push(std::string(text), 1, kText, false);
    return *this;
}

Params& Params::bytes(std::string_view bytes) {
    push(std::string(bytes), 1, kBytea, false);
    return *this;
}

Params& Params::null() {
    push({}, 0, 0, true);
    return *this;
}

Params& Params::int64Array(const std::vector<std::int64_t>& values) {
    std::string text = "{";
    for (std::size_t i = 0; i < values.size(); ++i) text += (i ? "," : "") + std::to_string(values[i]);
    push(text + "}", 0, kInt8Array, false);
    return *this;
}

// The binary array format: dimensions, a has-nulls flag, the element type, then per dimension
// its length and lower bound, then each element as its length and bytes; all big-endian.
Params& Params::byteaArray(const std::vector<std::string_view>& values) {
    std::string out;
    const auto put = [&out](std::uint32_t v) {
        const std::uint32_t be = htonl(v);
        out.append(reinterpret_cast<const char*>(&be), sizeof be);
    };
    put(values.empty() ? 0 : 1);
    put(0);
    put(kBytea);
    if (!values.empty()) {
        put(static_cast<std::uint32_t>(values.size()));
        put(1);
    }
    for (const auto value : values) {
        put(static_cast<std::uint32_t>(value.size()));
        out.append(value);
    }
    push(std::move(out), 1, kByteaArray, false);
    return *this;
}

std::uint64_t Result::affected() const {
    const char* n = PQcmdTuples(result_.get());
    return n && *n ? std::strtoull(n, nullptr, 10) : 0;
}

std::int64_t Result::int64(int row, int column) const {
    if (isNull(row, column)) return 0;
    const char* p = PQgetvalue(result_.get(), row, column);
    const int size = PQgetlength(result_.get(), row, column);
    switch (PQftype(result_.get(), column)) {
    case kBool: return p[0] != 0 ? 1 : 0;
    case kInt2: return static_cast<std::int16_t>(readBigEndian(p, size));
    case kInt4: return static_cast<std::int32_t>(readBigEndian(p, size));
    case kInt8: return static_cast<std::int64_t>(readBigEndian(p, size));
    default: throw StoreError("column " + std::to_string(column) + " is not an integer");
    }
}

std::string Result::bytes(int row, int column) const {
    if (isNull(row, column)) return {};
    return std::string(PQgetvalue(result_.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

Connection::Connection(const std::string& uri, const std::string& applicationName)
    : uri_(uri), applicationName_(applicationName) {
    connect();
}

void Connection::connect() {
    prepared_.clear();
    // Later keywords override what the URI says: a hung node must not hold row locks for long,
    // and a dead peer is noticed within about 40 s.
    const char* keys[] = {"dbname", "application_name", "keepalives", "keepalives_idle", "keepalives_interval",
                          "keepalives_count", "connect_timeout", "options", nullptr};
    const char* values[] = {uri_.c_str(), applicationName_.c_str(), "1", "10", "10", "3", "10",
                            "-c idle_in_transaction_session_timeout=60000 -c client_min_messages=warning", nullptr};
    conn_.reset(PQconnectdbParams(keys, values, 1));
    if (!conn_) throw StoreError("cannot connect to PostgreSQL: out of memory");
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
        std::string why = PQerrorMessage(conn_.get());
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        conn_.reset();
        throw StoreError("cannot connect to PostgreSQL: " + why, "08001");
    }
}

void Connection::ensureConnected() {
    if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) return;
    connect();
}

bool Connection::inTransaction() const {
    return beginPending_ || (conn_ && PQtransactionStatus(conn_.get()) != PQTRANS_IDLE &&
                             PQtransactionStatus(conn_.get()) != PQTRANS_UNKNOWN);
}

void Connection::begin() {
    requireOpen();
    beginPending_ = true;
}

void Connection::commit() {
    if (deferred_.empty() && std::exchange(beginPending_, false)) return;
    exec("COMMIT"); // carries the deferred statements
}

void Connection::rollback() {
    beginPending_ = false;
    deferred_.clear();
    if (inTransaction()) exec("ROLLBACK");
}

Result Connection::check(PGresult* raw, std::string_view what) {
    Result result(raw);
    const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        rowsChanged_ += result.affected();
        return result;
    }
    // The primary message names the constraint or the problem, never the values (DETAIL would).
    std::string message = field(raw, PG_DIAG_MESSAGE_PRIMARY);
    if (message.empty()) message = PQerrorMessage(conn_.get());
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    std::string state = field(raw, PG_DIAG_SQLSTATE);
    if (state.empty() && PQstatus(conn_.get()) != CONNECTION_OK) state = "08006";
    throw StoreError(std::string(what) + ": " + message + (state.empty() ? "" : " (SQLSTATE " + state + ")"), state);
}

void Connection::requireOpen() const {
    if (!conn_) throw StoreError("not connected to PostgreSQL", "08003");
}

void Connection::exec(const std::string& sql) {
    requireOpen();
    if (!deferred_.empty()) {
        check(sendPipeline([&](PGconn* c) { return PQsendQueryParams(c, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0); }),
              "exec");
        return;
    }
    if (std::exchange(beginPending_, false)) check(PQexec(conn_.get(), "BEGIN"), "begin");
    check(PQexec(conn_.get(), sql.c_str()), "exec");
}

// Pipeline: BEGIN (if pending), the deferred statements, the statement, a sync; then every
// result up to the sync is read, so the connection leaves pipeline mode clean whatever failed.
// After a failure the server skips the rest (PGRES_PIPELINE_ABORTED): the first error is thrown.
// A connection that cannot send or leave pipeline mode is dropped: the next begin() reconnects.
template <class Send>
PGresult* Connection::sendPipeline(Send send) {
    PGconn* c = conn_.get();
    const bool withBegin = std::exchange(beginPending_, false);
    const auto deferred = std::exchange(deferred_, {});
    auto drop = [this](std::string_view what) {
        std::string why = PQerrorMessage(conn_.get());
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        conn_.reset();
        throw StoreError(std::string(what) + ": " + why, "08006");
    };
    bool sent = PQenterPipelineMode(c) == 1 &&
                (!withBegin || PQsendQueryParams(c, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1);
    for (const auto& d : deferred)
        sent = sent && (d.prepared ? PQsendQueryPrepared(c, d.statement.c_str(), d.params.size(), d.params.values(),
                                                         d.params.lengths(), d.params.formats(), 1)
                                   : PQsendQueryParams(c, d.statement.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0)) == 1;
    if (!sent || send(c) != 1 || PQpipelineSync(c) != 1) drop("cannot send to PostgreSQL");

    // One result per command, each followed by a NULL terminator.
    std::vector<std::unique_ptr<PGresult, ResultDeleter>> results;
    const std::size_t commands = (withBegin ? 1 : 0) + deferred.size() + 1;
    for (std::size_t i = 0; i < commands; ++i) {
        results.emplace_back(PQgetResult(c));
        if (results.back())
            while (PGresult* extra = PQgetResult(c)) PQclear(extra);
    }
    // Then the sync; two NULLs in a row mean nothing is left (a broken connection).
    for (int nulls = 0; nulls < 2;) {
        PGresult* next = PQgetResult(c);
        if (!next) {
            ++nulls;
            continue;
        }
        nulls = 0;
        const bool sync = PQresultStatus(next) == PGRES_PIPELINE_SYNC;
        PQclear(next);
        if (sync) break;
    }
    if (PQexitPipelineMode(c) != 1) drop("PostgreSQL connection left in pipeline mode");
    for (std::size_t i = 0; i + 1 < commands; ++i) // BEGIN and the deferred writes: throw the first error
        check(results[i].release(), withBegin && i == 0 ? "begin" : "deferred statement");
    return results.back().release();
}

const std::string& Connection::prepare(const char* sql, const Params& params) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
        const std::string name = "s" + std::to_string(prepared_.size() + 1);
        check(PQprepare(conn_.get(), name.c_str(), sql, params.size(), params.types()), "prepare");
        it = prepared_.emplace(sql, name).first;
    }
    return it->second;
}

Result Connection::query(const char* sql, const Params& params) {
    requireOpen();
    const std::string& name = prepare(sql, params); // a statement is prepared outside any pipeline
    auto send = [&](PGconn* c) {
        return PQsendQueryPrepared(c, name.c_str(), params.size(), params.values(), params.lengths(), params.formats(), 1);
    };
    if (pipelinePending()) return check(sendPipeline(send), "query");
    return check(PQexecPrepared(conn_.get(), name.c_str(), params.size(), params.values(), params.lengths(),
                                params.formats(), 1),
                 "query");
}

void Connection::defer(const char* sql, const Params& params) {
    requireOpen();
    if (!inTransaction()) {
        query(sql, params);
        return;
    }
    const std::string& name = prepare(sql, params); // a statement is prepared outside any pipeline
    deferred_.push_back(Deferred{name, params});
}

void Connection::deferCommand(const std::string& sql) {
    requireOpen();
    if (!inTransaction()) {
        exec(sql);
        return;
    }
    deferred_.push_back(Deferred{sql, {}, false});
}

Result Connection::run(const std::string& sql, const Params& params) {
    requireOpen();
    auto send = [&](PGconn* c) {
        return PQsendQueryParams(c, sql.c_str(), params.size(), params.types(), params.values(), params.lengths(),
                                 params.formats(), 1);
    };
    if (pipelinePending()) return check(sendPipeline(send), "query");
    return check(PQexecParams(conn_.get(), sql.c_str(), params.size(), params.types(), params.values(),
                              params.lengths(), params.formats(), 1),
                 "query");
}

} // namespace natter::server::pg
