// common/api/postgres_types.cpp
#include "common/api/postgres_types.hpp"

namespace mg::api {
namespace {
// PostgreSQL identifiers: at most 63 bytes (NAMEDATALEN - 1). Quoting makes any other text safe.
constexpr int64_t kMaxIdentifier = 63;
constexpr const char* kDatabasePrivileges = "['CONNECT', 'CREATE', 'TEMPORARY', 'TEMP']";
constexpr const char* kSchemaPrivileges = "['USAGE', 'CREATE']";
constexpr const char* kTablePrivileges =
    "['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'ALL']";

std::string all_in(const char* allowed) { return std::string("self.all(p, p in ") + allowed + ")"; }
std::string allowed_message(const char* allowed) { return std::string("each privilege must be one of ") + allowed; }
}  // namespace

void Describe<NamespacedSecretKey>::fields(Fields<NamespacedSecretKey>& f) {
  f("namespace", &NamespacedSecretKey::namespace_).require().max_len(63);
  f("name", &NamespacedSecretKey::name).require().max_len(253);
  f("key", &NamespacedSecretKey::key).require().max_len(253);
}

void Describe<NamespacedName>::fields(Fields<NamespacedName>& f) {
  f("namespace", &NamespacedName::namespace_).require().max_len(63);
  f("name", &NamespacedName::name).require().max_len(253);
}

void Describe<DatabaseClusterSpec>::fields(Fields<DatabaseClusterSpec>& f) {
  f("dsnSecretRef", &DatabaseClusterSpec::dsnSecretRef).describe("Secret key holding a libpq DSN or URI.");
  f("multigresClusterRef", &DatabaseClusterSpec::multigresClusterRef)
      .describe("A MultigresCluster: connect through its gateway with its postgres password.");
  f("sslmode", &DatabaseClusterSpec::sslmode).describe("libpq sslmode; prefer by default.");
  f("caSecretRef", &DatabaseClusterSpec::caSecretRef).describe("Secret key with the CA certificate.");
  f("checkInterval", &DatabaseClusterSpec::checkInterval)
      .describe("How often the connection is rechecked and drift corrected, e.g. 5m.")
      .match("^([0-9]+(s|m|h))+$")
      .max_len(32);
  f.rule("has(self.dsnSecretRef) != has(self.multigresClusterRef)", "set exactly one of dsnSecretRef or multigresClusterRef");
}

void Describe<DatabaseClusterStatus>::fields(Fields<DatabaseClusterStatus>& f) {
  f("observedGeneration", &DatabaseClusterStatus::observedGeneration);
  conditions_field(f);
  f("serverVersion", &DatabaseClusterStatus::serverVersion);
  f("lastCheckTime", &DatabaseClusterStatus::lastCheckTime);
}

void Describe<DatabaseCluster>::fields(Fields<DatabaseCluster>& f) {
  f.doc("A PostgreSQL server whose databases and roles the operator manages.");
  object_fields(f);
}

void Describe<SchemaSpec>::fields(Fields<SchemaSpec>& f) {
  f("name", &SchemaSpec::name).require().min_len(1).max_len(kMaxIdentifier);
  f("owner", &SchemaSpec::owner).max_len(kMaxIdentifier);
}

void Describe<ExtensionSpec>::fields(Fields<ExtensionSpec>& f) {
  f("name", &ExtensionSpec::name).require().min_len(1).max_len(kMaxIdentifier);
  f("schema", &ExtensionSpec::schema).max_len(kMaxIdentifier);
  f("version", &ExtensionSpec::version).max_len(64);
}

void Describe<DatabaseServiceSpec>::fields(Fields<DatabaseServiceSpec>& f) {
  f("name", &DatabaseServiceSpec::name).require().max_len(63).match("^[a-z]([-a-z0-9]*[a-z0-9])?$");
}

void Describe<DatabaseSpec>::fields(Fields<DatabaseSpec>& f) {
  f("databaseClusterRef", &DatabaseSpec::databaseClusterRef).require().immutable("databaseClusterRef cannot change");
  f("name", &DatabaseSpec::name)
      .describe("The database name in PostgreSQL.")
      .require()
      .min_len(1)
      .max_len(kMaxIdentifier)
      .immutable("name cannot change: create a new Database instead")
      .validate("!(self in ['postgres', 'template0', 'template1'])", "postgres, template0 and template1 are reserved");
  f("owner", &DatabaseSpec::owner).describe("Owning role.").max_len(kMaxIdentifier);
  f("schemas", &DatabaseSpec::schemas).keyed_by({"name"}).items(0, 64);
  f("extensions", &DatabaseSpec::extensions).keyed_by({"name"}).items(0, 64);
  f("service", &DatabaseSpec::service).describe("An ExternalName Service for in-cluster clients.");
  f("reclaimPolicy", &DatabaseSpec::reclaimPolicy)
      .describe("Retain (default) keeps the database when this object is deleted; Delete drops it.");
}

void Describe<AppliedObject>::fields(Fields<AppliedObject>& f) {
  f("name", &AppliedObject::name).require();
  f("applied", &AppliedObject::applied);
  f("message", &AppliedObject::message);
}

void Describe<PostgresObjectStatus>::fields(Fields<PostgresObjectStatus>& f) {
  f("observedGeneration", &PostgresObjectStatus::observedGeneration);
  conditions_field(f);
  f("applied", &PostgresObjectStatus::applied);
  f("message", &PostgresObjectStatus::message);
  f("objects", &PostgresObjectStatus::objects).keyed_by({"name"});
  f("secretResourceVersion", &PostgresObjectStatus::secretResourceVersion);
}

void Describe<Database>::fields(Fields<Database>& f) {
  f.doc("A database (with schemas and extensions) inside a DatabaseCluster.");
  object_fields(f);
}

void Describe<TablePrivileges>::fields(Fields<TablePrivileges>& f) {
  f("names", &TablePrivileges::names).items(0, 256).as_set();
  f("all", &TablePrivileges::all).describe("Every table in the schema.");
  f("privileges", &TablePrivileges::privileges)
      .require()
      .items(1, 8)
      .as_set()
      .validate(all_in(kTablePrivileges), allowed_message(kTablePrivileges));
  f.rule("self.all || size(self.names) > 0", "list table names or set all: true");
}

void Describe<SchemaPermission>::fields(Fields<SchemaPermission>& f) {
  f("name", &SchemaPermission::name).require().max_len(kMaxIdentifier);
  f("privileges", &SchemaPermission::privileges)
      .items(0, 2)
      .as_set()
      .validate(all_in(kSchemaPrivileges), allowed_message(kSchemaPrivileges));
  f("tables", &SchemaPermission::tables);
  f("defaultTablePrivileges", &SchemaPermission::defaultTablePrivileges)
      .items(0, 8)
      .as_set()
      .validate(all_in(kTablePrivileges), allowed_message(kTablePrivileges));
}

void Describe<DatabasePermission>::fields(Fields<DatabasePermission>& f) {
  f("database", &DatabasePermission::database).require().max_len(kMaxIdentifier);
  f("privileges", &DatabasePermission::privileges)
      .items(0, 4)
      .as_set()
      .validate(all_in(kDatabasePrivileges), allowed_message(kDatabasePrivileges));
  f("schemas", &DatabasePermission::schemas).keyed_by({"name"}).items(0, 64);
}

void Describe<ConnectionSecretSpec>::fields(Fields<ConnectionSecretSpec>& f) {
  f("name", &ConnectionSecretSpec::name).require().max_len(253);
  f("database", &ConnectionSecretSpec::database).describe("Database in the URI.").max_len(kMaxIdentifier);
}

void Describe<DatabaseRoleSpec>::fields(Fields<DatabaseRoleSpec>& f) {
  f("databaseClusterRef", &DatabaseRoleSpec::databaseClusterRef).require().immutable("databaseClusterRef cannot change");
  f("roleName", &DatabaseRoleSpec::roleName)
      .require()
      .min_len(1)
      .max_len(kMaxIdentifier)
      .immutable("roleName cannot change: create a new DatabaseRole instead")
      .validate("self != 'postgres' && !self.startsWith('pg_')", "postgres and names starting with pg_ are reserved");
  f("passwordSecretRef", &DatabaseRoleSpec::passwordSecretRef).describe("Secret key with the password.");
  f("login", &DatabaseRoleSpec::login);
  f("createdb", &DatabaseRoleSpec::createdb);
  f("createrole", &DatabaseRoleSpec::createrole);
  f("connectionLimit", &DatabaseRoleSpec::connectionLimit).min(-1);
  f("validUntil", &DatabaseRoleSpec::validUntil).describe("RFC 3339 time the password expires.").max_len(64);
  f("inRoles", &DatabaseRoleSpec::inRoles).items(0, 64).as_set();
  f("permissions", &DatabaseRoleSpec::permissions).keyed_by({"database"}).items(0, 64);
  f("connectionSecret", &DatabaseRoleSpec::connectionSecret)
      .describe("A Secret written for applications: host, port, database, user, password, uri.");
  f("reclaimPolicy", &DatabaseRoleSpec::reclaimPolicy)
      .describe("Retain (default) keeps the role when this object is deleted; Delete drops it.");
}

void Describe<DatabaseRole>::fields(Fields<DatabaseRole>& f) {
  f.doc("A role (login, attributes, memberships, grants) inside a DatabaseCluster.");
  object_fields(f);
}

}  // namespace mg::api
