#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pgtwin::testing {

// Writes `text` to `path` (a failed write fails the test).
void WriteFile(const std::string& path, const std::string& text);

// True when the fixture server has a database named `name`.
bool DatabaseExists(const std::string& name);

// The "key" of every action in a JSON plan's "actions" array, in order.
std::vector<std::string> Keys(const nlohmann::json& actions);

// Base for tests of `pgtwin reconcile` on the fixture server. Names are kept by reconcile, so
// source and Test cannot live side by side on one server: a test makes its source database,
// dumps it as the Prod snapshot (keeping only the test's own roles), drops the database and
// the roles, and lets reconcile build them again from the snapshot. Names are unique per test
// (prefix_), so tests run in parallel against the one server.
class ReconcileFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Makes the source database from `sql`, dumps it as the Prod snapshot dir_/prod keeping only
  // this test's roles, runs `before_drop` (when given; the source still exists, e.g. to keep
  // its pg_dump), then drops the database and the roles. In `sql`, {owner} and {reader} stand
  // for the test's two roles, {database} for the database's name and {prefix} for prefix_:
  // roles the SQL creates must be named {prefix}_<something> (they are kept in the snapshot
  // and dropped with the others).
  void MakeProd(const std::string& sql, const std::function<void()>& before_drop = nullptr);

  // Makes the source and its snapshot as MakeProd does, but keeps the database and the roles:
  // they are the Test environment, already what reconcile would build from the snapshot.
  void MakeProdAndTest(const std::string& sql);

  // Writes dir_/env.yaml: environment_, the snapshot, site dc1 = the fixture server (then
  // `sites_yaml`), the one database, roles with `passwords`; `extra` is appended (policy, ...).
  std::string WriteSpec(const std::string& sites_yaml = "", const std::string& extra = "",
                        const std::string& passwords = "none");

  // Runs `pgtwin reconcile SPEC ARGS... --output json`, expects `expected_exit` and returns
  // what it printed, parsed.
  nlohmann::json ReconcileJson(const std::string& spec, std::vector<std::string> args,
                               int expected_exit);

  // Spec lines (to pass as WriteSpec's `extra`) that leave out of the comparison every role
  // and database that is not this test's: other tests' roles and databases on the shared
  // server are then neither reported as unmanaged nor dropped by --prune.
  std::string IgnoreOthersYaml() const;

  std::string prefix_;       // unique per test: rc_<pid>_<n>
  std::string environment_;  // prefix_ with '-' for '_'
  std::string owner_;        // the database's owner role
  std::string reader_;       // a login role granted some privileges
  std::string dir_;          // a temporary directory of the test's own
  std::string database_;     // the source (and Test) database, once MakeProd ran
};

}  // namespace pgtwin::testing
