// Types (enum, composite, domain, range) and routines (functions, procedures, aggregates).
#include <cstdlib>
#include <utility>

#include "providers/postgres/database_reader.h"
#include "providers/postgres/query_runner.h"

namespace pgtwin {
namespace {

std::string TypeKind(const std::string& code) {
  if (code == "e") return "enum";
  if (code == "c") return "composite";
  if (code == "d") return "domain";
  return "range";
}

ObjectKind RoutineKind(const std::string& prokind) {
  if (prokind == "p") return ObjectKind::kProcedure;
  if (prokind == "a") return ObjectKind::kAggregate;
  return ObjectKind::kFunction;  // f, and w (window functions)
}

std::string Volatility(const std::string& code) {
  if (code == "i") return "immutable";
  if (code == "s") return "stable";
  return "";  // volatile, the default
}

std::string Parallel(const std::string& code) {
  if (code == "s") return "safe";
  if (code == "r") return "restricted";
  return "";  // unsafe, the default
}

// COST is left out at CREATE FUNCTION's default: 1 for C and internal functions, else 100.
std::string NonDefaultCost(const std::string& cost, const std::string& language) {
  double default_cost = (language == "c" || language == "internal") ? 1 : 100;
  return std::strtod(cost.c_str(), nullptr) == default_cost ? "" : cost;
}

// ROWS is left out at its default: 1000 for set-returning functions, else 0 (not settable).
std::string NonDefaultRows(const std::string& rows, bool returns_set) {
  double value = std::strtod(rows.c_str(), nullptr);
  return value == (returns_set ? 1000 : 0) ? "" : rows;
}

}  // namespace

void DatabaseReader::AddTypes(const pqxx::result& rows) {
  const auto oid = rows.column_number("oid"), schema = rows.column_number("typnamespace"),
             name = rows.column_number("typname"), kind = rows.column_number("typtype"),
             relid = rows.column_number("typrelid"), owner = rows.column_number("owner"),
             acl = rows.column_number("acl"), labels = rows.column_number("labels"),
             attributes = rows.column_number("attributes"),
             base_type = rows.column_number("base_type"),
             not_null = rows.column_number("typnotnull"),
             default_value = rows.column_number("default_value"),
             collation = rows.column_number("collation"), subtype = rows.column_number("subtype");
  for (const pqxx::row& row : rows) {
    if (IsExtensionMember(kPgType, Oid(row[oid]))) continue;
    Type type{Oid(row[schema]), Object(ObjectKind::kType, Text(row[name]))};
    Object& node = type.node;
    node.SetAttr("type_kind", TypeKind(Text(row[kind])));
    node.SetAttr("owner", Text(row[owner]));
    node.SetAttr("acl", Text(row[acl]));
    node.SetAttr("labels", Text(row[labels]));
    node.SetAttr("attributes", Text(row[attributes]));
    node.SetAttr("base_type", Text(row[base_type]));
    node.SetFlag("not_null", Flag(row[not_null]));
    node.SetAttr("default", Text(row[default_value]));
    node.SetAttr("collation", Text(row[collation]));
    node.SetAttr("subtype", Text(row[subtype]));
    node.SetAttr("comment", TakeComment(kPgType, Oid(row[oid])));
    // COMMENT ON COLUMN of a composite type lands on its pg_class entry.
    if (uint32_t type_relid = Oid(row[relid]); type_relid != 0) {
      for (auto& [attribute, text] : TakePartComments(kPgClass, type_relid)) {
        node.SetAttr("attribute_comment." + attribute, text);
      }
    }
    types_.emplace(Oid(row[oid]), std::move(type));
  }
}

void DatabaseReader::AddDomainConstraints(const pqxx::result& rows) {
  const auto oid = rows.column_number("oid"), type = rows.column_number("contypid"),
             name = rows.column_number("conname"), definition = rows.column_number("definition");
  for (const pqxx::row& row : rows) {
    auto it = types_.find(Oid(row[type]));
    if (it == types_.end()) continue;
    it->second.node.SetAttr("constraint." + Text(row[name]), Text(row[definition]));
    it->second.node.SetAttr("constraint_comment." + Text(row[name]),
                            TakeComment(kPgConstraint, Oid(row[oid])));
  }
}

void DatabaseReader::AddRoutines(const pqxx::result& rows) {
  const auto oid = rows.column_number("oid"), schema = rows.column_number("pronamespace"),
             name = rows.column_number("proname"), prokind = rows.column_number("prokind"),
             identity = rows.column_number("identity"), owner = rows.column_number("owner"),
             language = rows.column_number("language"), arguments = rows.column_number("arguments"),
             returns = rows.column_number("returns"), body = rows.column_number("body"),
             volatility = rows.column_number("provolatile"),
             strict = rows.column_number("proisstrict"),
             security_definer = rows.column_number("prosecdef"),
             leakproof = rows.column_number("proleakproof"),
             parallel = rows.column_number("proparallel"), cost = rows.column_number("cost"),
             result_rows = rows.column_number("rows"),
             returns_set = rows.column_number("proretset"),
             config = rows.column_number("proconfig"), acl = rows.column_number("acl"),
             sfunc = rows.column_number("sfunc"), stype = rows.column_number("stype"),
             finalfunc = rows.column_number("finalfunc"),
             combinefunc = rows.column_number("combinefunc"),
             initcond = rows.column_number("initcond"), sortop = rows.column_number("sortop");
  for (const pqxx::row& row : rows) {
    Object* schema_node = SchemaNode(Oid(row[schema]));
    if (schema_node == nullptr || IsExtensionMember(kPgProc, Oid(row[oid]))) continue;
    ObjectKind kind = RoutineKind(Text(row[prokind]));
    Object& routine =
        schema_node->AddChild(kind, Text(row[name]) + "(" + Text(row[identity]) + ")");
    routine.SetAttr("owner", Text(row[owner]));
    routine.SetAttr("arguments", Text(row[arguments]));
    routine.SetAttr("acl", Text(row[acl]));
    routine.SetAttr("comment", TakeComment(kPgProc, Oid(row[oid])));
    if (kind == ObjectKind::kAggregate) {
      routine.SetAttr("sfunc", Text(row[sfunc]));
      routine.SetAttr("stype", Text(row[stype]));
      routine.SetAttr("finalfunc", Text(row[finalfunc]));
      routine.SetAttr("combinefunc", Text(row[combinefunc]));
      routine.SetAttr("initcond", Text(row[initcond]));
      routine.SetAttr("sortop", Text(row[sortop]));
      continue;
    }
    std::string lang = Text(row[language]);
    routine.SetAttr("language", lang);
    routine.SetAttr("returns", Text(row[returns]));
    routine.SetAttr("body", Text(row[body]));
    routine.SetAttr("volatility", Volatility(Text(row[volatility])));
    routine.SetFlag("strict", Flag(row[strict]));
    routine.SetFlag("security_definer", Flag(row[security_definer]));
    routine.SetFlag("leakproof", Flag(row[leakproof]));
    routine.SetAttr("parallel", Parallel(Text(row[parallel])));
    routine.SetAttr("cost", NonDefaultCost(Text(row[cost]), lang));
    routine.SetAttr("rows", NonDefaultRows(Text(row[result_rows]), Flag(row[returns_set])));
    for (auto& [guc, value] : ConfigEntries(row[config])) routine.SetAttr("config." + guc, value);
  }
}

}  // namespace pgtwin
