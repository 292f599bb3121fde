// The replication and RPC kinds (docs/model.md) through the snapshot codecs: JSON written and
// read back gives the same tree; YAML written and read by a YAML parser gives it too.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "model/object.h"
#include "providers/snapshot/json_codec.h"
#include "providers/snapshot/yaml_codec.h"

namespace pgtwin {
namespace {

Object ReplicatedDatabase() {
  Object cluster(ObjectKind::kCluster, "");
  Object& db = cluster.AddChild(ObjectKind::kDatabase, "accountdb_p000");
  Object& queue = db.AddChild(ObjectKind::kPgqQueue, "accountq");
  queue.SetAttr("ticker_idle_period", "00:00:03");
  queue.SetFlag("external_ticker", true);
  queue.AddChild(ObjectKind::kPgqConsumer, "accountq_p000");
  Object& node = db.AddChild(ObjectKind::kPgqNode, "accountq");
  node.SetAttr("node_name", "p000.dc1");
  node.SetAttr("node_type", "branch");
  node.SetAttr("provider_node", "root");
  node.SetAttr("worker_name", "accountq_p000");
  Object& location = node.AddChild(ObjectKind::kPgqLocation, "root");
  location.SetAttr("location", "host=db1 dbname='account db'");
  location.SetFlag("dead", true);
  node.AddChild(ObjectKind::kPgqSubscriber, "leaf1").SetAttr("worker_name", "accountq_leaf1");
  Object& table = node.AddChild(ObjectKind::kLondisteTable, "public.accounts");
  table.SetAttr("handler", "part");
  table.SetAttr("handler_arg.key", "id");
  table.SetAttr("merge_state", "ok");
  table.SetAttr("trigger",
                "CREATE TRIGGER _londiste_accountq AFTER INSERT OR DELETE OR UPDATE ON "
                "public.accounts FOR EACH ROW EXECUTE FUNCTION pgq.logutriga('accountq', "
                "'ev_extra3=''hash=''||partconf.get_hash_raw(id)')");
  node.AddChild(ObjectKind::kLondisteSequence, "public.accounts_id_seq");
  Object& proxy = db.AddChild(ObjectKind::kPlproxyCluster, "accountdb");
  proxy.SetAttr("p0", "host=db1 dbname=accountdb_p000");
  proxy.SetAttr("partitions", "1");
  proxy.SetAttr("user_mappings", "public(password=(set), user=postgres)");
  Object& conf = db.AddChild(ObjectKind::kPartconf, "conf");
  conf.SetAttr("part_nr", "0");
  conf.SetAttr("max_part", "0");
  cluster.Normalize();
  return cluster;
}

// The tree a YAML document written by ObjectToYaml describes.
Object FromYaml(const YAML::Node& node) {
  std::optional<ObjectKind> kind = KindFromName(node["kind"].as<std::string>());
  EXPECT_TRUE(kind.has_value()) << node["kind"].as<std::string>();
  Object object(kind.value_or(ObjectKind::kCluster), node["name"].as<std::string>());
  if (node["attrs"]) {
    for (const auto& attr : node["attrs"]) {
      object.SetAttr(attr.first.as<std::string>(), attr.second.as<std::string>());
    }
  }
  if (node["children"]) {
    for (const auto& child : node["children"]) object.AddChild(FromYaml(child));
  }
  return object;
}

TEST(SnapshotReplicationTest, JsonRoundTrip) {
  Object cluster = ReplicatedDatabase();
  std::string json = ObjectToJson(cluster);
  EXPECT_NE(json.find("\"kind\": \"londiste_table\""), std::string::npos);
  EXPECT_NE(json.find("\"kind\": \"pgq_location\""), std::string::npos);
  StatusOr<JsonDocument> doc = ParseObjectJson(json, "snap/cluster.json");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->object, cluster);
  StatusOr<JsonDocument> compact = ParseObjectJson(ObjectToJson(cluster, {}, false), "x.json");
  ASSERT_TRUE(compact.ok()) << compact.status().message();
  EXPECT_EQ(compact->object, cluster);
}

TEST(SnapshotReplicationTest, YamlRoundTrip) {
  Object cluster = ReplicatedDatabase();
  std::string yaml = ObjectToYaml(cluster);
  EXPECT_NE(yaml.find("kind: pgq_node\n"), std::string::npos);
  EXPECT_NE(yaml.find("kind: plproxy_cluster\n"), std::string::npos);
  Object read = FromYaml(YAML::Load(yaml));
  read.Normalize();
  EXPECT_EQ(read, cluster);
}

TEST(SnapshotReplicationTest, KindsHaveNamesAndAreReplicationKinds) {
  for (ObjectKind kind :
       {ObjectKind::kPgqQueue, ObjectKind::kPgqConsumer, ObjectKind::kPgqNode,
        ObjectKind::kPgqLocation, ObjectKind::kPgqSubscriber, ObjectKind::kLondisteTable,
        ObjectKind::kLondisteSequence, ObjectKind::kPlproxyCluster, ObjectKind::kPartconf}) {
    EXPECT_EQ(KindFromName(KindName(kind)), kind);
    EXPECT_TRUE(IsReplicationKind(kind)) << KindName(kind);
    EXPECT_FALSE(IsSchemaQualified(kind)) << KindName(kind);
  }
  EXPECT_FALSE(IsReplicationKind(ObjectKind::kAggregate));
  EXPECT_FALSE(IsReplicationKind(ObjectKind::kTable));
  EXPECT_TRUE(QualifiesChildren(ObjectKind::kPgqNode));
  EXPECT_FALSE(QualifiesChildren(ObjectKind::kPgqLocation));
}

}  // namespace
}  // namespace pgtwin
