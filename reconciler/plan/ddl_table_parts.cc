// Constraints, indexes and triggers: the parts of a table with their own names.
#include "reconciler/plan/ddl_parts.h"
#include "reconciler/plan/ddl_quote.h"

namespace pgtwin::ddl {
namespace {

std::string Relation(const DdlContext& ctx) { return QuoteQualified(ctx.schema, ctx.relation); }

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A constraint definition without the DEFERRABLE / INITIALLY DEFERRED / NOT VALID suffixes
// pg_get_constraintdef appends, in that order.
std::string CoreDefinition(std::string definition) {
  for (std::string_view suffix : {" NOT VALID", " INITIALLY DEFERRED", " DEFERRABLE"}) {
    if (EndsWith(definition, suffix)) definition.resize(definition.size() - suffix.size());
  }
  return definition;
}

std::string TriggerState(const std::string& enabled) {
  if (enabled == "D") return "DISABLE TRIGGER ";
  if (enabled == "R") return "ENABLE REPLICA TRIGGER ";
  if (enabled == "A") return "ENABLE ALWAYS TRIGGER ";
  return "ENABLE TRIGGER ";
}

}  // namespace

Sql CreateConstraint(const Object& o, const DdlContext& ctx) {
  Sql out{"ALTER TABLE " + Relation(ctx) + " ADD CONSTRAINT " + QuoteIdent(o.name()) + " " +
          o.Attr("definition")};
  if (o.HasAttr("comment")) out.push_back(CommentSql(NamesOf(o, ctx).alter, o.Attr("comment")));
  return out;
}

AlterSqlResult AlterConstraint(const Object& d, const Object& o,
                               const std::vector<AttributeChange>& c, const DdlContext& ctx) {
  AlterSqlResult result;
  const std::string alter = "ALTER TABLE " + Relation(ctx);
  const std::string name = QuoteIdent(d.name());
  if (Changed(c, "definition") || Changed(c, "type")) {
    bool same_core = !Changed(c, "type") &&
                     CoreDefinition(d.Attr("definition")) == CoreDefinition(o.Attr("definition"));
    bool validates = !d.HasAttr("not_valid") || o.HasAttr("not_valid");
    bool deferrable_in_place =
        d.Attr("type") == "f" || (!Changed(c, "deferrable") && !Changed(c, "deferred"));
    if (!same_core || !validates || !deferrable_in_place) {
      result.replace = true;
      return result;
    }
    if (Changed(c, "deferrable") || Changed(c, "deferred")) {
      std::string mode = d.HasAttr("deferrable") ? " DEFERRABLE" : " NOT DEFERRABLE";
      if (d.HasAttr("deferrable")) {
        mode += d.HasAttr("deferred") ? " INITIALLY DEFERRED" : " INITIALLY IMMEDIATE";
      }
      result.sql.push_back(alter + " ALTER CONSTRAINT " + name + mode);
    }
    if (Changed(c, "not_valid")) result.sql.push_back(alter + " VALIDATE CONSTRAINT " + name);
  }
  if (Changed(c, "comment")) {
    result.sql.push_back(CommentSql(NamesOf(d, ctx).alter, d.Attr("comment")));
  }
  return result;
}

Sql CreateIndex(const Object& o, const DdlContext& ctx) {
  // A partitioned table's index reads "ON ONLY": created that way it would stay invalid
  // until each partition's index is attached. Without ONLY it builds them all.
  std::string definition = o.Attr("definition");
  if (size_t at = definition.find(" ON ONLY "); at != std::string::npos) {
    definition.erase(at + 3, 5);
  }
  Sql out{definition};
  if (o.HasAttr("clustered")) {
    out.push_back("ALTER TABLE " + Relation(ctx) + " CLUSTER ON " + QuoteIdent(o.name()));
  }
  if (o.HasAttr("comment")) out.push_back(CommentSql(NamesOf(o, ctx).alter, o.Attr("comment")));
  return out;
}

AlterSqlResult AlterIndex(const Object& d, const Object&, const std::vector<AttributeChange>& c,
                          const DdlContext& ctx) {
  AlterSqlResult result;
  if (Changed(c, "definition")) {
    result.replace = true;
    return result;
  }
  if (Changed(c, "clustered")) {
    result.sql.push_back("ALTER TABLE " + Relation(ctx) +
                         (d.HasAttr("clustered") ? " CLUSTER ON " + QuoteIdent(d.name())
                                                 : std::string(" SET WITHOUT CLUSTER")));
  }
  if (Changed(c, "comment")) {
    result.sql.push_back(CommentSql(NamesOf(d, ctx).alter, d.Attr("comment")));
  }
  return result;
}

Sql CreateTrigger(const Object& o, const DdlContext& ctx) {
  Sql out{o.Attr("definition")};
  if (o.HasAttr("enabled")) {
    out.push_back("ALTER TABLE " + Relation(ctx) + " " + TriggerState(o.Attr("enabled")) +
                  QuoteIdent(o.name()));
  }
  if (o.HasAttr("comment")) out.push_back(CommentSql(NamesOf(o, ctx).alter, o.Attr("comment")));
  return out;
}

AlterSqlResult AlterTrigger(const Object& d, const Object&, const std::vector<AttributeChange>& c,
                            const DdlContext& ctx) {
  AlterSqlResult result;
  bool redefined = Changed(c, "definition");
  if (redefined) {
    // CREATE OR REPLACE TRIGGER (PostgreSQL 14+) does not exist for constraint triggers.
    const std::string& definition = d.Attr("definition");
    constexpr std::string_view kCreate = "CREATE TRIGGER ";
    if (definition.compare(0, kCreate.size(), kCreate) != 0) {
      result.replace = true;
      return result;
    }
    result.sql.push_back("CREATE OR REPLACE TRIGGER " + definition.substr(kCreate.size()));
  }
  // A replaced trigger fires on origin again.
  if (Changed(c, "enabled") || (redefined && d.HasAttr("enabled"))) {
    result.sql.push_back("ALTER TABLE " + Relation(ctx) + " " + TriggerState(d.Attr("enabled")) +
                         QuoteIdent(d.name()));
  }
  if (Changed(c, "comment")) {
    result.sql.push_back(CommentSql(NamesOf(d, ctx).alter, d.Attr("comment")));
  }
  return result;
}

}  // namespace pgtwin::ddl
