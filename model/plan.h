#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/daemon.h"
#include "model/object_kind.h"

namespace pgtwin {

// What an action does to its object.
enum class ActionOp {
  kCreate,   // "+": the object is missing in Test
  kAlter,    // "~": changed in place (ALTER, CREATE OR REPLACE)
  kReplace,  // "-/+": dropped and created again (a changed index, a view whose columns change)
  kDrop,     // "-": an unmanaged object, only with prune
};

// Whether running the action can lose data or objects a user made.
enum class Risk {
  kSafe,
  kDestructive,
};

// Placeholder written in an action's SQL instead of a password hash. The executor replaces it
// with the quoted hash of `Action::secret_role` at run time, so plans, logs and errors never
// hold a secret.
inline constexpr char kSecretPlaceholder[] = "'<redacted>'";

// One corrective step of a plan: plain data, decided before anything runs.
struct Action {
  int id = 0;                        // index in Plan::actions
  std::string site;                  // the Test site it runs on ("dc1")
  std::string database;              // "" for cluster-wide actions (roles, databases)
  ActionOp op = ActionOp::kCreate;
  ObjectKind kind = ObjectKind::kTable;
  std::string key;                   // the object's key, "table:billing.invoices"
  std::string reason;                // the difference that caused it, one line
  Risk risk = Risk::kSafe;
  std::vector<std::string> sql;      // statements, run in order in one transaction
  bool in_transaction = true;        // false for CREATE/DROP DATABASE and the like
  std::string secret_role;           // role whose password hash replaces kSecretPlaceholder
  std::vector<int> depends_on;       // ids of actions that must succeed first
  std::string blocked_by;            // non-empty: policy forbids it (why); it is not run
  // Set for a daemon action (kind kDaemon, no SQL): create and alter write its ini file and
  // (re)start it, drop stops it and removes the file.
  std::optional<DaemonSpec> daemon;
};

// An object Test has and Prod does not: kept and reported unless prune drops it.
struct UnmanagedObject {
  std::string site;
  std::string database;
  ObjectKind kind = ObjectKind::kTable;
  std::string key;
};

// Everything one reconcile pass would do, in an order that respects `depends_on`.
struct Plan {
  std::vector<Action> actions;
  std::vector<UnmanagedObject> unmanaged;
};

// How one action ended.
enum class ActionState {
  kDone,
  kFailed,    // it ran and PostgreSQL refused (error says why)
  kSkipped,   // not run: an action it depends on failed or was skipped, or it is blocked
};

struct ActionOutcome {
  int action_id = 0;
  ActionState state = ActionState::kDone;
  std::string error;                 // one line; names the site and database
};

}  // namespace pgtwin
