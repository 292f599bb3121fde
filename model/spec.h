#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgtwin {

// A place in a spec file, 1-based as editors show it.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// One problem found in a spec: printed as "file:line:col: message" ("file: message" when the
// problem has no position, e.g. an unreadable file: line 0).
struct SpecError {
  SourceLocation where;
  std::string message;

  std::string ToString() const;
};

// One site of a Test environment: a PostgreSQL instance reached on host:port.
struct SiteSpec {
  std::string name;              // "dc1"
  std::string host;              // "qa1-db1" or "127.0.0.1" or a socket directory
  int port = 5432;
  std::string user;              // role pgtwin connects as; "" = libpq default
  bool protect = false;          // `protected: true`: pgtwin never applies to this site
  SourceLocation where;          // where the site is declared

  // A key=value libpq conninfo for `dbname` on this site (host, port, user when given),
  // values quoted as libpq wants them.
  std::string Conninfo(const std::string& dbname = "postgres") const;
  // "postgresql://[user@]host:port", safe to print.
  std::string DisplayName() const;
};

// One Prod database the environment carries.
struct DatabaseSpec {
  std::string name;                  // Prod's base name: "accountdb" (shards) or "clidb"
  std::optional<int> shards;         // keep shards _p000.._p<shards-1>; nullopt = not sharded
  std::vector<std::string> sites;    // site names, in file order; empty = every site
  SourceLocation where;              // the `name` value of the list item
  SourceLocation shards_where;       // the `shards` value (for "above Prod's" errors)
};

// Where roles come from and which are left alone.
struct RolesSpec {
  std::string from = "prod";               // only "prod" for now
  std::string passwords = "int";           // "int" (copy hashes from INT) or "none"
  std::vector<std::string> skip = {"^pg_", "^postgres$"};  // RE2 patterns on role names
};

// What pgtwin may do to objects Prod does not have.
struct PolicySpec {
  bool prune = false;                      // drop unmanaged objects
  std::vector<std::string> protect;        // RE2 on qualified names: never dropped or changed
};

// How clients name the environment's databases (`pgtwin names`): "<database>.<site>.<suffix>".
struct NamesSpec {
  std::string suffix;  // DNS-style labels, e.g. "qa1.db"; "" = the environment's name
};

// Where pgtwin runs the environment's replication daemons (a londiste worker per pgq_node
// node, one pgqd per site) on the host it runs on.
struct WorkersSpec {
  std::string dir;       // their ini, pid and log files (conf/, pid/, log/), resolved against
                         // the spec file's directory; "" = pgtwin does not run them
  SourceLocation where;  // the `dir` value
};

// One Test environment as written in its spec file (the "what the user asked for").
struct EnvironmentSpec {
  std::string file;                  // the spec file as given
  std::string environment;           // "qa1"
  std::string prod_snapshot;         // directory written by `pgtwin dump`, resolved against
                                     // the spec file's directory
  SourceLocation prod_snapshot_where;  // the `snapshot` value (snapshot load errors)
  std::string int_source;            // conninfo of INT; "" when not given (passwords: none)
  SourceLocation int_source_where;   // the `source` value of `int`
  std::vector<SiteSpec> sites;       // in file order
  std::vector<DatabaseSpec> databases;
  RolesSpec roles;
  std::vector<std::string> ignore;   // KIND:REGEX rules, as for `pgtwin diff --ignore`
  PolicySpec policy;
  NamesSpec names;
  WorkersSpec workers;
};

}  // namespace pgtwin
