#pragma once

#include <string>
#include <vector>

namespace pgtwin::testing {

// Conninfo of the fixture server's superuser, without a database:
// "host=<socketdir> port=<port> user=postgres". Fails the calling test when the fixture is
// not running (start it with ctest, which runs the `pg` fixture first).
std::string TestServerConninfo();

// Conninfo of the fixture server for one database.
std::string DatabaseConninfo(const std::string& database);

// The fixture server as a URI over TCP, e.g. "postgresql://postgres@127.0.0.1:PORT/db".
std::string DatabaseUri(const std::string& database);

// Port the fixture server listens on (127.0.0.1).
int TestServerPort();
// The test server's host: its socket directory.
std::string TestServerHost();

// Creates the cluster-wide roles CREATE EXTENSION pgq / pgq_node / londiste make when they
// are missing (pgq_reader, pgq_writer, pgq_admin, londiste_writer, londiste_reader), unless
// they exist: two tests creating those extensions at once would race to create them.
void CreatePgqRoles();

// Creates a new empty database with a name unique to this process and test, runs `sql` in it
// (may be empty) and returns its name. Tests run in parallel processes, so they must never share
// a database.
std::string CreateDatabase(const std::string& prefix, const std::string& sql = "");

// Runs SQL (several statements allowed) in `database` as superuser; throws on error.
void RunSql(const std::string& database, const std::string& sql);

// A free TCP port on 127.0.0.1 (free when asked; good enough for a test).
int FreePort();

// Returns `text` with every occurrence of `from` replaced by `to`.
std::string Replace(std::string text, const std::string& from, const std::string& to);

// Runs one query in `database` and returns every field of every row joined by '|' (NULL as
// ""): a compact answer to compare in a test.
std::string QueryRows(const std::string& database, const std::string& sql);

// Drops a database if it exists (forcefully).
void DropDatabase(const std::string& database);

// Path of the built `pgtwin` CLI.
std::string PgtwinBinary();

// The project's source directory.
std::string SourceDir();

// What a command printed and how it ended.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is the program path) without a shell and captures stdout, stderr and the
// exit code. Stdin is /dev/null.
CommandResult RunCommand(const std::vector<std::string>& argv);

// Runs the pgtwin CLI with these arguments.
CommandResult RunPgtwin(const std::vector<std::string>& args);

// A fresh temporary directory, removed at process exit.
std::string TempDir();

}  // namespace pgtwin::testing
