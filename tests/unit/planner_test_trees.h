#pragma once

#include <string>

#include "model/object.h"

// Hand-built trees for the planner tests.
namespace pgtwin::testing {

inline Object& AddRole(Object& cluster, const std::string& name, bool login = true) {
  Object& role = cluster.AddChild(ObjectKind::kRole, name);
  role.SetFlag("login", login);
  role.SetFlag("inherit", true);
  return role;
}

inline Object& AddDatabase(Object& cluster, const std::string& name, const std::string& owner) {
  Object& db = cluster.AddChild(ObjectKind::kDatabase, name);
  db.SetAttr("owner", owner);
  db.SetAttr("encoding", "UTF8");
  db.SetAttr("collate", "C");
  db.SetAttr("ctype", "C");
  db.SetFlag("allow_connections", true);
  // What every database holds from template0, as the catalog reader reports it.
  Object& plpgsql = db.AddChild(ObjectKind::kExtension, "plpgsql");
  plpgsql.SetAttr("version", "1.0");
  plpgsql.SetAttr("schema", "pg_catalog");
  plpgsql.SetAttr("comment", "PL/pgSQL procedural language");
  Object& public_schema = db.AddChild(ObjectKind::kSchema, "public");
  public_schema.SetAttr("owner", "pg_database_owner");
  public_schema.SetAttr("acl", "=U/pg_database_owner, pg_database_owner=UC/pg_database_owner");
  public_schema.SetAttr("comment", "standard public schema");
  return db;
}

inline Object& AddSchema(Object& db, const std::string& name, const std::string& owner) {
  Object& schema = db.AddChild(ObjectKind::kSchema, name);
  schema.SetAttr("owner", owner);
  return schema;
}

inline Object& AddTable(Object& schema, const std::string& name, const std::string& owner) {
  Object& table = schema.AddChild(ObjectKind::kTable, name);
  table.SetAttr("owner", owner);
  Object& id = table.AddChild(ObjectKind::kColumn, "id");
  id.SetAttr("position", "1");
  id.SetAttr("type", "bigint");
  id.SetFlag("not_null", true);
  return table;
}

inline Object& AddColumn(Object& table, const std::string& name, const std::string& type,
                         int position) {
  Object& column = table.AddChild(ObjectKind::kColumn, name);
  column.SetAttr("position", std::to_string(position));
  column.SetAttr("type", type);
  return column;
}

inline Object& AddPrimaryKey(Object& table) {
  Object& pkey = table.AddChild(ObjectKind::kConstraint, table.name() + "_pkey");
  pkey.SetAttr("type", "p");
  pkey.SetAttr("definition", "PRIMARY KEY (id)");
  return pkey;
}

inline Object& AddForeignKey(Object& table, const std::string& column,
                             const std::string& referenced) {
  Object& fkey = table.AddChild(ObjectKind::kConstraint, table.name() + "_" + column + "_fkey");
  fkey.SetAttr("type", "f");
  fkey.SetAttr("definition", "FOREIGN KEY (" + column + ") REFERENCES " + referenced + "(id)");
  return fkey;
}

inline Object& AddIndex(Object& table, const std::string& schema, const std::string& column) {
  std::string name = table.name() + "_" + column + "_idx";
  Object& index = table.AddChild(ObjectKind::kIndex, name);
  index.SetAttr("definition", "CREATE INDEX " + name + " ON " + schema + "." + table.name() +
                                  " USING btree (" + column + ")");
  return index;
}

inline Object& AddView(Object& schema, const std::string& name, const std::string& owner,
                       const std::string& from) {
  Object& view = schema.AddChild(ObjectKind::kView, name);
  view.SetAttr("owner", owner);
  view.SetAttr("definition", " SELECT x.id\n   FROM " + from + " x;");
  return view;
}

inline Object& AddFunction(Object& schema, const std::string& signature, const std::string& owner,
                           const std::string& body = "BEGIN RETURN NEW; END") {
  Object& fn = schema.AddChild(ObjectKind::kFunction, signature);
  fn.SetAttr("owner", owner);
  fn.SetAttr("language", "plpgsql");
  fn.SetAttr("returns", "trigger");
  fn.SetAttr("body", body);
  return fn;
}

// Prod-like desired cluster: roles app, reader (member of app), owner of nothing; database
// shop owned by app with schema billing: a sequence owned by invoices.id, customers and
// invoices (FK to customers, an index), a partitioned table with a partition, two views (the
// second on the first), a trigger function and a trigger using it.
inline Object ShopCluster() {
  Object cluster(ObjectKind::kCluster, "prod");
  AddRole(cluster, "app");
  AddRole(cluster, "reader").SetAttr("member_of", "app");
  Object& db = AddDatabase(cluster, "shop", "app");
  Object& billing = AddSchema(db, "billing", "app");

  Object& seq = billing.AddChild(ObjectKind::kSequence, "invoices_id_seq");
  seq.SetAttr("owner", "app");
  seq.SetAttr("owned_by", "billing.invoices.id");

  Object& customers = AddTable(billing, "customers", "app");
  AddPrimaryKey(customers);
  Object& invoices = AddTable(billing, "invoices", "app");
  invoices.FindChild(ObjectKind::kColumn, "id")
      ->SetAttr("default", "nextval('billing.invoices_id_seq'::regclass)");
  AddColumn(invoices, "customer_id", "bigint", 2);
  AddColumn(invoices, "amount", "integer", 3);
  AddPrimaryKey(invoices);
  AddForeignKey(invoices, "customer_id", "billing.customers");
  AddIndex(invoices, "billing", "amount");
  invoices.AddChild(ObjectKind::kTrigger, "invoices_touch")
      .SetAttr("definition",
               "CREATE TRIGGER invoices_touch BEFORE UPDATE ON billing.invoices FOR EACH ROW "
               "EXECUTE FUNCTION billing.touch()");

  Object& events = AddTable(billing, "events", "app");
  events.SetAttr("partition_by", "RANGE (id)");
  Object& events_1 = AddTable(billing, "events_1", "app");
  events_1.SetAttr("partition_of", "billing.events");
  events_1.SetAttr("partition_bound", "FOR VALUES FROM (0) TO (100)");

  AddView(billing, "v1", "app", "billing.invoices");
  AddView(billing, "v2", "app", "billing.v1");
  AddFunction(billing, "touch()", "app");
  cluster.Normalize();
  return cluster;
}

// An empty Test cluster.
inline Object EmptyCluster() { return Object(ObjectKind::kCluster, "test"); }

}  // namespace pgtwin::testing
