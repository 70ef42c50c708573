// common/pg/connection.hpp
//! One libpq connection (RAII): statements with parameters, rows as text, PostgreSQL's error text
//! (primary message + detail + hint, never the statement), and a count of the writes issued so that a
//! reconcile can say it changed nothing. Not thread-safe; the Pool hands it to one caller at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/pg/pg.hpp"

struct pg_conn;

namespace mg::pg {

using Value = std::optional<std::string>;  //!< a parameter or a column; nullopt = SQL NULL
using Row = std::vector<Value>;
using Rows = std::vector<Row>;
using Params = std::vector<Value>;

class Connection {
 public:
  //! Connects to `database` ("" = settings.dbname, then the DSN's). Errors: Invalid for a DSN libpq
  //! cannot parse (its text is not quoted: it may hold a password), Transient when the server cannot be
  //! reached or refuses the login (libpq's message, the password scrubbed from it).
  static Result<std::unique_ptr<Connection>> open(const ConnectionSettings& settings, const std::string& database);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  //! A read: every row, every column as text. `what` names the query in errors.
  Result<Rows> query(std::string_view what, const std::string& sql, const Params& params = {});
  //! A write (DDL, GRANT, ...): counted in writes(). `what` names it in errors; the SQL text is never
  //! put into an error, so statements that carry a password verifier are safe to run here.
  Result<void> exec(std::string_view what, const std::string& sql, const Params& params = {});

  //! A string literal quoted by libpq for this connection's encoding (PQescapeLiteral), for the few
  //! DDL places that cannot take a parameter (VALID UNTIL, PASSWORD, extension VERSION).
  Result<std::string> literal(std::string_view value);

  bool broken() const;  //!< the server went away; the pool reopens it
  std::string user() const;
  int writes() const { return writes_; }

 private:
  explicit Connection(pg_conn* conn, std::string password) : conn_(conn), password_(std::move(password)) {}
  Result<Rows> run(std::string_view what, const std::string& sql, const Params& params);

  pg_conn* conn_;
  std::string password_;  //!< only to scrub it from libpq messages
  int writes_ = 0;
};

}  // namespace mg::pg
