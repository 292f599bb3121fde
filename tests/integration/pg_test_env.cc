#include "tests/integration/pg_test_env.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <stdexcept>
#include <thread>

#include "gtest/gtest.h"

namespace pgtwin::testing {
namespace {

struct ServerAddress {
  std::string socket_dir;
  int port = 0;
};

const ServerAddress& Server() {
  static const ServerAddress address = [] {
    ServerAddress a;
    std::ifstream state(PGTWIN_TEST_STATE);
    if (!(state >> a.socket_dir >> a.port)) {
      throw std::runtime_error(std::string("PostgreSQL test fixture is not running (no ") +
                               PGTWIN_TEST_STATE + "); run the tests through ctest");
    }
    return a;
  }();
  return address;
}

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string test = info ? std::string(info->name()) : "x";
  std::string clean;
  for (char c : test) clean += std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
  if (clean.size() > 20) clean.resize(20);
  return clean + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

// Reads everything from `fd` until EOF.
std::string Drain(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

}  // namespace

std::string TestServerConninfo() {
  return "host=" + Server().socket_dir + " port=" + std::to_string(Server().port) +
         " user=postgres";
}

std::string TestServerHost() { return Server().socket_dir; }

std::string DatabaseConninfo(const std::string& database) {
  return TestServerConninfo() + " dbname=" + database;
}

std::string DatabaseUri(const std::string& database) {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(Server().port) + "/" + database;
}

int TestServerPort() { return Server().port; }

void CreatePgqRoles() {
  for (const char* role :
       {"pgq_reader", "pgq_writer", "pgq_admin IN ROLE pgq_reader, pgq_writer",
        "londiste_writer IN ROLE pgq_admin", "londiste_reader IN ROLE pgq_reader"}) {
    RunSql("postgres", std::string("DO $$BEGIN CREATE ROLE ") + role +
                           "; EXCEPTION WHEN duplicate_object OR unique_violation THEN "
                           "NULL; END$$");
  }
}

std::string CreateDatabase(const std::string& prefix, const std::string& sql) {
  std::string name = prefix + "_" + UniqueSuffix();
  {
    pqxx::connection c(DatabaseConninfo("postgres"));
    pqxx::nontransaction tx(c);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
    tx.exec("CREATE DATABASE " + tx.quote_name(name) + " TEMPLATE template0");
  }
  if (!sql.empty()) RunSql(name, sql);
  return name;
}

void RunSql(const std::string& database, const std::string& sql) {
  pqxx::connection c(DatabaseConninfo(database));
  pqxx::nontransaction tx(c);
  tx.exec(sql);
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string QueryRows(const std::string& database, const std::string& sql) {
  pqxx::connection c(DatabaseConninfo(database));
  pqxx::nontransaction tx(c);
  std::string out;
  for (const pqxx::row& row : tx.exec(sql)) {
    for (const pqxx::field& f : row) out += (out.empty() ? "" : "|") + std::string(f.c_str());
  }
  return out;
}

void DropDatabase(const std::string& database) {
  pqxx::connection c(DatabaseConninfo("postgres"));
  pqxx::nontransaction tx(c);
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(database) + " WITH (FORCE)");
}

std::string PgtwinBinary() { return PGTWIN_BINARY; }

std::string SourceDir() { return PGTWIN_SOURCE_DIR; }

CommandResult RunCommand(const std::vector<std::string>& argv) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    // Only 1 and 2 may hold the pipes: a daemon the command starts (pg_ctl start) must not
    // keep them open, or reading them would never end.
    close(out_pipe[0]);
    close(err_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  CommandResult result;
  std::thread err_reader([&] { result.err = Drain(err_pipe[0]); });
  result.out = Drain(out_pipe[0]);
  err_reader.join();
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

CommandResult RunPgtwin(const std::vector<std::string>& args) {
  std::vector<std::string> argv{PgtwinBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

std::string TempDir() {
  // Directories made by this process; removed when the process exits.
  struct Registry {
    std::vector<std::string> dirs;
    ~Registry() {
      std::error_code ignored;
      for (const std::string& d : dirs) std::filesystem::remove_all(d, ignored);
    }
  };
  static Registry registry;
  std::string tmpl = (std::filesystem::temp_directory_path() / "pgtwin-it.XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  registry.dirs.push_back(tmpl);
  return tmpl;
}

}  // namespace pgtwin::testing
