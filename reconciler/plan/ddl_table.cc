// Tables and their columns.
#include <algorithm>
#include <map>
#include <sstream>

#include "reconciler/plan/ddl_acl.h"
#include "reconciler/plan/ddl_parts.h"
#include "reconciler/plan/ddl_quote.h"

namespace pgtwin::ddl {
namespace {

std::vector<const Object*> ColumnsInOrder(const Object& table) {
  std::vector<const Object*> columns;
  for (const Object& child : table.children()) {
    if (child.kind() == ObjectKind::kColumn) columns.push_back(&child);
  }
  std::stable_sort(columns.begin(), columns.end(), [](const Object* a, const Object* b) {
    return std::stol("0" + a->Attr("position")) < std::stol("0" + b->Attr("position"));
  });
  return columns;
}

std::string TypeAndCollation(const Object& column) {
  std::string out = column.Attr("type");
  if (column.HasAttr("collation")) out += " COLLATE " + column.Attr("collation");
  return out;
}

std::string IdentityClause(const Object& column) {
  std::string out = "GENERATED " +
                    std::string(column.Attr("identity") == "always" ? "ALWAYS" : "BY DEFAULT") +
                    " AS IDENTITY";
  if (column.HasAttr("identity_options")) out += " (" + column.Attr("identity_options") + ")";
  return out;
}

// `name type [COLLATE c] [DEFAULT e | GENERATED ...] [NOT NULL]`. `with_generation` false
// leaves out a generation expression (a child inherits its parent's).
std::string ColumnSpec(const Object& column, bool with_generation) {
  std::string out = QuoteIdent(column.name()) + " " + TypeAndCollation(column);
  if (column.HasAttr("identity")) {
    out += " " + IdentityClause(column);
  } else if (column.HasAttr("generated")) {
    if (with_generation) out += " GENERATED ALWAYS AS (" + column.Attr("generated") + ") STORED";
  } else if (column.HasAttr("default")) {
    out += " DEFAULT " + column.Attr("default");
  }
  if (column.HasAttr("not_null")) out += " NOT NULL";
  return out;
}

// The same column in the first parent that has it, or nullptr.
const Object* ParentColumn(const std::vector<const Object*>& parents, const std::string& name) {
  for (const Object* parent : parents) {
    if (const Object* c = parent->FindChild(ObjectKind::kColumn, name)) return c;
  }
  return nullptr;
}

// The column list of CREATE TABLE: all columns, or for a child of known parents its own
// columns and the inherited ones whose default or NOT NULL it changes.
std::string ColumnList(const Object& table, const DdlContext& ctx) {
  std::vector<const Object*> parents;
  bool is_partition = table.HasAttr("partition_of");
  for (const std::string& p :
       SplitTopLevel(is_partition ? table.Attr("partition_of") : table.Attr("inherits"))) {
    if (const Object* parent = FindTable(ctx.database, p)) parents.push_back(parent);
  }
  std::string out;
  for (const Object* column : ColumnsInOrder(table)) {
    const Object* inherited = ParentColumn(parents, column->name());
    std::string spec;
    if (is_partition) {
      std::string options;
      if (column->HasAttr("default") &&
          (!inherited || inherited->Attr("default") != column->Attr("default"))) {
        options += " DEFAULT " + column->Attr("default");
      }
      if (column->HasAttr("not_null") && !(inherited && inherited->HasAttr("not_null"))) {
        options += " NOT NULL";
      }
      if (!options.empty()) spec = QuoteIdent(column->name()) + " WITH OPTIONS" + options;
    } else if (inherited == nullptr) {
      spec = ColumnSpec(*column, /*with_generation=*/true);
    } else if (inherited->Attr("default") != column->Attr("default") ||
               inherited->HasAttr("not_null") != column->HasAttr("not_null")) {
      spec = ColumnSpec(*column, /*with_generation=*/false);
    }
    if (!spec.empty()) out += (out.empty() ? "\n    " : ",\n    ") + spec;
  }
  if (is_partition && out.empty()) return "";
  return " (" + out + (out.empty() ? ")" : "\n)");
}

std::string ReplicaIdentityClause(const std::string& value) {
  if (value == "nothing") return "NOTHING";
  if (value == "full") return "FULL";
  if (value.rfind("index ", 0) == 0) return "USING INDEX " + QuoteIdent(value.substr(6));
  return "DEFAULT";
}

// Identity sequence options by keyword ("INCREMENT BY" -> "10", "CYCLE" -> "").
std::map<std::string, std::string> IdentityOptions(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    if (word == "CYCLE") {
      out["CYCLE"] = "";
    } else if (word == "INCREMENT" || word == "START") {
      std::string by, value;
      in >> by >> value;
      out[word + " " + by] = value;
    } else {
      std::string value;
      in >> value;
      out[word] = value;
    }
  }
  return out;
}

// ALTER COLUMN ... SET options turning the identity sequence into the desired one.
std::string IdentityOptionChanges(const Object& column) {
  auto o = IdentityOptions(column.Attr("identity_options"));
  bool descending = o.count("INCREMENT BY") && o["INCREMENT BY"].rfind('-', 0) == 0;
  auto value_or = [&o](const std::string& key, const std::string& fallback) {
    return o.count(key) ? o[key] : fallback;
  };
  std::string out = " SET INCREMENT BY " + value_or("INCREMENT BY", "1");
  out += o.count("MINVALUE") ? " SET MINVALUE " + o["MINVALUE"] : " SET NO MINVALUE";
  out += o.count("MAXVALUE") ? " SET MAXVALUE " + o["MAXVALUE"] : " SET NO MAXVALUE";
  out += " SET START WITH " + value_or("START WITH", descending ? "-1" : "1");
  out += " SET CACHE " + value_or("CACHE", "1");
  out += o.count("CYCLE") ? " SET CYCLE" : " SET NO CYCLE";
  return out;
}

// The name of a type without its modifier: "character varying(20)" -> "character varying".
std::string BaseTypeName(const std::string& type) {
  std::string base = type.substr(0, type.find('('));
  size_t array = type.find("[]");
  return array == std::string::npos ? base : base + "[]";
}

// True when every value of `from` fits `to` unchanged.
bool Widens(const std::string& from, const std::string& to) {
  static const std::vector<std::vector<std::string>> kChains = {
      {"smallint", "integer", "bigint", "numeric"},
      {"real", "double precision"},
      {"character varying", "text"},
      {"timestamp without time zone", "timestamp with time zone"},
  };
  std::string a = BaseTypeName(from), b = BaseTypeName(to);
  if (a == b) {
    // Same type, other modifier: only a longer varchar or a numeric without limits widens.
    if (to == b) return true;
    auto modifier = [](const std::string& t) {
      size_t open = t.find('(');
      return open == std::string::npos ? 0L : std::stol(t.substr(open + 1));
    };
    return (a == "character varying" || a == "bit varying") && modifier(to) >= modifier(from);
  }
  for (const auto& chain : kChains) {
    auto i = std::find(chain.begin(), chain.end(), a);
    auto j = std::find(chain.begin(), chain.end(), b);
    if (i != chain.end() && j != chain.end() && i < j) return to == b || b != "numeric";
  }
  return false;
}

// The owner `table` (schema.name) has in `database`; "" when it or the table is not there.
std::string OwnerIn(const Object* database, const std::string& table) {
  const Object* relation = FindTable(database, table);
  return relation == nullptr ? "" : relation->Attr("owner");
}

}  // namespace

Sql CreateTable(const Object& o, const DdlContext& ctx) {
  const std::string name = QuoteQualified(ctx.schema, o.name());
  std::string sql =
      std::string("CREATE ") + (o.HasAttr("persistence") ? "UNLOGGED " : "") + "TABLE " + name;
  if (o.HasAttr("partition_of")) {
    sql += " PARTITION OF " + QuoteDotted(o.Attr("partition_of")) + ColumnList(o, ctx) + " " +
           o.Attr("partition_bound");
  } else {
    sql += ColumnList(o, ctx);
    if (o.HasAttr("inherits")) {
      std::string parents;
      for (const std::string& p : SplitTopLevel(o.Attr("inherits"))) {
        parents += (parents.empty() ? "" : ", ") + QuoteDotted(p);
      }
      sql += " INHERITS (" + parents + ")";
    }
  }
  if (o.HasAttr("partition_by")) sql += " PARTITION BY " + o.Attr("partition_by");
  if (o.HasAttr("options")) sql += " WITH " + OptionList(o.Attr("options"));
  Sql out{sql};
  const std::string& identity = o.Attr("replica_identity");
  if (!identity.empty()) {
    out.push_back("ALTER TABLE " + name + " REPLICA IDENTITY " + ReplicaIdentityClause(identity));
  }
  if (o.HasAttr("row_security"))
    out.push_back("ALTER TABLE " + name + " ENABLE ROW LEVEL SECURITY");
  if (o.HasAttr("force_row_security")) {
    out.push_back("ALTER TABLE " + name + " FORCE ROW LEVEL SECURITY");
  }
  AppendOwnerAclComment(o, NamesOf(o, ctx), out);
  DdlContext column_ctx{ctx.schema, o.name(), ObjectKind::kTable, ctx.database};
  for (const Object* column : ColumnsInOrder(o)) {
    if (column->HasAttr("comment")) {
      out.push_back(CommentSql(NamesOf(*column, column_ctx).alter, column->Attr("comment")));
    }
    if (column->HasAttr("acl")) {
      AclTarget target{"TABLE " + name, 'c', o.Attr("owner"), "", QuoteIdent(column->name())};
      auto sql_acl = AclSql(target, column->Attr("acl"), "");
      if (sql_acl) out.insert(out.end(), sql_acl->begin(), sql_acl->end());
    }
  }
  return out;
}

AlterSqlResult AlterTable(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                          const DdlContext& ctx) {
  AlterSqlResult result;
  if (Changed(c, "partition_by")) {
    result.replace = true;
    result.destructive = true;
    return result;
  }
  const std::string name = QuoteQualified(ctx.schema, d.name());
  const std::string alter = "ALTER TABLE " + name;
  Sql& out = result.sql;
  if (Changed(c, "partition_of") || Changed(c, "partition_bound")) {
    if (o.HasAttr("partition_of")) {
      out.push_back("ALTER TABLE " + QuoteDotted(o.Attr("partition_of")) + " DETACH PARTITION " +
                    name);
    }
    if (d.HasAttr("partition_of")) {
      out.push_back("ALTER TABLE " + QuoteDotted(d.Attr("partition_of")) + " ATTACH PARTITION " +
                    name + " " + d.Attr("partition_bound"));
    }
  }
  if (Changed(c, "inherits")) {
    std::vector<std::string> want = SplitTopLevel(d.Attr("inherits"));
    std::vector<std::string> have = SplitTopLevel(o.Attr("inherits"));
    size_t same = 0;
    while (same < want.size() && same < have.size() && want[same] == have[same]) ++same;
    for (size_t i = same; i < have.size(); ++i) {
      out.push_back(alter + " NO INHERIT " + QuoteDotted(have[i]));
    }
    for (size_t i = same; i < want.size(); ++i) {
      out.push_back(alter + " INHERIT " + QuoteDotted(want[i]));
    }
  }
  if (Changed(c, "persistence")) {
    out.push_back(alter + (d.HasAttr("persistence") ? " SET UNLOGGED" : " SET LOGGED"));
  }
  if (Changed(c, "options")) {
    AppendOptionChanges("TABLE " + name, d.Attr("options"), o.Attr("options"), out);
  }
  if (Changed(c, "replica_identity")) {
    out.push_back(alter + " REPLICA IDENTITY " + ReplicaIdentityClause(d.Attr("replica_identity")));
  }
  if (Changed(c, "row_security")) {
    out.push_back(alter + (d.HasAttr("row_security") ? " ENABLE" : " DISABLE") +
                  " ROW LEVEL SECURITY");
  }
  if (Changed(c, "force_row_security")) {
    out.push_back(alter + (d.HasAttr("force_row_security") ? " FORCE" : " NO FORCE") +
                  " ROW LEVEL SECURITY");
  }
  std::vector<std::string> revoked;
  AppendOwnerAclCommentChanges(d, o, c, NamesOf(d, ctx), out, &revoked);
  // Revoking table privileges revoked the same grantees' column privileges, and a new owner
  // took over the old owner's column grants: the columns Test has get their ACLs now (those
  // created later get theirs with them).
  if (!revoked.empty() || Changed(c, "owner")) {
    for (const Object* column : ColumnsInOrder(d)) {
      const Object* before = o.FindChild(ObjectKind::kColumn, column->name());
      if (before == nullptr) continue;
      auto want = ParseAcl(column->Attr("acl"));
      auto have = ParseAcl(before->Attr("acl"));
      if (!want || !have) continue;
      std::vector<AclItem> kept;
      for (const AclItem& item : *have) {
        if (std::find(revoked.begin(), revoked.end(), item.grantee) == revoked.end()) {
          kept.push_back(item);
        }
      }
      AclTarget target{"TABLE " + name, 'c', d.Attr("owner"), o.Attr("owner"),
                       QuoteIdent(column->name())};
      if (auto sql = AclSql(target, column->Attr("acl"), FormatAcl(kept))) {
        out.insert(out.end(), sql->begin(), sql->end());
      }
    }
  }
  return result;
}

Sql CreateColumn(const Object& o, const DdlContext& ctx) {
  const std::string table = QuoteQualified(ctx.schema, ctx.relation);
  const Object* relation = FindTable(ctx.database, ctx.schema + "." + ctx.relation);
  Sql out;
  if (relation != nullptr && relation->HasAttr("partition_of")) {
    // A partition gets its columns from its parent; only its own default and NOT NULL remain.
    std::string column = "ALTER TABLE " + table + " ALTER COLUMN " + QuoteIdent(o.name());
    if (o.HasAttr("default")) out.push_back(column + " SET DEFAULT " + o.Attr("default"));
    if (o.HasAttr("not_null")) out.push_back(column + " SET NOT NULL");
  } else {
    // Adding a column to a parent adds it to its inheritance children too.
    bool child = relation != nullptr && relation->HasAttr("inherits");
    out.push_back("ALTER TABLE " + table + " ADD COLUMN " + (child ? "IF NOT EXISTS " : "") +
                  ColumnSpec(o, true));
  }
  Names names = NamesOf(o, ctx);
  if (o.HasAttr("comment")) out.push_back(CommentSql(names.alter, o.Attr("comment")));
  if (o.HasAttr("acl")) {
    std::string owner = relation == nullptr ? "" : relation->Attr("owner");
    AclTarget target{names.grant, 'c', owner, "", QuoteIdent(o.name())};
    if (auto sql = AclSql(target, o.Attr("acl"), ""))
      out.insert(out.end(), sql->begin(), sql->end());
  }
  return out;
}

Sql DropColumn(const Object& o, const DdlContext& ctx) {
  const Object* relation = FindTable(ctx.database, ctx.schema + "." + ctx.relation);
  // A partition's columns are its parent's: dropped there, they go from every partition.
  if (relation != nullptr && relation->HasAttr("partition_of")) return {};
  // An inheritance child loses the column with its parent unless it was its own as well.
  bool child = relation != nullptr && relation->HasAttr("inherits");
  return {"ALTER TABLE " + QuoteQualified(ctx.schema, ctx.relation) + " DROP COLUMN " +
          (child ? "IF EXISTS " : "") + QuoteIdent(o.name())};
}

AlterSqlResult AlterColumn(const Object& d, const Object& o, const std::vector<AttributeChange>& c,
                           const DdlContext& ctx) {
  AlterSqlResult result;
  const bool generated_changed = Changed(c, "generated");
  if (generated_changed && d.HasAttr("generated")) {
    // A generation expression can only be dropped in place (PostgreSQL 15).
    result.replace = true;
    result.destructive = !o.HasAttr("generated");
    return result;
  }
  const std::string table = "ALTER TABLE " + QuoteQualified(ctx.schema, ctx.relation);
  const std::string column = table + " ALTER COLUMN " + QuoteIdent(d.name());
  Sql& out = result.sql;
  if (Changed(c, "identity") && !d.HasAttr("identity")) out.push_back(column + " DROP IDENTITY");
  if (generated_changed) out.push_back(column + " DROP EXPRESSION");
  bool type_changed = Changed(c, "type") || Changed(c, "collation");
  bool default_changed = Changed(c, "default");
  if (type_changed) {
    // The old default may not cast to the new type: it goes first and comes back after.
    if (o.HasAttr("default")) {
      out.push_back(column + " DROP DEFAULT");
      default_changed = d.HasAttr("default");
    }
    std::string sql = column + " TYPE " + TypeAndCollation(d);
    if (BaseTypeName(d.Attr("type")) != BaseTypeName(o.Attr("type"))) {
      sql += " USING " + QuoteIdent(d.name()) + "::" + d.Attr("type");
    }
    out.push_back(sql);
    result.destructive = Changed(c, "type") && !Widens(o.Attr("type"), d.Attr("type"));
  }
  if (default_changed) {
    out.push_back(column +
                  (d.HasAttr("default") ? " SET DEFAULT " + d.Attr("default") : " DROP DEFAULT"));
  }
  if (Changed(c, "not_null")) {
    out.push_back(column + (d.HasAttr("not_null") ? " SET NOT NULL" : " DROP NOT NULL"));
  }
  if (Changed(c, "identity") && d.HasAttr("identity")) {
    if (o.HasAttr("identity")) {
      out.push_back(column + " SET GENERATED " +
                    (d.Attr("identity") == "always" ? "ALWAYS" : "BY DEFAULT"));
    } else {
      out.push_back(column + " ADD " + IdentityClause(d));
    }
  }
  if (Changed(c, "identity_options") && d.HasAttr("identity") &&
      !(Changed(c, "identity") && !o.HasAttr("identity"))) {
    out.push_back(column + IdentityOptionChanges(d));
  }
  Names names = NamesOf(d, ctx);
  if (Changed(c, "comment")) out.push_back(CommentSql(names.alter, d.Attr("comment")));
  const std::string table_name = ctx.schema + "." + ctx.relation;
  std::string owner = OwnerIn(ctx.database, table_name);
  std::string observed_owner = OwnerIn(ctx.observed_database, table_name);
  // A table whose owner changes sets its columns' ACLs itself (AlterTable).
  if (Changed(c, "acl") && (observed_owner.empty() || observed_owner == owner)) {
    AclTarget target{names.grant, 'c', owner, "", QuoteIdent(d.name())};
    if (auto sql = AclSql(target, d.Attr("acl"), o.Attr("acl"))) {
      out.insert(out.end(), sql->begin(), sql->end());
    }
  }
  return result;
}

}  // namespace pgtwin::ddl
