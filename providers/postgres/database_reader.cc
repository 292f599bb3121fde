#include "providers/postgres/database_reader.h"

#include <algorithm>
#include <utility>

#include "providers/postgres/query_runner.h"

namespace pgtwin {

std::string DatabaseReader::TakeComment(uint32_t catalog, uint32_t oid, int32_t subid) {
  auto it = comments_.find(Address(catalog, oid));
  if (it == comments_.end()) return "";
  for (Comment& comment : it->second) {
    if (comment.subid == subid) return std::move(comment.text);
  }
  return "";
}

std::vector<std::pair<std::string, std::string>> DatabaseReader::TakePartComments(uint32_t catalog,
                                                                                  uint32_t oid) {
  std::vector<std::pair<std::string, std::string>> parts;
  auto it = comments_.find(Address(catalog, oid));
  if (it == comments_.end()) return parts;
  for (Comment& comment : it->second) {
    if (comment.subid > 0 && !comment.text.empty()) {
      parts.emplace_back(comment.subname, std::move(comment.text));
    }
  }
  return parts;
}

Object* DatabaseReader::SchemaNode(uint32_t oid) {
  auto it = schemas_.find(oid);
  return it == schemas_.end() ? nullptr : &it->second.node;
}

Object* DatabaseReader::RelationNode(uint32_t oid) {
  auto it = relations_.find(oid);
  return it == relations_.end() ? nullptr : &it->second.node;
}

void DatabaseReader::AddComments(const pqxx::result& rows) {
  comments_.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    comments_[Address(Oid(row[0]), Oid(row[1]))].push_back(
        Comment{static_cast<int32_t>(Int(row[2])), Text(row[4]), Text(row[3])});
  }
}

void DatabaseReader::AddExtensionMembers(const pqxx::result& rows) {
  extension_members_.reserve(rows.size());
  for (const pqxx::row& row : rows) extension_members_.insert(Address(Oid(row[0]), Oid(row[1])));
}

void DatabaseReader::AddExtensions(const pqxx::result& rows, Object& database) {
  const auto oid = rows.column_number("oid"), name = rows.column_number("extname"),
             version = rows.column_number("extversion"), schema = rows.column_number("nspname"),
             required = rows.column_number("requires");
  for (const pqxx::row& row : rows) {
    Object& extension = database.AddChild(ObjectKind::kExtension, Text(row[name]));
    extension.SetAttr("version", Text(row[version]));
    extension.SetAttr("schema", Text(row[schema]));
    extension.SetAttr("requires", Text(row[required]));
    extension.SetAttr("comment", TakeComment(kPgExtension, Oid(row[oid])));
  }
}

void DatabaseReader::AddSchemas(const pqxx::result& rows) {
  const auto oid = rows.column_number("oid"), name = rows.column_number("nspname"),
             owner = rows.column_number("owner"), acl = rows.column_number("acl");
  for (const pqxx::row& row : rows) {
    uint32_t schema_oid = Oid(row[oid]);
    Schema schema{Object(ObjectKind::kSchema, Text(row[name])),
                  IsExtensionMember(kPgNamespace, schema_oid)};
    schema.node.SetAttr("owner", Text(row[owner]));
    schema.node.SetAttr("acl", Text(row[acl]));
    schema.node.SetAttr("comment", TakeComment(kPgNamespace, schema_oid));
    schemas_.emplace(schema_oid, std::move(schema));
  }
}

void DatabaseReader::Finish(Object& database) {
  for (auto& [oid, type] : types_) {
    if (Object* schema = SchemaNode(type.schema)) schema->AddChild(std::move(type.node));
  }
  for (auto& [oid, relation] : relations_) {
    // Positions count the columns that exist, in attnum order (dropped columns leave gaps in
    // attnum that a freshly created twin would not have).
    std::sort(relation.columns.begin(), relation.columns.end());
    std::vector<Object>& children = relation.node.mutable_children();
    for (size_t i = 0; i < relation.columns.size(); ++i) {
      children[relation.columns[i].second].SetAttr("position", std::to_string(i + 1));
    }
    if (Object* schema = SchemaNode(relation.schema)) schema->AddChild(std::move(relation.node));
  }
  // A schema an extension created is the extension's, unless the user put objects in it.
  for (auto& [oid, schema] : schemas_) {
    if (!schema.extension_member || !schema.node.children().empty()) {
      database.AddChild(std::move(schema.node));
    }
  }
  types_.clear();
  relations_.clear();
  schemas_.clear();
}

}  // namespace pgtwin
