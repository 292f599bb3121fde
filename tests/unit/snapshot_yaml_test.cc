#include <gtest/gtest.h>

#include <string>

#include "model/object.h"
#include "providers/snapshot/yaml_codec.h"

namespace pgtwin {
namespace {

TEST(SnapshotYamlTest, WritesTheGenericTreeWithQuotedValues) {
  Object cluster(ObjectKind::kCluster, "");
  cluster.SetAttr("major_version", "15");
  Object& db = cluster.AddChild(ObjectKind::kDatabase, "007");
  db.SetAttr("owner", "yes");
  Object& schema = db.AddChild(ObjectKind::kSchema, "s");
  schema.AddChild(ObjectKind::kFunction, "f(integer)").SetAttr("body", "BEGIN\n  RETURN 1;\nEND");
  EXPECT_EQ(ObjectToYaml(cluster),
            "kind: cluster\n"
            "name: \"\"\n"
            "attrs:\n"
            "  major_version: \"15\"\n"
            "children:\n"
            "  - kind: database\n"
            "    name: \"007\"\n"
            "    attrs:\n"
            "      owner: \"yes\"\n"
            "    children:\n"
            "      - kind: schema\n"
            "        name: \"s\"\n"
            "        children:\n"
            "          - kind: function\n"
            "            name: \"f(integer)\"\n"
            "            attrs:\n"
            "              body: \"BEGIN\\n  RETURN 1;\\nEND\"\n");
}

TEST(SnapshotYamlTest, LeafWithoutAttributesIsJustKindAndName) {
  EXPECT_EQ(ObjectToYaml(Object(ObjectKind::kSchema, "public")),
            "kind: schema\nname: \"public\"\n");
}

}  // namespace
}  // namespace pgtwin
