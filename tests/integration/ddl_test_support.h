#pragma once

// Support for the DDL round-trip tests: read one database's tree, turn a tree (or the
// difference of two) into the SQL of reconciler/plan/ddl.h, run it, and describe what still
// differs. The order used here is a simple one of the tests' own (phases plus retries), not
// the planner's.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "model/diff.h"
#include "model/object.h"
#include "providers/postgres/catalog_reader.h"
#include "reconciler/diff/ignore_rules.h"
#include "reconciler/diff/tree_diff.h"
#include "reconciler/plan/ddl.h"
#include "tests/integration/pg_test_env.h"

namespace pgtwin::testing {

// The tree of one database (its own attributes cleared: databases are not the DDL's part).
inline Object ReadDatabase(const std::string& database) {
  StatusOr<Object> cluster = ReadCluster(DatabaseConninfo(database), {});
  EXPECT_TRUE(cluster.ok()) << cluster.status().message();
  if (!cluster.ok()) return Object(ObjectKind::kDatabase, database);
  const Object* node = cluster.value().FindChild(ObjectKind::kDatabase, database);
  EXPECT_NE(node, nullptr) << "no database " << database << " in the tree";
  if (node == nullptr) return Object(ObjectKind::kDatabase, database);
  Object copy = *node;
  copy.mutable_attrs().clear();
  return copy;
}

// Statements to run in one transaction, with a label for error messages.
struct SqlItem {
  std::string label;
  std::vector<std::string> sql;
};

// Runs each item in its own transaction (check_function_bodies off, as a restore would).
// Items that fail are tried again after the others as long as a pass makes progress, so
// the order within a list only needs to be roughly right. Returns the errors of the items
// that never succeeded, with their SQL.
inline std::vector<std::string> RunItems(const std::string& database, std::vector<SqlItem> items) {
  pqxx::connection c(DatabaseConninfo(database));
  {
    pqxx::nontransaction tx(c);
    tx.exec("SET check_function_bodies = off");
    tx.exec("SET client_min_messages = warning");
  }
  std::vector<std::string> errors;
  while (!items.empty()) {
    std::vector<SqlItem> failed;
    errors.clear();
    for (SqlItem& item : items) {
      try {
        pqxx::work tx(c);
        for (const std::string& sql : item.sql) tx.exec(sql);
        tx.commit();
      } catch (const std::exception& e) {
        std::string text = item.label + ": " + e.what();
        for (const std::string& sql : item.sql) text += "\n      " + sql;
        errors.push_back(text);
        failed.push_back(std::move(item));
      }
    }
    if (failed.size() == items.size()) break;
    items = std::move(failed);
  }
  return errors;
}

// The attributes in which two objects differ, as DiffTrees reports them.
inline std::vector<AttributeChange> AttrChanges(const Object& desired, const Object& observed) {
  std::map<std::string, std::pair<std::optional<std::string>, std::optional<std::string>>> all;
  for (const Attribute& a : desired.attrs()) all[a.name].first = a.value;
  for (const Attribute& a : observed.attrs()) all[a.name].second = a.value;
  std::vector<AttributeChange> changes;
  for (const auto& [name, sides] : all) {
    if (sides.first != sides.second) changes.push_back({name, sides.first, sides.second});
  }
  return changes;
}

inline bool IsRelationKind(ObjectKind kind) {
  return kind == ObjectKind::kTable || kind == ObjectKind::kView ||
         kind == ObjectKind::kMaterializedView;
}

// CREATE's phase of an object: a rough dependency order.
inline int CreatePhase(const Object& o) {
  switch (o.kind()) {
    case ObjectKind::kSchema:
      return 0;
    case ObjectKind::kExtension:
      return 1;
    case ObjectKind::kType:
      return 2;
    case ObjectKind::kSequence:
      return 3;
    case ObjectKind::kFunction:
    case ObjectKind::kProcedure: {
      const std::string& body = o.Attr("body");
      bool sql_standard = o.Attr("language") == "sql" &&
                          (body.rfind("BEGIN ATOMIC", 0) == 0 || body.rfind("RETURN ", 0) == 0);
      return sql_standard ? 10 : 4;
    }
    case ObjectKind::kAggregate:
      return 5;
    case ObjectKind::kTable:
      return 6;
    case ObjectKind::kConstraint: {
      const std::string& type = o.Attr("type");
      return type == "p" || type == "u" ? 7 : type == "f" ? 9 : 8;
    }
    case ObjectKind::kIndex:
      return 11;
    case ObjectKind::kView:
    case ObjectKind::kMaterializedView:
      return 10;
    case ObjectKind::kTrigger:
      return 12;
    default:
      return 13;
  }
}

// Attributes CREATE cannot set yet because they name objects made later (as the planner
// does it): set afterwards with AlterSql.
inline std::string DeferredAttr(const Object& o) {
  if (o.kind() == ObjectKind::kSequence && o.HasAttr("owned_by")) return "owned_by";
  if (o.kind() == ObjectKind::kTable && o.Attr("replica_identity").rfind("index ", 0) == 0) {
    return "replica_identity";
  }
  return "";
}

class ItemCollector {
 public:
  explicit ItemCollector(const Object* database) : database_(database) {}

  // CREATE of `o` and (for a schema, a relation) of everything below it, by phase.
  void Create(const Object& o, const DdlContext& ctx) {
    std::string deferred = DeferredAttr(o);
    if (o.kind() != ObjectKind::kColumn) {
      Object now = o;
      now.SetAttr(deferred, "");
      Add(CreatePhase(o), o, CreateSql(now, ctx));
      if (!deferred.empty()) {
        AlterSqlResult later = AlterSql(o, now, AttrChanges(o, now), ctx);
        Add(13, o, later.sql);
      }
    }
    for (const Object& child : o.children()) {
      if (child.kind() == ObjectKind::kColumn) continue;  // part of CREATE TABLE
      Create(child, ChildContext(o, ctx));
    }
  }

  // DROP of `o`, and first of what it holds that DROP without CASCADE would refuse.
  void Drop(const Object& o, const DdlContext& ctx) {
    if (o.kind() == ObjectKind::kSchema) {
      for (const Object& child : o.children()) Drop(child, ChildContext(o, ctx));
    }
    Add(0, o, DropSql(o, ctx));
  }

  void Add(int phase, const Object& o, std::vector<std::string> sql) {
    if (sql.empty()) return;
    by_phase_[phase].push_back({std::string(KindName(o.kind())) + " " + o.name(), std::move(sql)});
  }

  DdlContext ChildContext(const Object& parent, const DdlContext& ctx) const {
    DdlContext child = ctx;
    child.database = database_;
    if (parent.kind() == ObjectKind::kSchema) child.schema = parent.name();
    if (IsRelationKind(parent.kind())) {
      child.relation = parent.name();
      child.relation_kind = parent.kind();
    }
    return child;
  }

  std::vector<SqlItem> Items() const {
    std::vector<SqlItem> out;
    for (const auto& [phase, items] : by_phase_) out.insert(out.end(), items.begin(), items.end());
    return out;
  }

 private:
  const Object* database_;
  std::map<int, std::vector<SqlItem>> by_phase_;
};

// The SQL that creates every object of `desired` in a database that holds `existing` (a new
// database: public, plpgsql): what exists already is altered instead.
inline std::vector<SqlItem> CreateAll(const Object& desired, const Object& existing) {
  ItemCollector items(&desired);
  DdlContext root;
  root.database = &desired;
  for (const Object& child : desired.children()) {
    const Object* there = existing.FindChild(child.kind(), child.name());
    if (there == nullptr) {
      items.Create(child, root);
      continue;
    }
    Object shallow = child;
    shallow.mutable_children().clear();
    Object before = *there;
    before.mutable_children().clear();
    items.Add(0, child, AlterSql(shallow, before, AttrChanges(shallow, before), root).sql);
    for (const Object& grandchild : child.children()) {
      items.Create(grandchild, items.ChildContext(child, root));
    }
  }
  return items.Items();
}

// The context of a diff entry's object.
inline DdlContext ContextOf(const DiffEntry& entry, const Object* database,
                            const Object* observed_database) {
  DdlContext ctx;
  ctx.database = database;
  ctx.observed_database = observed_database;
  for (const PathStep& step : entry.path) {
    if (step.kind == ObjectKind::kSchema) ctx.schema = step.name;
    if (IsRelationKind(step.kind)) {
      ctx.relation = step.name;
      ctx.relation_kind = step.kind;
    }
  }
  return ctx;
}

// The SQL that turns the database holding `observed` into `desired`, entry by entry of their
// diff: CreateSql, DropSql, AlterSql (drop and create again when AlterSql says replace).
inline std::vector<SqlItem> ChangeAll(const Object& desired, const Object& observed,
                                      std::vector<std::string>* notes) {
  DiffResult diff = DiffTrees(desired, observed, IgnoreRules());
  ItemCollector items(&desired);
  for (const DiffEntry& e : diff.entries) {
    DdlContext ctx = ContextOf(e, &desired, &observed);
    if (e.change == ChangeKind::kSourceOnly) {
      if (e.kind == ObjectKind::kColumn) {
        items.Add(6, *e.source, CreateSql(*e.source, ctx));
      } else {
        items.Create(*e.source, ctx);
      }
    } else if (e.change == ChangeKind::kTargetOnly) {
      items.Drop(*e.target, ctx);
    } else {
      AlterSqlResult alter = AlterSql(*e.source, *e.target, e.attrs, ctx);
      if (notes != nullptr) {
        notes->push_back(e.Key() + (alter.replace ? " replace" : " alter") +
                         (alter.destructive ? " destructive" : ""));
      }
      if (!alter.replace) {
        items.Add(CreatePhase(*e.source), *e.source, alter.sql);
        continue;
      }
      items.Drop(*e.target, ctx);
      if (e.kind == ObjectKind::kColumn) {
        items.Add(6, *e.source, CreateSql(*e.source, ctx));
      } else {
        items.Create(*e.source, ctx);
      }
    }
  }
  return items.Items();
}

// The differences, one per line with the attribute values on both sides.
inline std::string Describe(const DiffResult& diff) {
  std::string out;
  for (const DiffEntry& e : diff.entries) {
    out += "\n  " + std::string(ChangeKindName(e.change)) + " " + e.Key();
    for (const AttributeChange& a : e.attrs) {
      out += "\n      " + a.name + ": desired " + (a.source ? "'" + *a.source + "'" : "absent") +
             ", got " + (a.target ? "'" + *a.target + "'" : "absent");
    }
  }
  return out;
}

inline std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += "\n  " + line;
  return out;
}

}  // namespace pgtwin::testing
