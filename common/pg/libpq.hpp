// common/pg/libpq.hpp
//! libpq, loaded when it is first needed (a DatabaseCluster to reach, a DSN to read) instead of at
//! start-up: Debian's libpq brings Kerberos, LDAP, SASL and gnutls with it, 5.7 MiB of resident pages
//! in every operator process, most of which never talks to PostgreSQL (docs/operator.md, "Memory").
//! Only the functions we call are looked up; calls go through `libpq().fn(...)`.
#pragma once

#include <libpq-fe.h>

#include "common/util/result.hpp"

namespace mg::pg {

struct LibPq {
  decltype(&::PQconninfoParse) conninfo_parse;
  decltype(&::PQconninfoFree) conninfo_free;
  decltype(&::PQfreemem) freemem;
  decltype(&::PQconnectdbParams) connectdb_params;
  decltype(&::PQstatus) status;
  decltype(&::PQerrorMessage) error_message;
  decltype(&::PQsetNoticeProcessor) set_notice_processor;
  decltype(&::PQfinish) finish;
  decltype(&::PQuser) user;
  decltype(&::PQexec) exec;
  decltype(&::PQexecParams) exec_params;
  decltype(&::PQclear) clear;
  decltype(&::PQresultStatus) result_status;
  decltype(&::PQntuples) ntuples;
  decltype(&::PQnfields) nfields;
  decltype(&::PQgetisnull) getisnull;
  decltype(&::PQgetvalue) getvalue;
  decltype(&::PQresultErrorField) result_error_field;
  decltype(&::PQescapeLiteral) escape_literal;
};

//! libpq's functions, loading libpq.so.5 on the first call (thread-safe; later calls return the same
//! table). The error names the library, what the loader said, and the package that provides it.
Result<const LibPq*> libpq();

}  // namespace mg::pg
