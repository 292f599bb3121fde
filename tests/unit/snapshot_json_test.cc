#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/object.h"
#include "providers/snapshot/json_codec.h"

namespace pgtwin {
namespace {

Object SampleCluster() {
  Object cluster(ObjectKind::kCluster, "");
  cluster.SetAttr("major_version", "15");
  Object& role = cluster.AddChild(ObjectKind::kRole, "app");
  role.SetFlag("login", true);
  Object& db = cluster.AddChild(ObjectKind::kDatabase, "shop");
  db.SetAttr("owner", "app");
  db.SetAttr("encoding", "UTF8");
  Object& schema = db.AddChild(ObjectKind::kSchema, "billing");
  schema.SetAttr("comment", "money \"quoted\", üñí, tab\there\nnew line");
  Object& table = schema.AddChild(ObjectKind::kTable, "invoices");
  table.AddChild(ObjectKind::kColumn, "id").SetAttr("position", "1");
  table.AddChild(ObjectKind::kColumn, "amount").SetAttr("position", "2");
  Object& f = schema.AddChild(ObjectKind::kFunction, "total(integer, text)");
  f.SetAttr("body", "\nBEGIN\n  RETURN 1;\nEND\n");
  cluster.Normalize();
  return cluster;
}

std::string ParseError(const std::string& text) {
  StatusOr<JsonDocument> doc = ParseObjectJson(text, "snap/db.json");
  EXPECT_FALSE(doc.ok()) << "parsed: " << text;
  if (doc.ok()) return "";
  EXPECT_EQ(doc.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(doc.status().message().find('\n'), std::string::npos) << "message is one line";
  return doc.status().message();
}

TEST(SnapshotJsonTest, WritesTheGenericTreePrettyPrinted) {
  Object table(ObjectKind::kTable, "t");
  table.SetAttr("owner", "app");
  table.AddChild(ObjectKind::kColumn, "id").SetAttr("position", "1");
  EXPECT_EQ(ObjectToJson(table),
            "{\n"
            "  \"kind\": \"table\",\n"
            "  \"name\": \"t\",\n"
            "  \"attrs\": {\n"
            "    \"owner\": \"app\"\n"
            "  },\n"
            "  \"children\": [\n"
            "    {\n"
            "      \"kind\": \"column\",\n"
            "      \"name\": \"id\",\n"
            "      \"attrs\": {\n"
            "        \"position\": \"1\"\n"
            "      }\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

TEST(SnapshotJsonTest, WritesHeaderFieldsAroundTheObject) {
  JsonFileHeader header;
  header.format = "pgtwin-snapshot";
  header.version = 1;
  header.all_databases = false;
  header.databases = std::vector<std::string>{"a", "b"};
  EXPECT_EQ(ObjectToJson(Object(ObjectKind::kCluster, ""), header),
            "{\n  \"format\": \"pgtwin-snapshot\",\n  \"version\": 1,\n"
            "  \"all_databases\": false,\n  \"kind\": \"cluster\",\n  \"name\": \"\",\n"
            "  \"databases\": [\n    \"a\",\n    \"b\"\n  ]\n}\n");
}

TEST(SnapshotJsonTest, RoundTripIsExactAndByteIdentical) {
  Object cluster = SampleCluster();
  std::string text = ObjectToJson(cluster);
  StatusOr<JsonDocument> doc = ParseObjectJson(text, "x.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->object, cluster);
  EXPECT_EQ(ObjectToJson(doc->object), text);
}

TEST(SnapshotJsonTest, ReadsHeaderFields) {
  JsonFileHeader header;
  header.format = "pgtwin-snapshot";
  header.version = 7;
  header.all_databases = true;
  header.databases = std::vector<std::string>{"x"};
  StatusOr<JsonDocument> doc =
      ParseObjectJson(ObjectToJson(Object(ObjectKind::kCluster, ""), header), "c.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->header.format, "pgtwin-snapshot");
  EXPECT_EQ(doc->header.version, 7);
  EXPECT_EQ(doc->header.all_databases, true);
  EXPECT_EQ(doc->header.databases, std::vector<std::string>{"x"});
}

TEST(SnapshotJsonTest, AcceptsAnyFieldOrderAndNormalizes) {
  StatusOr<JsonDocument> doc = ParseObjectJson(
      R"({"children": [{"name": "b", "kind": "column"}, {"kind": "column", "name": "a"}],
          "attrs": {"z": "1", "a": "2", "empty": ""}, "name": "t", "kind": "table"})",
      "t.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  Object expected(ObjectKind::kTable, "t");
  expected.SetAttr("a", "2");
  expected.SetAttr("z", "1");
  expected.AddChild(ObjectKind::kColumn, "a");
  expected.AddChild(ObjectKind::kColumn, "b");
  EXPECT_EQ(doc->object, expected);
}

TEST(SnapshotJsonTest, SyntaxErrorNamesFileLineAndColumn) {
  std::string message = ParseError("{\n  \"kind\": \"table\",\n  \"name\" \"t\"\n}\n");
  EXPECT_EQ(message.rfind("snap/db.json:3:12: syntax error", 0), 0u) << message;
}

TEST(SnapshotJsonTest, TruncatedFileIsASyntaxErrorAtItsEnd) {
  std::string text = ObjectToJson(SampleCluster());
  std::string truncated = text.substr(0, text.size() / 2);
  size_t lines = 1 + std::count(truncated.begin(), truncated.end(), '\n');
  size_t column = truncated.size() - truncated.rfind('\n');
  std::string message = ParseError(truncated);
  EXPECT_EQ(message.rfind(
                "snap/db.json:" + std::to_string(lines) + ":" + std::to_string(column) + ": ", 0),
            0u)
      << message;
  EXPECT_NE(message.find("unexpected end of input"), std::string::npos) << message;
}

TEST(SnapshotJsonTest, EmptyFileIsASyntaxError) {
  EXPECT_EQ(ParseError("").rfind("snap/db.json:1:1: syntax error", 0), 0u);
}

TEST(SnapshotJsonTest, UnknownKindIsNamedWithItsPlace) {
  EXPECT_EQ(ParseError(R"({"kind": "table", "name": "t",
                           "children": [{"kind": "column", "name": "a"},
                                        {"kind": "colum", "name": "b"}]})"),
            "snap/db.json: /children/1/kind: unknown kind \"colum\"");
}

TEST(SnapshotJsonTest, MissingFieldIsNamed) {
  EXPECT_EQ(ParseError(R"({"kind": "table", "name": "t", "children": [{"kind": "column"}]})"),
            "snap/db.json: /children/0: missing field \"name\"");
  EXPECT_EQ(ParseError(R"({"name": "t"})"), "snap/db.json: missing field \"kind\"");
}

TEST(SnapshotJsonTest, WrongTypesAreNamed) {
  EXPECT_EQ(ParseError(R"({"kind": "column", "name": "c", "attrs": {"position": 1}})"),
            "snap/db.json: /attrs/position: attribute values must be strings");
  EXPECT_EQ(ParseError(R"({"kind": "column", "name": 3})"),
            "snap/db.json: /name: \"name\" must be a string");
  EXPECT_EQ(ParseError(R"({"kind": "table", "name": "t", "attrs": []})"),
            "snap/db.json: /attrs: \"attrs\" must be an object");
  EXPECT_EQ(ParseError(R"({"kind": "table", "name": "t", "children": {}})"),
            "snap/db.json: /children: \"children\" must be an array");
  EXPECT_EQ(ParseError(R"({"kind": "table", "name": "t", "children": ["c"]})"),
            "snap/db.json: /children/0: children must be objects");
  EXPECT_EQ(ParseError(R"({"version": "1", "kind": "cluster", "name": ""})"),
            "snap/db.json: /version: \"version\" must be an integer");
  for (const char* not_an_object :
       {R"([{"kind": "cluster", "name": ""}])", "null", "3.5", "\"x\""}) {
    EXPECT_EQ(ParseError(not_an_object), "snap/db.json: the document is not a JSON object");
  }
}

TEST(SnapshotJsonTest, UnknownAndDuplicateFieldsAreNamed) {
  EXPECT_EQ(ParseError(R"({"kind": "table", "name": "t", "colour": "red"})"),
            "snap/db.json: /colour: unknown field \"colour\"");
  EXPECT_EQ(ParseError(R"({"kind": "table", "name": "t", "name": "u"})"),
            "snap/db.json: /name: duplicate field \"name\"");
  // Control characters in keys are escaped: the message stays one line.
  EXPECT_EQ(ParseError(R"({"kind": "table", "name": "t", "a\nb\u0001": "x"})"),
            "snap/db.json: /a\\nb\\u0001: unknown field \"a\\nb\\u0001\"");
  // Header fields belong to the top level only.
  EXPECT_EQ(ParseError(R"({"kind": "table", "name": "t",
                           "children": [{"kind": "column", "name": "c", "version": 1}]})"),
            "snap/db.json: /children/0/version: unknown field \"version\"");
}

TEST(SnapshotJsonTest, DuplicateObjectsAndAttributesAreNamed) {
  EXPECT_EQ(ParseError(R"({"kind": "schema", "name": "s", "children": [
                            {"kind": "table", "name": "t"}, {"kind": "table", "name": "t"}]})"),
            "snap/db.json: /children: duplicate table 't'");
  EXPECT_EQ(ParseError(R"({"kind": "schema", "name": "s", "children": [
                            {"kind": "table", "name": "t", "attrs": {"a": "1", "a": "2"}}]})"),
            "snap/db.json: /children/0/attrs: duplicate attribute \"a\"");
}

TEST(SnapshotJsonTest, InvalidUtf8IsReplacedNotFatal) {
  Object schema(ObjectKind::kSchema, "s");
  schema.SetAttr("comment", "caf\xe9");
  StatusOr<JsonDocument> doc = ParseObjectJson(ObjectToJson(schema), "s.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->object.Attr("comment"), "caf\xef\xbf\xbd");
}

// What ObjectToJson printed when it built the document with nlohmann::ordered_json first; the
// streaming writer must print exactly the same text.
nlohmann::ordered_json ReferenceNode(const Object& object, nlohmann::ordered_json node) {
  node["kind"] = std::string(KindName(object.kind()));
  node["name"] = object.name();
  if (!object.attrs().empty()) {
    node["attrs"] = nlohmann::ordered_json::object();
    for (const Attribute& a : object.attrs()) node["attrs"][a.name] = a.value;
  }
  if (!object.children().empty()) {
    node["children"] = nlohmann::ordered_json::array();
    for (const Object& child : object.children()) {
      node["children"].push_back(ReferenceNode(child, nlohmann::ordered_json::object()));
    }
  }
  return node;
}

std::string ReferenceJson(const Object& object, const JsonFileHeader& header, bool pretty) {
  nlohmann::ordered_json root = nlohmann::ordered_json::object();
  if (header.format) root["format"] = *header.format;
  if (header.version) root["version"] = *header.version;
  if (header.all_databases) root["all_databases"] = *header.all_databases;
  if (header.system_identifier) root["system_identifier"] = *header.system_identifier;
  root = ReferenceNode(object, std::move(root));
  if (header.databases) root["databases"] = *header.databases;
  return root.dump(pretty ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

// What WriteObjectJson writes to a file.
std::string WrittenJson(const Object& object, const JsonFileHeader& header, bool pretty) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  if (file == nullptr) return "";
  Status status = WriteObjectJson(object, file, header, pretty);
  EXPECT_TRUE(status.ok()) << status.message();
  std::string text(static_cast<size_t>(std::ftell(file)), '\0');
  std::rewind(file);
  EXPECT_EQ(std::fread(text.data(), 1, text.size(), file), text.size());
  std::fclose(file);
  return text;
}

TEST(SnapshotJsonTest, WritesWhatTheDomWrote) {
  Object cluster = SampleCluster();
  Object& odd = cluster.AddChild(ObjectKind::kDatabase, "odd \"db\" \\ \x01\x1f\x7f");
  odd.SetAttr("comment",
              "controls \b\f\n\r\t\x0b\x1b, multibyte \xc3\xbc \xe2\x82\xac \xf0\x9f\x98\x80");
  odd.SetAttr("invalid",
              "lone \xff, cut \xc3, overlong \xc0\xaf, surrogate \xed\xa0\x80, end \xe2\x82");
  odd.SetAttr("key \"quoted\"\n", "");
  odd.AddChild(ObjectKind::kSchema, "");
  odd.AddChild(ObjectKind::kSchema, "caf\xe9").SetAttr("x", "\xe9t\xe9");
  cluster.Normalize();
  JsonFileHeader full{"pgtwin-snapshot", 3, true, std::vector<std::string>{"a", "caf\xe9", ""},
                      "7311111111111111111"};
  JsonFileHeader empty_list{std::nullopt, std::nullopt, false, std::vector<std::string>{},
                            std::nullopt};
  for (const JsonFileHeader& header : {JsonFileHeader{}, full, empty_list}) {
    for (bool pretty : {true, false}) {
      EXPECT_EQ(ObjectToJson(cluster, header, pretty), ReferenceJson(cluster, header, pretty))
          << "pretty " << pretty;
      Object leaf(ObjectKind::kRole, "r");
      EXPECT_EQ(ObjectToJson(leaf, header, pretty), ReferenceJson(leaf, header, pretty));
      EXPECT_EQ(WrittenJson(cluster, header, pretty), ReferenceJson(cluster, header, pretty));
    }
  }
}

// Every one- and two-byte sequence, and every lead byte of a longer one with each possible second
// byte, inside a string: escaped, copied or replaced exactly as nlohmann does it.
TEST(SnapshotJsonTest, WritesEveryByteSequenceAsTheDomDid) {
  std::vector<std::string> samples;
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      samples.push_back({'x', static_cast<char>(a), static_cast<char>(b)});
      if (a >= 0xe0) {
        samples.push_back({static_cast<char>(a), static_cast<char>(b), '\x80', '\x80', 'y'});
        samples.push_back({static_cast<char>(a), static_cast<char>(b), '\xbf', 'y'});
      }
    }
  }
  for (const std::string& text : samples) {
    Object schema(ObjectKind::kSchema, text);
    schema.SetAttr("comment", text);
    ASSERT_EQ(ObjectToJson(schema, {}, false), ReferenceJson(schema, {}, false))
        << "bytes of " << ::testing::PrintToString(text);
  }
}

}  // namespace
}  // namespace pgtwin
