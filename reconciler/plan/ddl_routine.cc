// Functions, procedures and aggregates.
#include "reconciler/plan/ddl_parts.h"
#include "reconciler/plan/ddl_quote.h"
#include "reconciler/plan/guc_value.h"

namespace pgtwin::ddl {
namespace {

bool IsSqlStandardBody(const Object& routine) {
  const std::string& body = routine.Attr("body");
  return routine.Attr("language") == "sql" &&
         (body.rfind("BEGIN ATOMIC", 0) == 0 || body.rfind("RETURN ", 0) == 0);
}

std::string BodyClause(const Object& routine) {
  const std::string& body = routine.Attr("body");
  const std::string& language = routine.Attr("language");
  if (IsSqlStandardBody(routine)) return body;
  if (language == "c") {
    size_t comma = body.rfind(", ");
    if (comma != std::string::npos) {
      return "AS " + QuoteLiteral(body.substr(0, comma)) + ", " +
             QuoteLiteral(body.substr(comma + 2));
    }
  }
  if (language == "c" || language == "internal") return "AS " + QuoteLiteral(body);
  return "AS " + DollarQuote(body);
}

bool ReturnsSet(const Object& routine) {
  return routine.Attr("returns").rfind("SETOF ", 0) == 0 ||
         routine.Attr("returns").rfind("TABLE(", 0) == 0;
}

std::string DefaultCost(const Object& routine) {
  const std::string& language = routine.Attr("language");
  return language == "c" || language == "internal" ? "1" : "100";
}

// The attribute clauses of CREATE FUNCTION / ALTER FUNCTION, each spelled out even at its
// default when `all` (CREATE OR REPLACE and ALTER reset nothing they are not told).
std::string Clauses(const Object& r, const std::vector<AttributeChange>* changes) {
  bool function = r.kind() == ObjectKind::kFunction;
  auto want = [&](const char* attr) { return changes == nullptr || Changed(*changes, attr); };
  std::string out;
  auto add = [&out](const std::string& clause) { out += "\n  " + clause; };
  if (function && want("volatility")) {
    const std::string& v = r.Attr("volatility");
    if (changes != nullptr || !v.empty())
      add(v == "immutable" ? "IMMUTABLE" : v == "stable" ? "STABLE" : "VOLATILE");
  }
  if (function && want("strict") && (changes != nullptr || r.HasAttr("strict"))) {
    add(r.HasAttr("strict") ? "STRICT" : "CALLED ON NULL INPUT");
  }
  if (want("security_definer") && (changes != nullptr || r.HasAttr("security_definer"))) {
    add(r.HasAttr("security_definer") ? "SECURITY DEFINER" : "SECURITY INVOKER");
  }
  if (function && want("leakproof") && (changes != nullptr || r.HasAttr("leakproof"))) {
    add(r.HasAttr("leakproof") ? "LEAKPROOF" : "NOT LEAKPROOF");
  }
  if (function && want("parallel") && (changes != nullptr || r.HasAttr("parallel"))) {
    const std::string& p = r.Attr("parallel");
    add(std::string("PARALLEL ") + (p == "safe"         ? "SAFE"
                                    : p == "restricted" ? "RESTRICTED"
                                                        : "UNSAFE"));
  }
  if (function && want("cost") && (changes != nullptr || r.HasAttr("cost"))) {
    add("COST " + (r.HasAttr("cost") ? r.Attr("cost") : DefaultCost(r)));
  }
  if (function && want("rows") && (r.HasAttr("rows") || (changes != nullptr && ReturnsSet(r)))) {
    add("ROWS " + (r.HasAttr("rows") ? r.Attr("rows") : std::string("1000")));
  }
  for (const auto& [guc, value] : PartAttrs(r, "config.")) {
    if (changes == nullptr || Changed(*changes, "config." + guc)) {
      add("SET " + guc + " = " + cluster_sql::GucValue(guc, value));
    }
  }
  if (changes != nullptr) {
    for (const AttributeChange& change : *changes) {
      if (change.name.rfind("config.", 0) == 0 && !change.source)
        add("RESET " + change.name.substr(7));
    }
  }
  return out;
}

std::string RoutineStatement(const Object& r, const DdlContext& ctx, bool replace) {
  bool function = r.kind() == ObjectKind::kFunction;
  std::string name = RoutineSignature(ctx.schema, r.name());
  name = name.substr(0, name.find('('));
  std::string sql = std::string("CREATE ") + (replace ? "OR REPLACE " : "") +
                    (function ? "FUNCTION " : "PROCEDURE ") + name + "(" + r.Attr("arguments") +
                    ")";
  if (function) sql += " RETURNS " + r.Attr("returns");
  sql += "\n  LANGUAGE " + QuoteIdent(r.Attr("language"));
  sql += Clauses(r, nullptr);
  return sql + "\n" + BodyClause(r);
}

// SORTOP's operator from a regoperator ("pg_catalog.>(integer,integer)", ">(integer,integer)").
std::string SortOperator(const std::string& regoperator) {
  std::string op = regoperator.substr(0, regoperator.find('('));
  return op.find('.') == std::string::npos ? op : "OPERATOR(" + op + ")";
}

std::string AggregateStatement(const Object& a, const DdlContext& ctx, bool replace) {
  std::string name = RoutineSignature(ctx.schema, a.name());
  name = name.substr(0, name.find('('));
  std::string arguments = a.HasAttr("arguments") ? a.Attr("arguments") : "*";
  std::string sql = std::string("CREATE ") + (replace ? "OR REPLACE " : "") + "AGGREGATE " + name +
                    "(" + arguments + ") (\n  SFUNC = " + a.Attr("sfunc") +
                    ",\n  STYPE = " + a.Attr("stype");
  if (a.HasAttr("finalfunc")) sql += ",\n  FINALFUNC = " + a.Attr("finalfunc");
  if (a.HasAttr("combinefunc")) sql += ",\n  COMBINEFUNC = " + a.Attr("combinefunc");
  if (a.HasAttr("initcond")) sql += ",\n  INITCOND = " + QuoteLiteral(a.Attr("initcond"));
  if (a.HasAttr("sortop")) sql += ",\n  SORTOP = " + SortOperator(a.Attr("sortop"));
  return sql + "\n)";
}

}  // namespace

Sql CreateRoutine(const Object& o, const DdlContext& ctx) {
  Sql out{o.kind() == ObjectKind::kAggregate ? AggregateStatement(o, ctx, false)
                                             : RoutineStatement(o, ctx, false)};
  AppendOwnerAclComment(o, NamesOf(o, ctx), out);
  return out;
}

AlterSqlResult AlterRoutine(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                            const DdlContext& ctx) {
  AlterSqlResult result;
  Names names = NamesOf(d, ctx);
  if (Changed(c, "arguments") || Changed(c, "returns") || Changed(c, "stype") ||
      Changed(c, "finalfunc")) {
    result.replace = true;  // CREATE OR REPLACE keeps argument names and the result type
    return result;
  }
  Sql& out = result.sql;
  if (d.kind() == ObjectKind::kAggregate) {
    for (const char* attr : {"sfunc", "combinefunc", "initcond", "sortop"}) {
      if (Changed(c, attr)) {
        out.push_back(AggregateStatement(d, ctx, true));
        break;
      }
    }
  } else if (Changed(c, "body") || Changed(c, "language")) {
    out.push_back(RoutineStatement(d, ctx, true));
  } else {
    std::string clauses = Clauses(d, &c);
    if (!clauses.empty()) out.push_back("ALTER " + names.alter + clauses);
  }
  AppendOwnerAclCommentChanges(d, o, c, names, out);
  return result;
}

}  // namespace pgtwin::ddl
