#include "reconciler/expand/replication_placement.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace pgtwin {
namespace {

// A node of one cascade and the site it goes to.
struct Member {
  std::string name;
  size_t site = 0;
};

Object* DatabaseOn(SiteState& site, const std::string& name) {
  return site.desired.FindChild(ObjectKind::kDatabase, name);
}

// Takes the children of `kind` out of `database`.
std::vector<Object> TakeChildren(Object& database, ObjectKind kind) {
  std::vector<Object> taken;
  std::vector<Object>& children = database.mutable_children();
  for (auto it = children.begin(); it != children.end();) {
    if (it->kind() == kind) {
      taken.push_back(std::move(*it));
      it = children.erase(it);
    } else {
      ++it;
    }
  }
  return taken;
}

// The site a node goes to: the one its name ends with (`_dc2`), else the first still free.
std::optional<size_t> SiteFor(const std::string& node, const std::vector<SiteState>& sites,
                              const std::vector<size_t>& carriers, const std::set<size_t>& used) {
  for (size_t index : carriers) {
    const std::string suffix = "_" + sites[index].site.name;
    if (node.size() > suffix.size() && node.ends_with(suffix) && used.count(index) == 0) {
      return index;
    }
  }
  for (size_t index : carriers) {
    if (used.count(index) == 0) return index;
  }
  return std::nullopt;
}

// A trigger definition as a leaf has it: Londiste adds the argument 'deny' last.
std::string WithDeny(const std::string& definition) {
  size_t close = definition.rfind(')');
  if (close == std::string::npos) return definition;
  return definition.substr(0, close) + ", 'deny'" + definition.substr(close);
}

// A leaf subscribed to `provider` as its subscriber `subscriber` says.
Object DeriveLeaf(const Object& provider, const Object& subscriber) {
  Object leaf(ObjectKind::kPgqNode, provider.name());
  leaf.SetAttr("node_name", subscriber.name());
  leaf.SetAttr("node_type", "leaf");
  leaf.SetAttr("provider_node", provider.Attr("node_name"));
  leaf.SetAttr("worker_name", subscriber.Attr("worker_name"));
  for (const Object& child : provider.children()) {
    if (child.kind() == ObjectKind::kPgqLocation || child.kind() == ObjectKind::kLondisteSequence) {
      leaf.AddChild(child);
    } else if (child.kind() == ObjectKind::kLondisteTable) {
      Object table = child;
      for (const char* trigger : {"trigger", "truncate_trigger"}) {
        if (table.HasAttr(trigger)) table.SetAttr(trigger, WithDeny(table.Attr(trigger)));
      }
      leaf.AddChild(std::move(table));
    }
  }
  return leaf;
}

// Keeps the members' locations (at their Test sites) and subscriptions, nothing else.
void RewriteMembers(Object& node, const std::map<std::string, std::string>& locations) {
  std::vector<Object>& children = node.mutable_children();
  for (auto it = children.begin(); it != children.end();) {
    bool member = it->kind() == ObjectKind::kPgqLocation ||
                  it->kind() == ObjectKind::kPgqSubscriber;
    auto found = locations.find(it->name());
    if (member && found == locations.end()) {
      it = children.erase(it);
      continue;
    }
    if (it->kind() == ObjectKind::kPgqLocation) {
      it->SetAttr("location", found->second);
      it->SetFlag("dead", false);
    }
    ++it;
  }
}

// Places one database's cascades on the sites carrying it (`carriers`, in spec order).
void PlaceDatabase(const std::string& name, std::vector<SiteState>& sites,
                   const std::vector<size_t>& carriers) {
  std::vector<Object> nodes;
  std::vector<Object> queues;
  for (size_t index : carriers) {
    Object& database = *DatabaseOn(sites[index], name);
    std::vector<Object> site_nodes = TakeChildren(database, ObjectKind::kPgqNode);
    std::vector<Object> site_queues = TakeChildren(database, ObjectKind::kPgqQueue);
    if (index == carriers.front()) {
      nodes = std::move(site_nodes);
      queues = std::move(site_queues);
    }
  }
  for (const Object& prod_node : nodes) {
    // The snapshot's node first (the root when dumped from the primary), then its subscribers.
    std::set<size_t> used;
    std::vector<Member> members;
    std::vector<Object> placed;
    auto place = [&](const std::string& node_name, Object node) {
      std::optional<size_t> site = SiteFor(node_name, sites, carriers, used);
      if (!site) return;
      used.insert(*site);
      members.push_back({node_name, *site});
      placed.push_back(std::move(node));
    };
    place(prod_node.Attr("node_name"), prod_node);
    for (const Object& child : prod_node.children()) {
      if (child.kind() != ObjectKind::kPgqSubscriber) continue;
      place(child.name(), DeriveLeaf(prod_node, child));
    }
    if (members.empty()) continue;
    std::map<std::string, std::string> locations;
    for (const Member& member : members) {
      locations[member.name] = sites[member.site].site.Conninfo(name);
    }
    for (size_t i = 0; i < placed.size(); ++i) {
      RewriteMembers(placed[i], locations);
      DatabaseOn(sites[members[i].site], name)->AddChild(std::move(placed[i]));
    }
    // The queue lives on the snapshot's node; consumers serving unplaced subscribers go.
    std::set<std::string> gone_workers;
    for (const Object& child : prod_node.children()) {
      if (child.kind() == ObjectKind::kPgqSubscriber && locations.count(child.name()) == 0) {
        gone_workers.insert(child.Attr("worker_name"));
      }
    }
    for (Object& queue : queues) {
      if (queue.name() != prod_node.name()) continue;
      std::vector<Object>& consumers = queue.mutable_children();
      std::erase_if(consumers, [&](const Object& c) { return gone_workers.count(c.name()) > 0; });
      DatabaseOn(sites[members.front().site], name)->AddChild(queue);
    }
  }
  // Plain PgQ queues (no cascade node) stay on the database's first site.
  for (Object& queue : queues) {
    bool cascaded = std::any_of(nodes.begin(), nodes.end(),
                                [&](const Object& node) { return node.name() == queue.name(); });
    if (!cascaded) DatabaseOn(sites[carriers.front()], name)->AddChild(std::move(queue));
  }
}

}  // namespace

void PlaceReplication(std::vector<SiteState>& sites) {
  std::map<std::string, std::vector<size_t>> carriers;
  for (size_t index = 0; index < sites.size(); ++index) {
    for (const Object& child : sites[index].desired.children()) {
      if (child.kind() == ObjectKind::kDatabase) carriers[child.name()].push_back(index);
    }
  }
  for (const auto& [name, list] : carriers) PlaceDatabase(name, sites, list);
  for (SiteState& site : sites) site.desired.Normalize();
}

}  // namespace pgtwin
