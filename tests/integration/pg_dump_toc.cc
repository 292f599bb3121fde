#include "tests/integration/pg_dump_toc.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <regex>
#include <sstream>
#include <string_view>

namespace pgtwin::testing {
namespace {

// One TOC entry: its header fields and the SQL text below it.
struct TocEntry {
  std::string name;
  std::string type;
  std::string schema;
  std::string owner;
  std::string body;
};

std::vector<TocEntry> SplitEntries(const std::string& sql) {
  static const std::regex kHeader(
      R"(^-- (?:Data for )?Name: (.*); Type: ([A-Z ]+); Schema: (.*); Owner: (.*)$)");
  std::vector<TocEntry> entries;
  std::istringstream in(sql);
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_match(line, match, kHeader)) {
      entries.push_back({match[1], match[2], match[3], match[4], ""});
    } else if (!entries.empty() && line.rfind("--", 0) != 0) {
      entries.back().body += line + "\n";
    }
  }
  return entries;
}

// Reads one SQL identifier (plain or double-quoted) at the start of `in`, advancing past it.
std::optional<std::string> ReadIdentifier(std::string_view& in) {
  std::string out;
  if (!in.empty() && in[0] == '"') {
    size_t i = 1;
    while (i < in.size()) {
      if (in[i] == '"') {
        if (i + 1 < in.size() && in[i + 1] == '"') {
          out += '"';
          i += 2;
          continue;
        }
        in.remove_prefix(i + 1);
        return out;
      }
      out += in[i++];
    }
    return std::nullopt;
  }
  size_t i = 0;
  while (i < in.size() && (std::isalnum(static_cast<unsigned char>(in[i])) || in[i] == '_' ||
                           in[i] == '$' || static_cast<unsigned char>(in[i]) >= 0x80)) {
    out += in[i++];
  }
  if (out.empty()) return std::nullopt;
  in.remove_prefix(i);
  return out;
}

// Reads a possibly schema-qualified name ("s.t", "public.\"user\""); returns its parts.
std::vector<std::string> ReadQualifiedName(std::string_view& in) {
  std::vector<std::string> parts;
  while (auto part = ReadIdentifier(in)) {
    parts.push_back(*part);
    if (in.empty() || in[0] != '.') break;
    in.remove_prefix(1);
  }
  return parts;
}

// The qualified name that follows `marker` in `text`, e.g. the table after " ON ".
std::vector<std::string> QualifiedNameAfter(const std::string& text, std::string_view marker) {
  size_t at = text.find(marker);
  if (at == std::string::npos) return {};
  std::string_view rest(text);
  rest.remove_prefix(at + marker.size());
  if (rest.rfind("ONLY ", 0) == 0) rest.remove_prefix(5);
  return ReadQualifiedName(rest);
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

// The identifier that follows `marker` in `text` ("ADD CONSTRAINT x" -> "x").
std::optional<std::string> IdentifierAfter(const std::string& text, std::string_view marker) {
  size_t at = text.find(marker);
  if (at == std::string::npos) return std::nullopt;
  std::string_view rest(text);
  rest.remove_prefix(at + marker.size());
  return ReadIdentifier(rest);
}

// The signature of `ALTER FUNCTION s.f(identity args) OWNER TO ...`: "f(identity args)".
std::optional<std::string> OwnerStatementSignature(const std::string& body,
                                                   const std::string& keyword) {
  std::string marker = "ALTER " + keyword + " ";
  size_t at = body.find(marker);
  if (at == std::string::npos) return std::nullopt;
  size_t end = body.find(" OWNER TO ", at);
  if (end == std::string::npos) return std::nullopt;
  std::string_view rest(body);
  rest = rest.substr(at + marker.size(), end - at - marker.size());
  // Skip "schema." (the schema is quoted when it needs to be).
  std::string_view copy = rest;
  auto schema = ReadIdentifier(copy);
  if (!schema || copy.empty() || copy[0] != '.') return std::nullopt;
  copy.remove_prefix(1);
  auto name = ReadIdentifier(copy);
  if (!name) return std::nullopt;
  return *name + std::string(copy);
}

struct Column {
  std::string name;
  bool not_null = false;
  bool has_default = false;
};

// Parses a pg_dump CREATE TABLE body: the column list (one 4-space indented line per column or
// CONSTRAINT, between "CREATE ... (" and ")") and the INHERITS clause on a line of its own.
void ParseTableBody(const std::string& body, std::vector<Column>* columns,
                    std::vector<std::string>* checks, std::vector<std::string>* inherits) {
  std::istringstream in(body);
  std::string line;
  enum { kBefore, kColumns, kAfter } state = kBefore;
  while (std::getline(in, line)) {
    if (state == kBefore) {
      if (line.rfind("CREATE ", 0) == 0 && !line.empty() && line.back() == '(') state = kColumns;
      continue;
    }
    if (state == kColumns && line.rfind("    ", 0) != 0) state = kAfter;
    if (state == kAfter) {
      if (line.rfind("INHERITS (", 0) != 0) continue;
      std::string_view rest(line);
      rest.remove_prefix(10);
      while (true) {
        std::vector<std::string> parent = ReadQualifiedName(rest);
        if (parent.empty()) break;
        inherits->push_back(Join(parent));
        if (rest.rfind(", ", 0) != 0) break;
        rest.remove_prefix(2);
      }
      continue;
    }
    std::string_view rest(line);
    rest.remove_prefix(4);
    if (!rest.empty() && rest.back() == ',') rest.remove_suffix(1);
    if (rest.rfind("CONSTRAINT ", 0) == 0) {
      rest.remove_prefix(11);
      if (auto name = ReadIdentifier(rest)) checks->push_back(*name);
      continue;
    }
    auto name = ReadIdentifier(rest);
    if (!name) continue;
    Column column{*name};
    // pg_dump writes "name type [DEFAULT x | GENERATED ...] [NOT NULL] [COLLATE c]".
    std::string_view attrs = rest;
    if (size_t collate = attrs.rfind(" COLLATE "); collate != std::string_view::npos) {
      attrs = attrs.substr(0, collate);
    }
    column.not_null = attrs.size() >= 9 && attrs.substr(attrs.size() - 9) == " NOT NULL";
    column.has_default = rest.find(" DEFAULT ") != std::string_view::npos;
    columns->push_back(column);
  }
}

// Domain CHECK constraints written inside CREATE DOMAIN ("\tCONSTRAINT name CHECK (...)").
std::set<std::string> DomainBodyConstraints(const std::string& body) {
  std::set<std::string> out;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    std::string_view rest(line);
    while (!rest.empty() && (rest[0] == '\t' || rest[0] == ' ')) rest.remove_prefix(1);
    if (rest.rfind("CONSTRAINT ", 0) != 0) continue;
    rest.remove_prefix(11);
    if (auto name = ReadIdentifier(rest)) out.insert(*name);
  }
  return out;
}

// Maps the tag of a COMMENT or ACL entry ("TABLE t", "COLUMN t.c", "TRIGGER x ON t", ...) to a
// key; nullopt when pgtwin has no object for it.
struct TagKeyResolver {
  const std::map<std::string, std::string>* relation_kind;  // "s.rel" -> kind word
  const std::map<std::string, std::string>* index_table;    // "s.index" -> "s.table"

  // The tag names objects as SQL would ("COLUMN \"Order Lines\".\"user\"", "FUNCTION f(x
  // text)"), quoting identifiers where needed.
  std::optional<std::string> Resolve(const std::string& tag, const std::string& schema) const {
    static const std::pair<std::string_view, std::string_view> kSimple[] = {
        {"SCHEMA ", "schema"},
        {"EXTENSION ", "extension"},
        {"MATERIALIZED VIEW ", "materialized_view"},
        {"VIEW ", "view"},
        {"SEQUENCE ", "sequence"},
        {"TYPE ", "type"},
        {"DOMAIN ", "type"},
        {"FUNCTION ", "function"},
        {"PROCEDURE ", "procedure"},
        {"AGGREGATE ", "aggregate"},
        {"TABLE ", ""},
        {"INDEX ", ""}};
    const std::string s = schema + ".";
    for (const auto& [prefix, kind] : kSimple) {
      if (tag.rfind(prefix, 0) != 0) continue;
      std::string_view rest(tag);
      rest.remove_prefix(prefix.size());
      std::optional<std::string> name = ReadIdentifier(rest);
      if (!name) return std::nullopt;
      if (kind == "schema" || kind == "extension") return std::string(kind) + ":" + *name;
      if (prefix == "TABLE ") {  // ACL entries say TABLE for views and materialized views too
        auto it = relation_kind->find(s + *name);
        return it == relation_kind->end() ? std::nullopt
                                          : std::optional(it->second + ":" + s + *name);
      }
      if (prefix == "INDEX ") {
        auto it = index_table->find(s + *name);
        if (it == index_table->end()) return std::nullopt;
        return "index:" + it->second + "." + *name;
      }
      return std::string(kind) + ":" + s + *name + std::string(rest);  // rest: "(args)"
    }
    std::string_view rest(tag);
    if (tag.rfind("COLUMN ", 0) == 0) {
      rest.remove_prefix(7);
      std::vector<std::string> parts = ReadQualifiedName(rest);
      if (parts.size() != 2) return std::nullopt;
      auto it = relation_kind->find(s + parts[0]);
      if (it == relation_kind->end()) return std::nullopt;
      if (it->second == "table") return "column:" + s + parts[0] + "." + parts[1];
      // The columns of views and the attributes of composite types are parts of their owner.
      std::string part = it->second == "type" ? "\nattribute." : "\ncolumn.";
      return it->second + ":" + s + parts[0] + part + parts[1];
    }
    for (std::string_view prefix : {"CONSTRAINT ", "TRIGGER "}) {
      if (tag.rfind(prefix, 0) != 0) continue;
      rest.remove_prefix(prefix.size());
      std::optional<std::string> name = ReadIdentifier(rest);
      if (!name || rest.rfind(" ON ", 0) != 0) return std::nullopt;
      rest.remove_prefix(4);
      if (rest.rfind("DOMAIN ", 0) == 0) {
        rest.remove_prefix(7);
        std::optional<std::string> domain = ReadIdentifier(rest);
        if (!domain || prefix != "CONSTRAINT ") return std::nullopt;
        return "type:" + s + *domain + "\nconstraint." + *name;
      }
      std::optional<std::string> table = ReadIdentifier(rest);
      if (!table) return std::nullopt;
      std::string word = prefix == "TRIGGER " ? "trigger" : "constraint";
      return word + ":" + s + *table + "." + *name;
    }
    return std::nullopt;
  }
};

}  // namespace

PgDumpObjects ParsePgDumpSchema(const std::string& sql) {
  PgDumpObjects out;
  std::vector<TocEntry> entries = SplitEntries(sql);
  auto add = [&](const std::string& kind, const std::string& name) {
    out.names[kind].insert(name);
    return kind + ":" + name;
  };

  std::map<std::string, std::string> relation_kind;          // "s.rel" -> kind word
  std::map<std::string, std::string> index_table;            // "s.index" -> "s.table"
  std::set<std::string> attached_indexes;                    // "s.index" of partitions' indexes
  std::map<std::string, std::vector<Column>> table_columns;  // "s.t" -> columns
  std::map<std::string, std::vector<std::string>> table_parents;
  // Constraints backed by an index: key -> "s.index", to drop those a partition inherits.
  std::map<std::string, std::string> index_constraints;
  std::vector<const TocEntry*> annotations;  // COMMENT and ACL entries, resolved at the end
  std::map<std::string, std::string> partition_parent;           // "s.partition" -> "s.parent"
  std::map<std::string, std::vector<std::string>> table_checks;  // "s.t" -> inline CHECKs

  // Created in every new database by initdb's templates, so pg_dump never emits them.
  out.names["schema"].insert("public");
  out.names["extension"].insert("plpgsql");
  for (const TocEntry& e : entries) {
    const std::string s = e.schema + ".";
    const bool owned = !e.owner.empty() && e.owner != "-";
    if (e.type == "SCHEMA") {
      std::string key = add("schema", e.name);
      if (owned) out.owners[key] = e.owner;
    } else if (e.type == "EXTENSION") {
      add("extension", e.name);
    } else if (e.type == "TYPE" || e.type == "DOMAIN") {
      bool modeled = e.type == "DOMAIN" || e.body.find(" AS ENUM (") != std::string::npos ||
                     e.body.find(" AS (") != std::string::npos ||
                     e.body.find(" AS RANGE (") != std::string::npos;
      if (!modeled) {
        out.unmodeled.push_back("base TYPE: " + s + e.name);
        continue;
      }
      std::string key = add("type", s + e.name);
      if (owned) out.owners[key] = e.owner;
      if (e.body.find(" AS (") != std::string::npos) relation_kind[s + e.name] = "type";
      if (e.type == "DOMAIN") {
        for (const std::string& c : DomainBodyConstraints(e.body)) {
          out.domain_constraints[key].insert(c);
        }
      }
    } else if (e.type == "SEQUENCE") {
      if (e.body.find(" ADD GENERATED ") != std::string::npos) continue;  // identity column
      std::string key = add("sequence", s + e.name);
      if (owned) out.owners[key] = e.owner;
    } else if (e.type == "TABLE") {
      std::string key = add("table", s + e.name);
      relation_kind[s + e.name] = "table";
      if (owned) out.owners[key] = e.owner;
      ParseTableBody(e.body, &table_columns[s + e.name], &table_checks[s + e.name],
                     &table_parents[s + e.name]);
    } else if (e.type == "VIEW" || e.type == "MATERIALIZED VIEW") {
      std::string kind = e.type == "VIEW" ? "view" : "materialized_view";
      std::string key = add(kind, s + e.name);
      relation_kind[s + e.name] = kind;
      if (owned) out.owners[key] = e.owner;
    } else if (e.type == "FUNCTION" || e.type == "PROCEDURE" || e.type == "AGGREGATE") {
      std::string kind = e.type == "FUNCTION"    ? "function"
                         : e.type == "PROCEDURE" ? "procedure"
                                                 : "aggregate";
      std::optional<std::string> signature = OwnerStatementSignature(e.body, e.type);
      std::string key = add(kind, s + signature.value_or(e.name));
      if (owned) out.owners[key] = e.owner;
    } else if (e.type == "CONSTRAINT" || e.type == "FK CONSTRAINT" ||
               e.type == "CHECK CONSTRAINT") {
      // "ALTER TABLE [ONLY] s.t ADD CONSTRAINT c ..." or "ALTER DOMAIN s.d ADD CONSTRAINT c".
      std::optional<std::string> constraint = IdentifierAfter(e.body, "ADD CONSTRAINT ");
      if (!constraint) {
        out.unmodeled.push_back("unparsed " + e.type + ": " + s + e.name);
        continue;
      }
      if (e.body.find("ALTER DOMAIN ") != std::string::npos) {
        out.domain_constraints["type:" + Join(QualifiedNameAfter(e.body, "ALTER DOMAIN "))].insert(
            *constraint);
        continue;
      }
      std::string table = Join(QualifiedNameAfter(e.body, "ALTER TABLE "));
      std::string key = add("constraint", table + "." + *constraint);
      if (e.type == "CONSTRAINT") index_constraints[key] = s + *constraint;
    } else if (e.type == "INDEX") {
      std::vector<std::string> table = QualifiedNameAfter(e.body, " ON ");
      index_table[s + e.name] = Join(table);
      add("index", Join(table) + "." + e.name);
    } else if (e.type == "INDEX ATTACH") {
      attached_indexes.insert(s + e.name);
    } else if (e.type == "TRIGGER") {
      // The tag is "table trigger" with raw names; the statement names the trigger.
      std::optional<std::string> trigger = IdentifierAfter(e.body, "TRIGGER ");
      if (!trigger || e.name.size() <= trigger->size() ||
          e.name.compare(e.name.size() - trigger->size(), trigger->size(), *trigger) != 0) {
        out.unmodeled.push_back("unparsed TRIGGER: " + s + e.name);
        continue;
      }
      add("trigger", s + e.name.substr(0, e.name.size() - trigger->size() - 1) + "." + *trigger);
    } else if (e.type == "DEFAULT") {
      // "ALTER TABLE ONLY s.t ALTER COLUMN c SET DEFAULT ...".
      std::string table = Join(QualifiedNameAfter(e.body, "ALTER TABLE "));
      std::optional<std::string> column = IdentifierAfter(e.body, " ALTER COLUMN ");
      out.with_default.insert("column:" + table + "." + column.value_or("?"));
    } else if (e.type == "COMMENT" || e.type == "ACL") {
      annotations.push_back(&e);
    } else if (e.type == "TABLE ATTACH") {
      std::vector<std::string> parent = QualifiedNameAfter(e.body, "ALTER TABLE ");
      std::vector<std::string> partition = QualifiedNameAfter(e.body, " ATTACH PARTITION ");
      partition_parent[Join(partition)] = Join(parent);
    } else if (e.type == "SEQUENCE OWNED BY") {
      // An attribute of a sequence listed elsewhere.
    } else {
      out.unmodeled.push_back(e.type + ": " + s + e.name);
    }
  }

  // pg_dump writes a partition's inherited CHECK constraints into its CREATE TABLE so that
  // ATTACH PARTITION finds them; they are the parent's.
  for (const auto& [table, checks] : table_checks) {
    auto parent = partition_parent.find(table);
    for (const std::string& c : checks) {
      if (parent != partition_parent.end()) {
        const std::vector<std::string>& parent_checks = table_checks[parent->second];
        if (std::find(parent_checks.begin(), parent_checks.end(), c) != parent_checks.end()) {
          continue;
        }
      }
      add("constraint", table + "." + c);
    }
  }

  // Indexes and index-backed constraints a partition inherits belong to its parent.
  for (const std::string& index : attached_indexes) {
    auto it = index_table.find(index);
    if (it != index_table.end()) {
      out.names["index"].erase(it->second + index.substr(index.find('.')));
    }
  }
  for (const auto& [key, index] : index_constraints) {
    if (attached_indexes.count(index)) out.names["constraint"].erase(key.substr(11));
  }
  for (auto it = out.names.begin(); it != out.names.end();) {
    it = it->second.empty() ? out.names.erase(it) : std::next(it);
  }

  // Columns, with the columns an INHERITS child takes from its parents.
  std::function<std::vector<Column>(const std::string&, int)> all_columns =
      [&](const std::string& table, int depth) {
        std::vector<Column> columns;
        if (depth > 20) return columns;
        for (const std::string& parent : table_parents[table]) {
          for (const Column& c : all_columns(parent, depth + 1)) columns.push_back(c);
        }
        for (const Column& c : table_columns[table]) columns.push_back(c);
        return columns;
      };
  for (const auto& [table, unused] : table_columns) {
    for (const Column& c : all_columns(table, 0)) {
      std::string key = add("column", table + "." + c.name);
      if (c.not_null) out.not_null.insert(key);
      if (c.has_default) out.with_default.insert(key);
    }
  }

  TagKeyResolver resolver{&relation_kind, &index_table};
  for (const TocEntry* e : annotations) {
    std::optional<std::string> key = resolver.Resolve(e->name, e->schema);
    if (!key) {
      out.unmodeled.push_back(e->type + ": " + e->name);
      continue;
    }
    // "view:s.v\ncolumn.c" names a part: its comment or ACL is the view's attribute
    // column_comment.c or column_acl.c ("attribute_comment.a" of a type, ...).
    std::string what = e->type == "COMMENT" ? "_comment." : "_acl.";
    if (size_t newline = key->find('\n'); newline != std::string::npos) {
      size_t dot = key->find('.', newline);
      *key = key->substr(0, newline) + " " + key->substr(newline + 1, dot - newline - 1) + what +
             key->substr(dot + 1);
    }
    (e->type == "COMMENT" ? out.commented : out.with_acl).insert(*key);
  }
  return out;
}

}  // namespace pgtwin::testing
