#include <map>

#include "reconciler/plan/cluster_sql.h"
#include "reconciler/plan/plan_reason.h"
#include "reconciler/plan/site_planner.h"

namespace pgtwin {
namespace {

std::string RoleKey(const std::string& name) { return "role:" + name; }

std::map<std::string, bool> MembershipMap(const std::string& member_of) {
  std::map<std::string, bool> groups;
  for (const cluster_sql::Membership& m : cluster_sql::ParseMemberOf(member_of)) {
    groups[m.group] = m.admin;
  }
  return groups;
}

std::string AdminSuffix(bool admin) { return admin ? " (admin)" : ""; }

}  // namespace

void SitePlanner::PlanRole(const DiffEntry& entry) {
  const std::string& name = entry.name;
  if (policy_.SkipsRole(name)) return;
  std::string protection = policy_.Protection(ObjectKind::kRole, name);
  if (entry.change == ChangeKind::kSourceOnly) {
    CreateRole(*entry.source);
    return;
  }
  if (entry.change == ChangeKind::kTargetOnly) {
    ReportUnmanaged(entry);
    if (!policy_.prune() || !protection.empty()) return;
    size_t drop = AddDraft(ActionOp::kDrop, ObjectKind::kRole, RoleKey(name), "",
                           "unmanaged (prune)", kRoleDropStage, 0);
    drafts_[drop].action.sql = {cluster_sql::DropRole(name)};
    drafts_[drop].provides.push_back(RefName('r', "", name));
    role_drops_.emplace_back(name, drop);
    return;
  }
  std::vector<AttributeChange> plain;
  for (const AttributeChange& change : entry.attrs) {
    if (change.name == "member_of") {
      PlanMemberships(name, change.source.value_or(""), change.target.value_or(""), protection);
    } else if (change.name == "password") {
      // Hashes are compared in PlanPasswords; a password Prod lacks is removed.
      bool clear =
          input_.desired_passwords != nullptr && !change.source && DesiredHash(name) == nullptr;
      if (!clear) continue;
      size_t draft = AddDraft(ActionOp::kAlter, ObjectKind::kRole, RoleKey(name), "",
                              DescribeChanges({change}), kRoleStage, kPasswordPhase);
      drafts_[draft].action.sql = {cluster_sql::ClearPassword(name)};
      Block(drafts_[draft], protection);
    } else {
      plain.push_back(change);
    }
  }
  std::vector<std::string> sql = cluster_sql::AlterRole(*entry.source, plain);
  if (sql.empty()) return;
  size_t draft = AddDraft(ActionOp::kAlter, ObjectKind::kRole, RoleKey(name), "",
                          DescribeChanges(plain), kRoleStage, kRolePhase);
  drafts_[draft].action.sql = std::move(sql);
  Block(drafts_[draft], protection);
}

void SitePlanner::CreateRole(const Object& role) {
  const std::string& name = role.name();
  size_t draft = AddDraft(ActionOp::kCreate, ObjectKind::kRole, RoleKey(name), "",
                          "missing in Test", kRoleStage, kRolePhase);
  Action& action = drafts_[draft].action;
  action.sql = cluster_sql::CreateRole(role);
  if (DesiredHash(name) != nullptr) {
    action.sql.push_back(cluster_sql::SetPassword(name));
    action.secret_role = name;
  }
  drafts_[draft].provides.push_back(RefName('r', "", name));
  // Protection keeps what Test has: a missing role is created, protected or not.
  PlanMemberships(name, role.Attr("member_of"), "", "");
}

void SitePlanner::PlanMemberships(const std::string& member, const std::string& desired,
                                  const std::string& observed, const std::string& protection) {
  std::map<std::string, bool> want = MembershipMap(desired);
  std::map<std::string, bool> have = MembershipMap(observed);
  auto add = [&](const std::string& group, std::string reason, std::string sql) {
    size_t draft = AddDraft(ActionOp::kAlter, ObjectKind::kRole, RoleKey(member), "",
                            std::move(reason), kRoleStage, kMembershipPhase);
    DraftAction& d = drafts_[draft];
    d.order_key = RoleKey(member) + '\x1f' + group;
    d.action.sql = {std::move(sql)};
    d.needs = {RefName('r', "", member), RefName('r', "", group)};
    Block(d, protection);
  };
  for (const auto& [group, admin] : want) {
    auto it = have.find(group);
    if (it == have.end()) {
      add(group, "member_of: + " + group + AdminSuffix(admin),
          cluster_sql::GrantMembership(member, {group, admin}));
    } else if (admin && !it->second) {
      add(group, "member_of: " + group + " -> " + group + " (admin)",
          cluster_sql::GrantMembership(member, {group, true}));
    } else if (!admin && it->second) {
      add(group, "member_of: " + group + " (admin) -> " + group,
          cluster_sql::RevokeAdminOption(member, group));
    }
  }
  for (const auto& [group, admin] : have) {
    if (want.count(group) == 0) {
      add(group, "member_of: - " + group + AdminSuffix(admin) + " (not in Prod)",
          cluster_sql::RevokeMembership(member, group));
    }
  }
}

const std::string* SitePlanner::DesiredHash(const std::string& role) const {
  if (input_.desired_passwords == nullptr) return nullptr;
  auto it = input_.desired_passwords->find(role);
  return it == input_.desired_passwords->end() ? nullptr : &it->second;
}

void SitePlanner::PlanPasswords() {
  if (input_.desired_passwords == nullptr) return;
  for (const Object& role : input_.desired->children()) {
    if (role.kind() != ObjectKind::kRole) continue;
    const std::string& name = role.name();
    const std::string* hash = DesiredHash(name);
    if (hash == nullptr || policy_.SkipsRole(name)) continue;
    if (ignore_.Matches(ObjectKind::kRole, name, name)) continue;
    // A role created by this plan gets its password in its CREATE action.
    if (input_.observed->FindChild(ObjectKind::kRole, name) == nullptr) continue;
    const std::string* current = nullptr;
    if (input_.observed_passwords != nullptr) {
      auto it = input_.observed_passwords->find(name);
      if (it != input_.observed_passwords->end()) current = &it->second;
    }
    if (current != nullptr && *current == *hash) continue;
    size_t draft =
        AddDraft(ActionOp::kAlter, ObjectKind::kRole, RoleKey(name), "",
                 current == nullptr ? "password: missing in Test" : "password: differs from INT",
                 kRoleStage, kPasswordPhase);
    drafts_[draft].action.sql = {cluster_sql::SetPassword(name)};
    drafts_[draft].action.secret_role = name;
    Block(drafts_[draft], policy_.Protection(ObjectKind::kRole, name));
  }
}

}  // namespace pgtwin
