// common/api/postgres_types.hpp
//! postgres.multigres.com/v1alpha1: DatabaseCluster (a PostgreSQL server to manage), Database and
//! DatabaseRole (objects inside it), reconciled against the real server.
#pragma once

#include "common/api/meta.hpp"

namespace mg::api {

//! A key of a Secret in a given namespace (DatabaseCluster is cluster-scoped).
struct NamespacedSecretKey {
  std::string namespace_;
  std::string name;
  std::string key;
  bool operator==(const NamespacedSecretKey&) const = default;
};

struct NamespacedName {
  std::string namespace_;
  std::string name;
  bool operator==(const NamespacedName&) const = default;
};

enum class SslMode { Disable, Allow, Prefer, Require, VerifyCa, VerifyFull };
enum class ReclaimPolicy { Retain, Delete };

struct DatabaseClusterSpec {
  std::optional<NamespacedSecretKey> dsnSecretRef;    //!< a libpq DSN or URI
  std::optional<NamespacedName> multigresClusterRef;  //!< its gateway Service and password Secret
  std::optional<SslMode> sslmode;
  std::optional<NamespacedSecretKey> caSecretRef;
  std::string checkInterval;  //!< how often to recheck the connection and correct drift, e.g. "5m"
  bool operator==(const DatabaseClusterSpec&) const = default;
};

struct DatabaseClusterStatus {
  std::optional<int64_t> observedGeneration;
  std::vector<Condition> conditions;
  std::string serverVersion;
  std::string lastCheckTime;
  bool operator==(const DatabaseClusterStatus&) const = default;
};

struct DatabaseCluster {
  std::string apiVersion = kPostgresGroupVersion;
  std::string kind = "DatabaseCluster";
  ObjectMeta metadata;
  DatabaseClusterSpec spec;
  std::optional<DatabaseClusterStatus> status;
};

struct SchemaSpec {
  std::string name;
  std::string owner;
  bool operator==(const SchemaSpec&) const = default;
};

struct ExtensionSpec {
  std::string name;
  std::string schema;
  std::string version;
  bool operator==(const ExtensionSpec&) const = default;
};

struct DatabaseServiceSpec {
  std::string name;  //!< an ExternalName Service pointing at the server
  bool operator==(const DatabaseServiceSpec&) const = default;
};

struct DatabaseSpec {
  LocalObjectReference databaseClusterRef;
  std::string name;  //!< the PostgreSQL database name; immutable
  std::string owner;
  std::vector<SchemaSpec> schemas;
  std::vector<ExtensionSpec> extensions;
  std::optional<DatabaseServiceSpec> service;
  std::optional<ReclaimPolicy> reclaimPolicy;
  bool operator==(const DatabaseSpec&) const = default;
};

//! The outcome for one object inside PostgreSQL.
struct AppliedObject {
  std::string name;
  bool applied = false;
  std::string message;
  bool operator==(const AppliedObject&) const = default;
};

struct PostgresObjectStatus {
  std::optional<int64_t> observedGeneration;
  std::vector<Condition> conditions;
  bool applied = false;
  std::string message;
  std::vector<AppliedObject> objects;
  std::string secretResourceVersion;
  bool operator==(const PostgresObjectStatus&) const = default;
};

struct Database {
  std::string apiVersion = kPostgresGroupVersion;
  std::string kind = "Database";
  ObjectMeta metadata;
  DatabaseSpec spec;
  std::optional<PostgresObjectStatus> status;
};

struct TablePrivileges {
  std::vector<std::string> names;  //!< named tables; empty with `all` = every table
  bool all = false;
  std::vector<std::string> privileges;
  bool operator==(const TablePrivileges&) const = default;
};

struct SchemaPermission {
  std::string name;
  std::vector<std::string> privileges;  //!< USAGE, CREATE
  std::optional<TablePrivileges> tables;
  std::vector<std::string> defaultTablePrivileges;  //!< ALTER DEFAULT PRIVILEGES ... ON TABLES
  bool operator==(const SchemaPermission&) const = default;
};

struct DatabasePermission {
  std::string database;
  std::vector<std::string> privileges;  //!< CONNECT, CREATE, TEMPORARY
  std::vector<SchemaPermission> schemas;
  bool operator==(const DatabasePermission&) const = default;
};

struct ConnectionSecretSpec {
  std::string name;
  std::string database;
  bool operator==(const ConnectionSecretSpec&) const = default;
};

struct DatabaseRoleSpec {
  LocalObjectReference databaseClusterRef;
  std::string roleName;
  std::optional<SecretKeySelector> passwordSecretRef;
  std::optional<bool> login;
  std::optional<bool> createdb;
  std::optional<bool> createrole;
  std::optional<int32_t> connectionLimit;
  std::string validUntil;
  std::vector<std::string> inRoles;
  std::vector<DatabasePermission> permissions;
  std::optional<ConnectionSecretSpec> connectionSecret;
  std::optional<ReclaimPolicy> reclaimPolicy;
  bool operator==(const DatabaseRoleSpec&) const = default;
};

struct DatabaseRole {
  std::string apiVersion = kPostgresGroupVersion;
  std::string kind = "DatabaseRole";
  ObjectMeta metadata;
  DatabaseRoleSpec spec;
  std::optional<PostgresObjectStatus> status;
};

MG_DESCRIBE(NamespacedSecretKey);
MG_DESCRIBE(NamespacedName);
MG_DESCRIBE(DatabaseClusterSpec);
MG_DESCRIBE(DatabaseClusterStatus);
MG_DESCRIBE(DatabaseCluster);
MG_DESCRIBE(SchemaSpec);
MG_DESCRIBE(ExtensionSpec);
MG_DESCRIBE(DatabaseServiceSpec);
MG_DESCRIBE(DatabaseSpec);
MG_DESCRIBE(AppliedObject);
MG_DESCRIBE(PostgresObjectStatus);
MG_DESCRIBE(Database);
MG_DESCRIBE(TablePrivileges);
MG_DESCRIBE(SchemaPermission);
MG_DESCRIBE(DatabasePermission);
MG_DESCRIBE(ConnectionSecretSpec);
MG_DESCRIBE(DatabaseRoleSpec);
MG_DESCRIBE(DatabaseRole);

template <>
struct EnumValues<SslMode> {
  static constexpr std::array<std::pair<SslMode, std::string_view>, 6> kValues{
      {{SslMode::Disable, "disable"},
       {SslMode::Allow, "allow"},
       {SslMode::Prefer, "prefer"},
       {SslMode::Require, "require"},
       {SslMode::VerifyCa, "verify-ca"},
       {SslMode::VerifyFull, "verify-full"}}};
};
template <>
struct EnumValues<ReclaimPolicy> {
  static constexpr std::array<std::pair<ReclaimPolicy, std::string_view>, 2> kValues{
      {{ReclaimPolicy::Retain, "Retain"}, {ReclaimPolicy::Delete, "Delete"}}};
};

}  // namespace mg::api
