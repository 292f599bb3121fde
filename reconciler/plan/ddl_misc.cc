// Extensions, schemas and sequences.
#include "reconciler/plan/ddl_parts.h"
#include "reconciler/plan/ddl_quote.h"

namespace pgtwin::ddl {
namespace {

bool Descending(const Object& sequence) {
  const std::string& increment = sequence.Attr("increment");
  return !increment.empty() && increment[0] == '-';
}

// The options of CREATE SEQUENCE for the non-default attributes. START is spelled out when a
// bound is given: CREATE SEQUENCE would start at that bound, the model's default is 1 / -1.
std::string CreateOptions(const Object& s) {
  std::string out;
  auto add = [&out](const std::string& option) { out += " " + option; };
  if (s.HasAttr("data_type")) add("AS " + s.Attr("data_type"));
  if (s.HasAttr("increment")) add("INCREMENT BY " + s.Attr("increment"));
  if (s.HasAttr("min_value")) add("MINVALUE " + s.Attr("min_value"));
  if (s.HasAttr("max_value")) add("MAXVALUE " + s.Attr("max_value"));
  if (s.HasAttr("start")) {
    add("START WITH " + s.Attr("start"));
  } else if (s.HasAttr(Descending(s) ? "max_value" : "min_value")) {
    add(Descending(s) ? "START WITH -1" : "START WITH 1");
  }
  if (s.HasAttr("cache")) add("CACHE " + s.Attr("cache"));
  if (s.HasAttr("cycle")) add("CYCLE");
  return out;
}

// Every option of ALTER SEQUENCE, defaults spelled as NO MINVALUE etc.
std::string AllOptions(const Object& s) {
  auto value_or = [&s](const char* name, const std::string& fallback) {
    return s.HasAttr(name) ? s.Attr(name) : fallback;
  };
  std::string out = " AS " + value_or("data_type", "bigint");
  out += " INCREMENT BY " + value_or("increment", "1");
  out += s.HasAttr("min_value") ? " MINVALUE " + s.Attr("min_value") : " NO MINVALUE";
  out += s.HasAttr("max_value") ? " MAXVALUE " + s.Attr("max_value") : " NO MAXVALUE";
  out += " START WITH " + value_or("start", Descending(s) ? "-1" : "1");
  out += " CACHE " + value_or("cache", "1");
  out += s.HasAttr("cycle") ? " CYCLE" : " NO CYCLE";
  return out;
}

}  // namespace

Sql CreateExtension(const Object& o) {
  std::string name = QuoteIdent(o.name());
  std::string sql = "CREATE EXTENSION " + name;
  if (o.HasAttr("schema")) sql += " WITH SCHEMA " + QuoteIdent(o.Attr("schema"));
  if (o.HasAttr("version")) sql += " VERSION " + QuoteLiteral(o.Attr("version"));
  // The control file may give a comment: the desired one (or none) replaces it.
  return {sql, CommentSql("EXTENSION " + name, o.Attr("comment"))};
}

Sql AlterExtension(const Object& d, const Object&, const std::vector<AttributeChange>& c) {
  std::string name = QuoteIdent(d.name());
  Sql out;
  if (Changed(c, "schema") && d.HasAttr("schema")) {
    out.push_back("ALTER EXTENSION " + name + " SET SCHEMA " + QuoteIdent(d.Attr("schema")));
  }
  if (Changed(c, "version") && d.HasAttr("version")) {
    out.push_back("ALTER EXTENSION " + name + " UPDATE TO " + QuoteLiteral(d.Attr("version")));
  }
  if (Changed(c, "comment")) out.push_back(CommentSql("EXTENSION " + name, d.Attr("comment")));
  return out;
}

Sql CreateSchema(const Object& o) {
  Sql out{"CREATE SCHEMA " + QuoteIdent(o.name())};
  AppendOwnerAclComment(o, NamesOf(o, {}), out);
  return out;
}

Sql AlterSchema(const Object& d, const Object& o, const std::vector<AttributeChange>& c) {
  Sql out;
  AppendOwnerAclCommentChanges(d, o, c, NamesOf(d, {}), out);
  return out;
}

Sql CreateSequence(const Object& o, const DdlContext& ctx) {
  Sql out{"CREATE SEQUENCE " + QuoteQualified(ctx.schema, o.name()) + CreateOptions(o)};
  if (o.HasAttr("owned_by")) {
    Sql owned = SequenceOwnedBy(o, ctx);
    out.insert(out.end(), owned.begin(), owned.end());
  }
  AppendOwnerAclComment(o, NamesOf(o, ctx), out);
  return out;
}

Sql AlterSequence(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                  const DdlContext& ctx) {
  std::string name = QuoteQualified(ctx.schema, d.name());
  Sql out;
  for (const char* attr :
       {"data_type", "increment", "min_value", "max_value", "start", "cache", "cycle"}) {
    if (Changed(c, attr)) {
      out.push_back("ALTER SEQUENCE " + name + AllOptions(d));
      break;
    }
  }
  if (Changed(c, "owned_by")) {
    Sql owned = SequenceOwnedBy(d, ctx);
    out.insert(out.end(), owned.begin(), owned.end());
  }
  AppendOwnerAclCommentChanges(d, o, c, NamesOf(d, ctx), out);
  return out;
}

Sql SequenceOwnedBy(const Object& o, const DdlContext& ctx) {
  const std::string& owned_by = o.Attr("owned_by");
  return {"ALTER SEQUENCE " + QuoteQualified(ctx.schema, o.name()) + " OWNED BY " +
          (owned_by.empty() ? std::string("NONE") : QuoteDotted(owned_by))};
}

}  // namespace pgtwin::ddl
