// common/pg/libpq.cpp
#include "common/pg/libpq.hpp"

#include <dlfcn.h>

#include <string>

namespace mg::pg {
namespace {

constexpr const char* kLibrary = "libpq.so.5";

struct Loaded {
  LibPq table{};
  std::string error;  //!< empty when every function was found
};

template <class Fn>
void find(void* handle, const char* symbol, Fn& out, std::string& error) {
  out = reinterpret_cast<Fn>(dlsym(handle, symbol));  // NOLINT: dlsym's void* is the function's address
  if (out == nullptr && error.empty()) error = std::string(kLibrary) + " has no " + symbol;
}

Loaded load() {
  Loaded l;
  void* h = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* why = dlerror();
    l.error = std::string("cannot load ") + kLibrary + " (" + (why != nullptr ? why : "unknown") +
              "): install libpq5 to reach PostgreSQL";
    return l;
  }
  LibPq& t = l.table;
  std::string& e = l.error;
  find(h, "PQconninfoParse", t.conninfo_parse, e);
  find(h, "PQconninfoFree", t.conninfo_free, e);
  find(h, "PQfreemem", t.freemem, e);
  find(h, "PQconnectdbParams", t.connectdb_params, e);
  find(h, "PQstatus", t.status, e);
  find(h, "PQerrorMessage", t.error_message, e);
  find(h, "PQsetNoticeProcessor", t.set_notice_processor, e);
  find(h, "PQfinish", t.finish, e);
  find(h, "PQuser", t.user, e);
  find(h, "PQexec", t.exec, e);
  find(h, "PQexecParams", t.exec_params, e);
  find(h, "PQclear", t.clear, e);
  find(h, "PQresultStatus", t.result_status, e);
  find(h, "PQntuples", t.ntuples, e);
  find(h, "PQnfields", t.nfields, e);
  find(h, "PQgetisnull", t.getisnull, e);
  find(h, "PQgetvalue", t.getvalue, e);
  find(h, "PQresultErrorField", t.result_error_field, e);
  find(h, "PQescapeLiteral", t.escape_literal, e);
  return l;  // the library stays loaded for the process's life
}

}  // namespace

Result<const LibPq*> libpq() {
  static const Loaded loaded = load();
  if (!loaded.error.empty()) return make_error(ErrorCode::Internal, loaded.error);
  return &loaded.table;
}

}  // namespace mg::pg
