#include "reconciler/plan/fresh_database.h"

namespace pgtwin {

Object FreshDatabase(const std::string& name) {
  Object database(ObjectKind::kDatabase, name);
  Object& plpgsql = database.AddChild(ObjectKind::kExtension, "plpgsql");
  plpgsql.SetAttr("version", "1.0");
  plpgsql.SetAttr("schema", "pg_catalog");
  plpgsql.SetAttr("comment", "PL/pgSQL procedural language");
  Object& public_schema = database.AddChild(ObjectKind::kSchema, "public");
  public_schema.SetAttr("owner", "pg_database_owner");
  public_schema.SetAttr("acl", "=U/pg_database_owner, pg_database_owner=UC/pg_database_owner");
  public_schema.SetAttr("comment", "standard public schema");
  database.Normalize();
  return database;
}

}  // namespace pgtwin
