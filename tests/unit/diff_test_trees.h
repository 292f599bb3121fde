#pragma once

#include <ostream>

#include "model/diff.h"
#include "model/object.h"

namespace pgtwin {

// Readable GoogleTest output for diff values.
inline void PrintTo(const AttributeChange& c, std::ostream* out) {
  *out << c.name << ": " << c.source.value_or("(none)") << " != " << c.target.value_or("(none)");
}

inline void PrintTo(const PathStep& s, std::ostream* out) {
  *out << KindName(s.kind) << ' ' << s.name;
}

}  // namespace pgtwin

namespace pgtwin::testing {

// A small cluster in canonical order, shared by the diff tests: two roles and a database
// `shop` with schema `billing` holding a table (columns, a constraint, an index, a trigger),
// a view and a function.
inline Object SampleCluster() {
  Object cluster(ObjectKind::kCluster, "prod");
  cluster.SetAttr("major_version", "15");
  Object& app = cluster.AddChild(ObjectKind::kRole, "app");
  app.SetFlag("login", true);
  cluster.AddChild(ObjectKind::kRole, "admin").SetFlag("superuser", true);

  Object& db = cluster.AddChild(ObjectKind::kDatabase, "shop");
  db.SetAttr("owner", "app");
  db.SetAttr("encoding", "UTF8");
  Object& schema = db.AddChild(ObjectKind::kSchema, "billing");
  schema.SetAttr("owner", "app");

  Object& table = schema.AddChild(ObjectKind::kTable, "invoices");
  table.SetAttr("owner", "app");
  Object& id = table.AddChild(ObjectKind::kColumn, "id");
  id.SetAttr("position", "1");
  id.SetAttr("type", "bigint");
  id.SetFlag("not_null", true);
  Object& amount = table.AddChild(ObjectKind::kColumn, "amount");
  amount.SetAttr("position", "2");
  amount.SetAttr("type", "integer");
  Object& pkey = table.AddChild(ObjectKind::kConstraint, "invoices_pkey");
  pkey.SetAttr("type", "p");
  pkey.SetAttr("definition", "PRIMARY KEY (id)");
  table.AddChild(ObjectKind::kIndex, "invoices_amount_idx")
      .SetAttr("definition",
               "CREATE INDEX invoices_amount_idx ON billing.invoices USING btree (amount)");
  table.AddChild(ObjectKind::kTrigger, "_londiste_shop")
      .SetAttr("definition", "CREATE TRIGGER _londiste_shop AFTER INSERT ON billing.invoices");

  Object& view = schema.AddChild(ObjectKind::kView, "open_invoices");
  view.SetAttr("owner", "app");
  view.SetAttr("definition", " SELECT invoices.id\n   FROM billing.invoices;");
  Object& fn = schema.AddChild(ObjectKind::kFunction, "total(integer)");
  fn.SetAttr("language", "sql");
  fn.SetAttr("body", "SELECT 1");
  cluster.Normalize();
  return cluster;
}

}  // namespace pgtwin::testing
