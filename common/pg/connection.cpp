// common/pg/connection.cpp
#include "common/pg/connection.hpp"

#include <map>
#include <memory>

#include "common/pg/libpq.hpp"

namespace mg::pg {
namespace {

using ConninfoPtr = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;
using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

//! The loaded libpq: a Connection exists only once open() has loaded it.
const LibPq& pq() {
  static const LibPq& table = **libpq();  // looked up once, not for every cell of every result
  return table;
}

//! Removes every occurrence of `secret` (when set) from a message that libpq or the server wrote.
std::string scrub(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "<redacted>");
  }
  return text;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

//! The settings as libpq keywords: the DSN's own options, then the overrides.
Result<std::map<std::string, std::string>> keywords(const ConnectionSettings& settings, const std::string& database) {
  char* err = nullptr;
  ConninfoPtr parsed(pq().conninfo_parse(settings.dsn.c_str(), &err), pq().conninfo_free);
  if (!parsed) {
    if (err) pq().freemem(err);  // its text may quote the DSN, password included
    return make_invalid("the DSN is neither a libpq key=value connection string nor a postgresql:// URI");
  }
  std::map<std::string, std::string> out;
  for (auto* o = parsed.get(); o->keyword; ++o) {
    if (o->val && *o->val) out[o->keyword] = o->val;
  }
  if (settings.sslmode) out["sslmode"] = std::string(api::Codec<api::SslMode>::name(*settings.sslmode));
  if (!settings.ca_file.empty()) out["sslrootcert"] = settings.ca_file;
  if (!settings.dbname.empty()) out["dbname"] = settings.dbname;
  if (!database.empty()) out["dbname"] = database;
  out["connect_timeout"] = std::to_string(std::max<int64_t>(1, settings.connect_timeout.count()));
  if (!settings.application_name.empty()) out["application_name"] = settings.application_name;
  out["client_encoding"] = "UTF8";  // names are UTF-8 in the spec
  return out;
}

//! The error code for a SQLSTATE: whether retrying or the user must act.
ErrorCode code_for(std::string_view sqlstate) {
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57") || sqlstate.starts_with("53")) {
    return ErrorCode::Transient;  // connection, operator intervention (shutdown), resources
  }
  if (sqlstate == "42501") return ErrorCode::Forbidden;
  if (sqlstate.starts_with("28")) return ErrorCode::Unauthorized;
  if (sqlstate == "42704" || sqlstate == "3D000" || sqlstate == "42P01" || sqlstate == "3F000") {
    return ErrorCode::NotFound;  // a role, database, table or schema the spec names is missing
  }
  return ErrorCode::Conflict;
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(const ConnectionSettings& settings, const std::string& database) {
  if (auto loaded = libpq(); !loaded.ok()) return loaded.error();
  auto kw = keywords(settings, database);
  if (!kw) return kw.error();
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : *kw) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  // expand_dbname = 0: a database name is only ever a name, never a connection string.
  PGconn* raw = pq().connectdb_params(keys.data(), values.data(), 0);
  std::string password = kw->contains("password") ? kw->at("password") : "";
  std::unique_ptr<Connection> conn(new Connection(raw, password));
  if (!raw || pq().status(raw) != CONNECTION_OK) {
    std::string msg = raw ? trim(pq().error_message(raw)) : "out of memory";
    return make_error(ErrorCode::Transient, "connecting to PostgreSQL: " + scrub(msg, password));
  }
  // NOTICEs ("does not exist, skipping") are expected; libpq would print them to stderr.
  pq().set_notice_processor(
      raw, [](void*, const char*) {}, nullptr);
  // A reconcile must not hang a worker behind a lock held by an application.
  auto set = conn->run("setting timeouts", "SET statement_timeout = '60s'; SET lock_timeout = '10s'", {});
  if (!set) return set.error();
  return conn;
}

Connection::~Connection() {
  if (conn_) pq().finish(conn_);
}

bool Connection::broken() const {
  return !conn_ || pq().status(conn_) != CONNECTION_OK;
}

std::string Connection::user() const {
  return conn_ ? pq().user(conn_) : "";
}

Result<Rows> Connection::run(std::string_view what, const std::string& sql, const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  ResultPtr res(params.empty() ? pq().exec(conn_, sql.c_str())
                               : pq().exec_params(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                                                  values.data(), nullptr, nullptr, 0),
                pq().clear);
  auto status = res ? pq().result_status(res.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    Rows rows;
    for (int r = 0; r < pq().ntuples(res.get()); ++r) {
      Row row;
      for (int c = 0; c < pq().nfields(res.get()); ++c) {
        row.push_back(pq().getisnull(res.get(), r, c) ? Value{} : Value{pq().getvalue(res.get(), r, c)});
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }
  // Only the fields, never PQresultErrorMessage: that one can quote the statement (LINE 1: ...).
  auto field = [&](int code) -> std::string {
    const char* v = res ? pq().result_error_field(res.get(), code) : nullptr;
    return v ? v : "";
  };
  std::string sqlstate = field(PG_DIAG_SQLSTATE);
  std::string msg = field(PG_DIAG_MESSAGE_PRIMARY);
  if (msg.empty()) msg = trim(pq().error_message(conn_));  // no result: the connection failed
  if (auto detail = field(PG_DIAG_MESSAGE_DETAIL); !detail.empty()) msg += " (" + trim(detail) + ")";
  if (auto hint = field(PG_DIAG_MESSAGE_HINT); !hint.empty()) msg += " (hint: " + trim(hint) + ")";
  ErrorCode code = broken() ? ErrorCode::Transient : code_for(sqlstate);
  if (!sqlstate.empty()) msg += " [SQLSTATE " + sqlstate + "]";
  return make_error(code, std::string(what) + ": " + scrub(msg, password_));
}

Result<Rows> Connection::query(std::string_view what, const std::string& sql, const Params& params) {
  return run(what, sql, params);
}

Result<void> Connection::exec(std::string_view what, const std::string& sql, const Params& params) {
  auto r = run(what, sql, params);
  if (!r) return r.error();
  ++writes_;
  return {};
}

Result<std::string> Connection::literal(std::string_view value) {
  std::unique_ptr<char, decltype(&PQfreemem)> quoted(pq().escape_literal(conn_, value.data(), value.size()),
                                                     pq().freemem);
  if (!quoted) return make_invalid("a value cannot be quoted as a literal: " + trim(pq().error_message(conn_)));
  return std::string(quoted.get());
}

}  // namespace mg::pg
