// tests/fuzz/sql_quote_fuzz.cpp
//! Quoting for PostgreSQL: pg::quote_identifier (the one way an identifier enters SQL), the libpq
//! key=value quoting of the postgres.multigres.com controllers (dsn_quote, endpoint_dsn) read back by
//! libpq itself (parse_dsn = PQconninfoParse), postgres_uri read back the same way, and
//! pg::scram_matches on a verifier as pg_authid.rolpassword holds it. The input is fields: its first
//! byte is the separator (tests/fuzz/fuzz.hpp), then name|user|password|database|host|port. Properties:
//!   - quote_identifier accepts exactly the names of 1..63 bytes without NUL, and its output is `"`,
//!     the name with every `"` doubled, `"` (so the name cannot end the identifier early);
//!   - what dsn_quote / endpoint_dsn write, libpq reads back as the same values;
//!   - what postgres_uri writes, libpq reads back as the same user, host, port and database.
#include "common/pg/pg.hpp"
#include "operator/controllers/pg_connection.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace mg;

namespace {

void identifier(const std::string& name) {
  auto quoted = pg::quote_identifier(name);
  const bool acceptable = !name.empty() && name.size() <= 63 && name.find('\0') == std::string::npos;
  fuzz::check(quoted.ok() == acceptable, "quote_identifier accepts the wrong names", name);
  if (!quoted.ok()) return;
  const std::string& q = *quoted;
  fuzz::check(q.size() >= 2 && q.front() == '"' && q.back() == '"', "a quoted identifier is not in double quotes", q);
  std::string inner;
  for (size_t i = 1; i + 1 < q.size(); ++i) {
    if (q[i] == '"') {
      fuzz::check(i + 2 < q.size() && q[i + 1] == '"', "a quoted identifier ends early", q);
      ++i;
    }
    inner += q[i];
  }
  fuzz::check(inner == name, "a quoted identifier does not unquote to the name", q);
}

bool has_nul(const std::string& s) {
  return s.find('\0') != std::string::npos;
}

void dsn(const std::string& user, const std::string& password, const std::string& database, const std::string& host) {
  if (has_nul(user) || has_nul(password) || has_nul(database) || has_nul(host)) return;  // C strings for libpq
  auto parsed =
      controllers::parse_dsn("user=" + controllers::dsn_quote(user) + " dbname=" + controllers::dsn_quote(database) +
                             " host=" + controllers::dsn_quote(host));
  fuzz::check(parsed.ok(), "libpq refuses what dsn_quote wrote", user + " / " + database + " / " + host);
  fuzz::check(
      parsed->user == user && parsed->dbname == database && parsed->host == host,
      "libpq reads back other values than dsn_quote wrote",
      user + " -> " + parsed->user + "\n" + database + " -> " + parsed->dbname + "\n" + host + " -> " + parsed->host);
  controllers::MultigresEndpoint endpoint{.host = host, .port = 5432, .user = user};
  auto from_endpoint = controllers::parse_dsn(controllers::endpoint_dsn(endpoint, password));
  fuzz::check(
      from_endpoint.ok() && from_endpoint->host == host && from_endpoint->user == user && from_endpoint->port == "5432",
      "libpq reads back other values than endpoint_dsn wrote", host + " / " + user);
}

void uri(const std::string& user, const std::string& password, const std::string& database, const std::string& host,
         const std::string& port) {
  if (has_nul(user) || has_nul(password) || has_nul(database) || has_nul(host) || has_nul(port)) return;
  controllers::ServerAddress address{.host = host, .port = port};
  const std::string text = build::postgres_uri(address, user, password, database);
  auto parsed = controllers::parse_dsn(text);
  if (!parsed.ok()) fuzz::fail("libpq refuses what postgres_uri wrote", text);
  const std::string want_host = host.empty() ? "localhost" : host;
  if (parsed->user != user || parsed->dbname != database || parsed->host != want_host || parsed->port != port) {
    fuzz::fail("libpq reads back other values than postgres_uri wrote",
               text + "\nuser " + user + " -> " + parsed->user + "\ndatabase " + database + " -> " + parsed->dbname +
                   "\nhost " + want_host + " -> " + parsed->host + "\nport " + port + " -> " + parsed->port);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::text(data, size);
  const auto f = fuzz::fields(in, 6);
  const std::string &name = f[0], &user = f[1], &password = f[2], &database = f[3], &host = f[4], &port = f[5];
  identifier(std::string(in));
  identifier(name);
  dsn(user, password, database, host);
  uri(user, password, database, host, port);
  (void)controllers::parse_dsn(std::string(in.substr(0, in.find('\0'))));
  // A verifier as the server stores it (the iteration count is the server's); the password is the user field.
  (void)pg::scram_matches(name, user);
  return 0;
}
