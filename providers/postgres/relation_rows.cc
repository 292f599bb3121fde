// Tables, their columns, constraints, indexes and triggers; views; sequences.
#include <utility>

#include "providers/postgres/database_reader.h"
#include "providers/postgres/query_runner.h"
#include "providers/postgres/sequence_options.h"

namespace pgtwin {
namespace {

std::string ReplicaIdentity(const std::string& code, const std::string& index) {
  if (code == "n") return "nothing";
  if (code == "f") return "full";
  if (code == "i") return "index " + index;
  return "";  // d: the primary key, the default
}

std::string IdentityKind(const std::string& code) {
  if (code == "a") return "always";
  if (code == "d") return "by default";
  return "";
}

}  // namespace

void DatabaseReader::AddSequences(const pqxx::result& rows) {
  const auto oid = rows.column_number("oid"), schema = rows.column_number("relnamespace"),
             name = rows.column_number("relname"), owner = rows.column_number("owner"),
             type = rows.column_number("data_type"), start = rows.column_number("seqstart"),
             increment = rows.column_number("seqincrement"), min = rows.column_number("seqmin"),
             max = rows.column_number("seqmax"), cache = rows.column_number("seqcache"),
             cycle = rows.column_number("seqcycle"), acl = rows.column_number("acl"),
             owned_by = rows.column_number("owned_by");
  for (const pqxx::row& row : rows) {
    Object* schema_node = SchemaNode(Oid(row[schema]));
    if (schema_node == nullptr || IsExtensionMember(kPgClass, Oid(row[oid]))) continue;
    Object& sequence = schema_node->AddChild(ObjectKind::kSequence, Text(row[name]));
    sequence.SetAttr("owner", Text(row[owner]));
    SequenceParams params{Text(row[type]), Int(row[start]), Int(row[increment]), Int(row[min]),
                          Int(row[max]),   Int(row[cache]), Flag(row[cycle])};
    SetSequenceAttrs(params, sequence);
    sequence.SetAttr("owned_by", Text(row[owned_by]));
    sequence.SetAttr("acl", Text(row[acl]));
    sequence.SetAttr("comment", TakeComment(kPgClass, Oid(row[oid])));
  }
}

void DatabaseReader::AddTables(const pqxx::result& rows) {
  const auto oid = rows.column_number("oid"), schema = rows.column_number("relnamespace"),
             name = rows.column_number("relname"), owner = rows.column_number("owner"),
             persistence = rows.column_number("relpersistence"),
             is_partition = rows.column_number("relispartition"),
             partition_by = rows.column_number("partition_by"),
             bound = rows.column_number("partition_bound"), parents = rows.column_number("parents"),
             options = rows.column_number("options"),
             replident = rows.column_number("relreplident"),
             replica_index = rows.column_number("replica_index"),
             rls = rows.column_number("relrowsecurity"),
             force_rls = rows.column_number("relforcerowsecurity"), acl = rows.column_number("acl");
  relations_.reserve(relations_.size() + rows.size());
  for (const pqxx::row& row : rows) {
    if (IsExtensionMember(kPgClass, Oid(row[oid]))) continue;
    Relation relation{Oid(row[schema]), Object(ObjectKind::kTable, Text(row[name])), {}};
    Object& table = relation.node;
    table.SetAttr("owner", Text(row[owner]));
    table.SetAttr("persistence", Text(row[persistence]) == "u" ? "unlogged" : "");
    table.SetAttr("partition_by", Text(row[partition_by]));
    table.SetAttr(Flag(row[is_partition]) ? "partition_of" : "inherits", Text(row[parents]));
    table.SetAttr("partition_bound", Text(row[bound]));
    table.SetAttr("options", Text(row[options]));
    table.SetAttr("replica_identity",
                  ReplicaIdentity(Text(row[replident]), Text(row[replica_index])));
    table.SetFlag("row_security", Flag(row[rls]));
    table.SetFlag("force_row_security", Flag(row[force_rls]));
    table.SetAttr("acl", Text(row[acl]));
    table.SetAttr("comment", TakeComment(kPgClass, Oid(row[oid])));
    relations_.emplace(Oid(row[oid]), std::move(relation));
  }
}

void DatabaseReader::AddColumns(const pqxx::result& rows) {
  const auto relid = rows.column_number("attrelid"), attnum = rows.column_number("attnum"),
             name = rows.column_number("attname"), type = rows.column_number("type"),
             not_null = rows.column_number("attnotnull"),
             expression = rows.column_number("expression"),
             generated = rows.column_number("attgenerated"),
             identity = rows.column_number("attidentity"),
             identity_sequence = rows.column_number("identity_sequence"),
             collation = rows.column_number("collation"), acl = rows.column_number("acl");
  uint32_t current_oid = 0;
  Relation* current = nullptr;
  for (const pqxx::row& row : rows) {
    // Rows mostly come grouped by relation: look it up only when it changes.
    if (uint32_t oid = Oid(row[relid]); oid != current_oid || current == nullptr) {
      current_oid = oid;
      auto it = relations_.find(oid);
      current = it == relations_.end() ? nullptr : &it->second;
    }
    if (current == nullptr) continue;
    int column_number = static_cast<int>(Int(row[attnum]));
    if (current->node.kind() != ObjectKind::kTable) {
      // A view's columns are its definition's; only their ACLs and comments are its own.
      std::string column_name = Text(row[name]);
      current->node.SetAttr("column_acl." + column_name, Text(row[acl]));
      current->node.SetAttr("column_comment." + column_name,
                            TakeComment(kPgClass, current_oid, column_number));
      continue;
    }
    current->columns.emplace_back(column_number, current->node.children().size());
    Object& column = current->node.AddChild(ObjectKind::kColumn, Text(row[name]));
    column.SetAttr("type", Text(row[type]));
    column.SetFlag("not_null", Flag(row[not_null]));
    bool is_generated = !row[generated].is_null() && row[generated].size() > 0;
    column.SetAttr(is_generated ? "generated" : "default", Text(row[expression]));
    std::string identity_kind = IdentityKind(Text(row[identity]));
    column.SetAttr("identity", identity_kind);
    if (!identity_kind.empty()) {
      std::vector<int64_t> p = IntArray(row[identity_sequence]);
      if (p.size() == 7) {
        SequenceParams params{
            SequenceTypeName(static_cast<uint32_t>(p[0])), p[1], p[2], p[3], p[4], p[5], p[6] != 0};
        column.SetAttr("identity_options", IdentityOptions(params));
      }
    }
    column.SetAttr("collation", Text(row[collation]));
    column.SetAttr("acl", Text(row[acl]));
    column.SetAttr("comment", TakeComment(kPgClass, current_oid, column_number));
  }
}

void DatabaseReader::AddConstraints(const pqxx::result& rows) {
  const auto oid = rows.column_number("oid"), relid = rows.column_number("conrelid"),
             name = rows.column_number("conname"), type = rows.column_number("contype"),
             definition = rows.column_number("definition"),
             deferrable = rows.column_number("condeferrable"),
             deferred = rows.column_number("condeferred"),
             validated = rows.column_number("convalidated");
  for (const pqxx::row& row : rows) {
    Object* table = RelationNode(Oid(row[relid]));
    if (table == nullptr) continue;
    Object& constraint = table->AddChild(ObjectKind::kConstraint, Text(row[name]));
    constraint.SetAttr("type", Text(row[type]));
    constraint.SetAttr("definition", Text(row[definition]));
    constraint.SetFlag("deferrable", Flag(row[deferrable]));
    constraint.SetFlag("deferred", Flag(row[deferred]));
    constraint.SetFlag("not_valid", !Flag(row[validated]));
    constraint.SetAttr("comment", TakeComment(kPgConstraint, Oid(row[oid])));
  }
}

void DatabaseReader::AddIndexes(const pqxx::result& rows) {
  const auto oid = rows.column_number("indexrelid"), relid = rows.column_number("indrelid"),
             name = rows.column_number("relname"), definition = rows.column_number("definition"),
             clustered = rows.column_number("indisclustered");
  for (const pqxx::row& row : rows) {
    Object* table = RelationNode(Oid(row[relid]));
    if (table == nullptr) continue;
    Object& index = table->AddChild(ObjectKind::kIndex, Text(row[name]));
    index.SetAttr("definition", Text(row[definition]));
    index.SetFlag("clustered", Flag(row[clustered]));
    index.SetAttr("comment", TakeComment(kPgClass, Oid(row[oid])));
  }
}

void DatabaseReader::AddTriggers(const pqxx::result& rows) {
  const auto oid = rows.column_number("oid"), relid = rows.column_number("tgrelid"),
             name = rows.column_number("tgname"), definition = rows.column_number("definition"),
             enabled = rows.column_number("tgenabled");
  for (const pqxx::row& row : rows) {
    Object* relation = RelationNode(Oid(row[relid]));
    if (relation == nullptr) continue;
    Object& trigger = relation->AddChild(ObjectKind::kTrigger, Text(row[name]));
    trigger.SetAttr("definition", Text(row[definition]));
    std::string state = Text(row[enabled]);
    trigger.SetAttr("enabled", state == "O" ? "" : state);
    trigger.SetAttr("comment", TakeComment(kPgTrigger, Oid(row[oid])));
  }
}

void DatabaseReader::AddViews(const pqxx::result& rows) {
  const auto oid = rows.column_number("oid"), schema = rows.column_number("relnamespace"),
             name = rows.column_number("relname"), kind = rows.column_number("relkind"),
             owner = rows.column_number("owner"), definition = rows.column_number("definition"),
             options = rows.column_number("options"), acl = rows.column_number("acl");
  for (const pqxx::row& row : rows) {
    if (IsExtensionMember(kPgClass, Oid(row[oid]))) continue;
    ObjectKind view_kind =
        Text(row[kind]) == "m" ? ObjectKind::kMaterializedView : ObjectKind::kView;
    Relation relation{Oid(row[schema]), Object(view_kind, Text(row[name])), {}};
    Object& view = relation.node;
    view.SetAttr("owner", Text(row[owner]));
    view.SetAttr("definition", Text(row[definition]));
    view.SetAttr("options", Text(row[options]));
    view.SetAttr("acl", Text(row[acl]));
    view.SetAttr("comment", TakeComment(kPgClass, Oid(row[oid])));
    relations_.emplace(Oid(row[oid]), std::move(relation));
  }
}

}  // namespace pgtwin
