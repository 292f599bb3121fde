#include "reconciler/expand/rpc_placement.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "model/conninfo_text.h"
#include "reconciler/expand/prod_databases.h"

namespace pgtwin {
namespace {

// A sharded database of the spec: how many shards Test keeps of Prod's.
struct ShardedDb {
  const DatabaseSpec* spec = nullptr;
  int kept = 0;
  int prod_count = 0;
};

// A Prod shard a connection string names.
struct ShardRef {
  const ShardedDb* db = nullptr;
  int number = 0;
};

// Every Prod shard of the spec's sharded databases, by database name.
class ShardIndex {
 public:
  ShardIndex(const EnvironmentSpec& spec, const Object& prod) {
    for (const DatabaseSpec& database : spec.databases) {
      if (!database.shards) continue;
      ProdDatabases found = FindProdDatabases(prod, database.name);
      ShardedDb& db = dbs_.emplace_back();
      db.spec = &database;
      db.kept = *database.shards;
      db.prod_count = static_cast<int>(found.shards.size());
    }
    size_t i = 0;
    for (const DatabaseSpec& database : spec.databases) {
      if (!database.shards) continue;
      for (const auto& [number, shard] : FindProdDatabases(prod, database.name).shards) {
        shards_.emplace(shard->name(), ShardRef{&dbs_[i], number});
      }
      ++i;
    }
  }

  const ShardRef* Find(const std::string& dbname) const {
    auto it = shards_.find(dbname);
    return it == shards_.end() ? nullptr : &it->second;
  }

 private:
  std::vector<ShardedDb> dbs_;
  std::map<std::string, ShardRef> shards_;
};

using Words = std::vector<std::pair<std::string, std::string>>;

// The keywords of a libpq key=value connection string, values unquoted.
Words KeyValueWords(std::string_view s) {
  Words words;
  for (ConninfoWord& word : SplitConninfo(s)) {
    words.emplace_back(std::move(word.key), std::move(word.value));
  }
  return words;
}

// The user and dbname of a postgresql:// URI (its other parameters are not kept).
Words UriWords(std::string_view s) {
  Words words;
  size_t authority = s.find("://") + 3;
  size_t end = s.find_first_of("/?", authority);
  std::string_view host_part = s.substr(authority, end == std::string_view::npos
                                                       ? std::string_view::npos
                                                       : end - authority);
  size_t at = host_part.rfind('@');
  if (at != std::string_view::npos) {
    words.emplace_back("user", std::string(host_part.substr(0, host_part.find(':'))));
  }
  if (end != std::string_view::npos && s[end] == '/') {
    std::string_view path = s.substr(end + 1);
    words.emplace_back("dbname", std::string(path.substr(0, path.find('?'))));
  }
  return words;
}

Words ConnstrWords(std::string_view connstr) {
  if (connstr.starts_with("postgresql://") || connstr.starts_with("postgres://")) {
    return UriWords(connstr);
  }
  return KeyValueWords(connstr);
}

std::string WordValue(const Words& words, std::string_view key) {
  std::string value;
  for (const auto& [k, v] : words) {
    if (k == key) value = v;  // libpq: the last one wins
  }
  return value;
}

// The shard a partition's connection string names, or null.
const ShardRef* ShardOf(const std::string& connstr, const ShardIndex& index) {
  return index.Find(WordValue(ConnstrWords(connstr), "dbname"));
}

// A partition option of a SQL/MED cluster: `p<N>` or `partition_<N>`.
struct Partition {
  std::string prefix;
  int number = 0;
  std::string connstr;
};

std::optional<Partition> AsPartition(const Attribute& attr) {
  for (const char* prefix : {"partition_", "p"}) {
    std::string_view rest = attr.name;
    if (!rest.starts_with(prefix)) continue;
    rest.remove_prefix(std::string_view(prefix).size());
    if (rest.empty() || rest.size() > 6 ||
        rest.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    return Partition{prefix, std::stoi(std::string(rest)), attr.value};
  }
  return std::nullopt;
}

// The partitions in their number order.
std::vector<Partition> PartitionsOf(const Object& cluster) {
  std::vector<Partition> partitions;
  for (const Attribute& attr : cluster.attrs()) {
    if (auto partition = AsPartition(attr)) partitions.push_back(std::move(*partition));
  }
  std::sort(partitions.begin(), partitions.end(),
            [](const Partition& a, const Partition& b) { return a.number < b.number; });
  return partitions;
}

bool IsSqlMedCluster(const Object& object) {
  return object.kind() == ObjectKind::kPlproxyCluster && !object.HasAttr("config_source");
}

// What cutting a cluster to the kept shards does: the partitions it keeps, and the sharded
// databases of the spec whose shards it names (none: the cluster is kept as it is).
struct Cut {
  std::vector<Partition> kept;
  std::vector<const ShardRef*> kept_shards;  // per kept partition, null when not a shard
  std::set<const ShardedDb*> cut_dbs;        // databases with a partition left out
  bool names_shards = false;
};

Cut CutCluster(const Object& cluster, const ShardIndex& index) {
  Cut cut;
  for (Partition& partition : PartitionsOf(cluster)) {
    const ShardRef* shard = ShardOf(partition.connstr, index);
    cut.names_shards |= shard != nullptr;
    if (shard != nullptr && shard->number >= shard->db->kept) {
      cut.cut_dbs.insert(shard->db);
      continue;
    }
    cut.kept.push_back(std::move(partition));
    cut.kept_shards.push_back(shard);
  }
  return cut;
}

bool PowerOfTwo(size_t n) { return n > 0 && (n & (n - 1)) == 0; }

// Prod's connection string to a shard, pointed at the Test site carrying it.
std::string TestConnstr(const std::string& prod_connstr, const SiteSpec& site,
                        const std::string& dbname) {
  Words words = ConnstrWords(prod_connstr);
  SiteSpec target = site;
  target.user = WordValue(words, "user");
  std::string out = target.Conninfo(dbname);
  static const std::set<std::string> replaced = {"host", "hostaddr", "port", "dbname", "user",
                                                 "password", "sslpassword", "service"};
  for (const auto& [key, value] : words) {
    if (replaced.count(key) == 0) out += " " + key + "=" + QuoteConninfoValue(value);
  }
  return out;
}

void RewriteCluster(Object& cluster, const Cut& cut, size_t proxy_site,
                    const std::vector<SiteState>& sites,
                    const std::map<std::string, std::vector<size_t>>& carriers) {
  std::erase_if(cluster.mutable_attrs(),
                [](const Attribute& attr) { return AsPartition(attr).has_value(); });
  for (size_t i = 0; i < cut.kept.size(); ++i) {
    const Partition& partition = cut.kept[i];
    std::string connstr = partition.connstr;
    if (cut.kept_shards[i] != nullptr) {
      std::string dbname = WordValue(ConnstrWords(connstr), "dbname");
      auto found = carriers.find(dbname);
      if (found != carriers.end() && !found->second.empty()) {
        const std::vector<size_t>& list = found->second;
        bool local = std::find(list.begin(), list.end(), proxy_site) != list.end();
        connstr = TestConnstr(connstr, sites[local ? proxy_site : list.front()].site, dbname);
      }
    }
    cluster.SetAttr(partition.prefix + std::to_string(i), connstr);
  }
  cluster.SetAttr("partitions", cut.kept.empty() ? "" : std::to_string(cut.kept.size()));
}

// partconf: the mask and count of a shard cut from M to N shards.
void RewritePartconf(Object& conf, const ShardedDb& db) {
  const std::string mask = std::to_string(db.prod_count - 1);
  for (const char* column : {"max_part", "shard_mask"}) {
    if (conf.HasAttr(column) && conf.Attr(column) == mask) {
      conf.SetAttr(column, std::to_string(db.kept - 1));
    }
  }
  if (conf.Attr("shard_count") == std::to_string(db.prod_count)) {
    conf.SetAttr("shard_count", std::to_string(db.kept));
  }
}

}  // namespace

std::vector<SpecError> CheckRpcAgainstProd(const EnvironmentSpec& spec, const Object& prod) {
  std::vector<SpecError> errors;
  ShardIndex index(spec, prod);
  for (const DatabaseSpec& database : spec.databases) {
    ProdDatabases found = FindProdDatabases(prod, database.name);
    std::vector<const Object*> carried;
    if (!database.shards) {
      if (found.plain != nullptr) carried.push_back(found.plain);
    } else {
      for (const auto& [number, shard] : found.shards) {
        if (number < *database.shards) carried.push_back(shard);
      }
    }
    for (const Object* db : carried) {
      for (const Object& cluster : db->children()) {
        if (!IsSqlMedCluster(cluster) || cluster.Attr("modular_mapping") == "1") continue;
        Cut cut = CutCluster(cluster, index);
        if (cut.cut_dbs.empty() || PowerOfTwo(cut.kept.size())) continue;
        const ShardedDb* culprit = *cut.cut_dbs.begin();
        SourceLocation where = culprit->spec->shards_where;
        where.file = spec.file;
        errors.push_back(SpecError{
            where, "shards: " + std::to_string(culprit->kept) + " leaves PL/Proxy cluster '" +
                       cluster.name() + "' in " + db->name() + " " +
                       std::to_string(cut.kept.size()) + " of its " +
                       std::to_string(PartitionsOf(cluster).size()) +
                       " partitions: PL/Proxy needs a power of two (or modular_mapping 1)"});
      }
    }
  }
  return errors;
}

void PlaceRpc(const EnvironmentSpec& spec, const Object& prod, std::vector<SiteState>& sites) {
  ShardIndex index(spec, prod);
  std::map<std::string, std::vector<size_t>> carriers;  // database -> sites, in spec order
  for (size_t i = 0; i < sites.size(); ++i) {
    for (const Object& child : sites[i].desired.children()) {
      if (child.kind() == ObjectKind::kDatabase) carriers[child.name()].push_back(i);
    }
  }
  for (size_t i = 0; i < sites.size(); ++i) {
    for (Object& database : sites[i].desired.mutable_children()) {
      if (database.kind() != ObjectKind::kDatabase) continue;
      const ShardRef* shard = index.Find(database.name());
      for (Object& child : database.mutable_children()) {
        if (IsSqlMedCluster(child)) {
          Cut cut = CutCluster(child, index);
          if (cut.names_shards) RewriteCluster(child, cut, i, sites, carriers);
        } else if (child.kind() == ObjectKind::kPartconf && shard != nullptr &&
                   shard->db->kept < shard->db->prod_count) {
          RewritePartconf(child, *shard->db);
        }
      }
    }
    sites[i].desired.Normalize();
  }
}

}  // namespace pgtwin
