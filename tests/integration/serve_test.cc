// `pgtwin serve` as a DBA runs it, against the fixture's PostgreSQL 15: three environments in
// one specs directory (one reached through a TCP proxy the test can cut, one with an invalid
// spec), a short interval, the REST API and /metrics read with curl on loopback, the status
// page read in headless Chromium, and a webhook receiver on loopback for the notifications.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/pg_test_env.h"
#include "tests/integration/reconcile_fixture.h"

namespace pgtwin {
namespace {

using ::testing::HasSubstr;
using testing::CommandResult;
using testing::FreePort;
using testing::RunCommand;

// A TCP forwarder 127.0.0.1:port -> 127.0.0.1:upstream that can be cut (listener closed and
// every connection reset) and restored: a Test instance going away and coming back.
class Proxy {
 public:
  Proxy(int port, int upstream) : port_(port), upstream_(upstream) {}
  ~Proxy() { Cut(); }

  void Start() {
    listen_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address = Address(port_);
    ASSERT_EQ(bind(listen_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(listen(listen_, 64), 0);
    stop_ = false;
    acceptor_ = std::thread([this] { Accept(); });
  }

  void Cut() {
    if (!acceptor_.joinable()) return;
    stop_ = true;
    shutdown(listen_, SHUT_RDWR);
    close(listen_);
    acceptor_.join();
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : open_) shutdown(fd, SHUT_RDWR);
    for (std::thread& pump : pumps_) pump.join();
    pumps_.clear();
    open_.clear();
  }

 private:
  static sockaddr_in Address(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    return address;
  }

  void Accept() {
    while (!stop_) {
      pollfd wait{listen_, POLLIN, 0};
      if (poll(&wait, 1, 100) <= 0) continue;
      int client = accept(listen_, nullptr, nullptr);
      if (client < 0) continue;
      int server = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address = Address(upstream_);
      if (connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(client);
        close(server);
        continue;
      }
      std::lock_guard<std::mutex> lock(mutex_);
      open_.push_back(client);
      open_.push_back(server);
      pumps_.emplace_back([client, server] { Pump(client, server); });
    }
  }

  static void Pump(int a, int b) {
    pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    char buffer[65536];
    while (poll(fds, 2, -1) > 0) {
      bool done = false;
      for (int i = 0; i < 2 && !done; ++i) {
        if (fds[i].revents == 0) continue;
        ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
        done = n <= 0 || write(fds[1 - i].fd, buffer, n) != n;
      }
      if (done) break;
    }
    shutdown(a, SHUT_RDWR);
    shutdown(b, SHUT_RDWR);
  }

  int port_;
  int upstream_;
  int listen_ = -1;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> open_;
  std::vector<std::thread> pumps_;
};

// A webhook receiver on loopback: answers every POST 200 and keeps each body, parsed.
class WebhookReceiver {
 public:
  ~WebhookReceiver() { Stop(); }

  // Listens on a free port; returns it.
  int Start() {
    listen_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listen_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listen_, 16) != 0) {
      ADD_FAILURE() << "webhook receiver: cannot listen";
      return 0;
    }
    getsockname(listen_, reinterpret_cast<sockaddr*>(&address), &length);
    thread_ = std::thread([this] { Accept(); });
    return ntohs(address.sin_port);
  }

  void Stop() {
    if (!thread_.joinable()) return;
    stop_ = true;
    thread_.join();
    close(listen_);
  }

  // The messages about `environment` received so far, in order.
  std::vector<nlohmann::json> For(const std::string& environment) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<nlohmann::json> found;
    for (const nlohmann::json& message : messages_) {
      if (message.value("environment", "") == environment) found.push_back(message);
    }
    return found;
  }

  // Every body received, one a line.
  std::string Dump() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string text;
    for (const std::string& body : bodies_) text += body + "\n";
    return text;
  }

  // The request line of every request ("POST /path HTTP/1.1").
  std::vector<std::string> RequestLines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return request_lines_;
  }

 private:
  void Accept() {
    while (!stop_) {
      pollfd wait{listen_, POLLIN, 0};
      if (poll(&wait, 1, 100) <= 0) continue;
      int client = accept(listen_, nullptr, nullptr);
      if (client >= 0) Serve(client);
    }
  }

  // Reads one request (headers, then Content-Length bytes), answers 200 and closes.
  void Serve(int client) {
    std::string data;
    char buffer[4096];
    size_t header_end = std::string::npos;
    size_t wanted = 0;
    while (true) {
      pollfd wait{client, POLLIN, 0};
      if (poll(&wait, 1, 5000) <= 0) break;
      ssize_t n = read(client, buffer, sizeof buffer);
      if (n <= 0) break;
      data.append(buffer, n);
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        std::string headers = data.substr(0, header_end);
        std::transform(headers.begin(), headers.end(), headers.begin(), ::tolower);
        size_t at = headers.find("content-length:");
        wanted = at == std::string::npos ? 0 : std::atoi(headers.c_str() + at + 15);
      }
      if (data.size() >= header_end + 4 + wanted) break;
    }
    const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    ssize_t written = write(client, reply, sizeof reply - 1);
    (void)written;
    close(client);
    if (header_end == std::string::npos) return;
    std::lock_guard<std::mutex> lock(mutex_);
    request_lines_.push_back(data.substr(0, data.find("\r\n")));
    bodies_.push_back(data.substr(header_end + 4));
    nlohmann::json message = nlohmann::json::parse(data.substr(header_end + 4), nullptr, false);
    if (!message.is_discarded()) messages_.push_back(message);
  }

  int listen_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> request_lines_;
  std::vector<std::string> bodies_;
  std::vector<nlohmann::json> messages_;
};

// One HTTP request through curl: status code and body.
struct Reply {
  int status = 0;
  std::string body;
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class ServeTest : public testing::ReconcileFixture {
 protected:
  void TearDown() override {
    if (serve_ > 0) {
      kill(serve_, SIGKILL);
      waitpid(serve_, nullptr, 0);
    }
    ReconcileFixture::TearDown();
  }

  Reply Http(const std::string& method, const std::string& path, const std::string& token = "") {
    std::vector<std::string> argv = {"/usr/bin/curl", "-s", "-m", "30", "-X", method,
                                     "-w", "\n%{http_code}", base_ + path};
    if (!token.empty()) argv.insert(argv.end() - 1, {"-H", "Authorization: Bearer " + token});
    CommandResult r = RunCommand(argv);
    Reply reply;
    size_t newline = r.out.rfind('\n');
    if (newline == std::string::npos) return reply;
    reply.status = std::atoi(r.out.c_str() + newline + 1);
    reply.body = r.out.substr(0, newline);
    return reply;
  }

  // Polls `check` every 200 ms until it holds or `seconds` pass.
  bool WaitFor(const std::function<bool()>& check, int seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (check()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return check();
  }

  nlohmann::json Env(const std::string& name) {
    return Http("GET", "/api/v1/environments/" + name).Json();
  }

  std::string State(const std::string& name) {
    nlohmann::json env = Env(name);
    return env.is_object() ? env.value("state", "") : "";
  }

  // The number of `name`'s newest pass (0 before the first).
  uint64_t LastPass(const std::string& name) {
    nlohmann::json env = Env(name);
    if (!env.is_object() || !env["passes"].is_array() || env["passes"].empty()) return 0;
    return env["passes"][0].value("number", uint64_t{0});
  }

  std::string Log() {
    CommandResult r = RunCommand({"/bin/cat", dir_ + "/serve.log"});
    return r.out;
  }

  // What a person sees of the status page (GET /) in headless Chromium: the DOM after loading,
  // without the style sheet and the tags, character references resolved, whitespace collapsed.
  // Fails (never skips) when chromium is missing: deploy/install-deps.sh installs it.
  std::string BrowserText() {
    const std::string chromium = "/usr/bin/chromium";
    if (!std::filesystem::exists(chromium)) {
      ADD_FAILURE() << chromium << " is missing: run deploy/install-deps.sh (Debian's chromium)";
      return "";
    }
    // As root Chromium needs --no-sandbox; a profile of its own per run.
    CommandResult r = RunCommand({"/usr/bin/timeout", "30", chromium, "--headless", "--no-sandbox",
                                  "--disable-gpu", "--no-first-run", "--disable-extensions",
                                  "--user-data-dir=" + dir_ + "/chromium", "--dump-dom",
                                  base_ + "/"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string dom = r.out;
    size_t style = dom.find("<style>");
    size_t style_end = dom.find("</style>");
    if (style != std::string::npos && style_end != std::string::npos) {
      dom.erase(style, style_end - style);
    }
    std::string text;
    bool in_tag = false;
    for (char c : dom) {
      if (c == '<') in_tag = true;
      if (!in_tag) text += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
      if (c == '>') {
        in_tag = false;
        text += ' ';
      }
    }
    for (auto [entity, character] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
                                     {"&#39;", "'"}, {"&nbsp;", " "}, {"&amp;", "&"}}) {
      text = testing::Replace(text, entity, character);
    }
    std::string collapsed;
    for (char c : text) {
      if (c != ' ' || (!collapsed.empty() && collapsed.back() != ' ')) collapsed += c;
    }
    return collapsed;
  }

  // The serve config: interval 2 s, the token file, the webhook, links under `public_url`,
  // `policies` under environments, then `more` (top-level keys).
  void WriteConfig(const std::string& policies, const std::string& public_url,
                   const std::string& more = "") {
    testing::WriteFile(dir_ + "/serve.yaml",
                       "specs: specs\ninterval: 2\nmax_concurrent: 3\nlisten: " + listen_ +
                           "\ntoken_file: token\nbackoff: {initial: 1, max: 2}\n"
                           "lock_timeout: 20\npublic_url: " + public_url + "\n"
                           "notify:\n  - {name: hook, url: \"" + hook_url_ +
                           "\", format: json}\nenvironments:\n" + policies + more);
  }

  pid_t serve_ = -1;
  std::string base_;
  std::string listen_;
  std::string hook_url_;
};

TEST_F(ServeTest, ReconcilesReportsDegradesStallsNotifiesAndStops) {
  MakeProdAndTest(
      "CREATE SCHEMA app AUTHORIZATION {owner};"
      "CREATE TABLE app.customers (id int PRIMARY KEY, name text, note text);"
      "GRANT SELECT ON app.customers TO {reader};");
  if (HasFatalFailure()) return;
  std::string spec_text;
  {
    std::string path = WriteSpec("", IgnoreOthersYaml());
    spec_text = testing::Replace(RunCommand({"/bin/cat", path}).out, "snapshot: prod",
                                 "snapshot: " + dir_ + "/prod");
  }
  std::string specs = dir_ + "/specs";
  std::filesystem::create_directories(specs);
  int proxy_port = FreePort();
  testing::WriteFile(specs + "/good.yaml", spec_text);
  testing::WriteFile(specs + "/flaky.yaml",
                     testing::Replace(spec_text, "port: " + std::to_string(testing::TestServerPort()),
                                      "port: " + std::to_string(proxy_port)));
  testing::WriteFile(specs + "/bad.yaml", spec_text + "bogus: 1\n");
  std::string token = "t0ken-" + prefix_;
  testing::WriteFile(dir_ + "/token", token + "\n");
  WebhookReceiver receiver;
  int hook_port = receiver.Start();
  ASSERT_GT(hook_port, 0);
  std::string hook_secret = "s3cret-" + prefix_;
  hook_url_ = "http://127.0.0.1:" + std::to_string(hook_port) + "/hooks/" + hook_secret;
  listen_ = "127.0.0.1:" + std::to_string(FreePort());
  base_ = "http://" + listen_;
  // good only plans at first (drift is reported and left), flaky always.
  WriteConfig("  good: {policy: plan-only}\n  flaky: {policy: plan-only}\n",
              "https://pgtwin.example.com/", "daily_summary: \"6:30\"\n");
  Proxy proxy(proxy_port, testing::TestServerPort());
  proxy.Start();

  serve_ = fork();
  ASSERT_GE(serve_, 0);
  if (serve_ == 0) {
    int log = open((dir_ + "/serve.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log, 2);
    dup2(log, 1);
    std::string binary = testing::PgtwinBinary();
    std::string config = dir_ + "/serve.yaml";
    execl(binary.c_str(), binary.c_str(), "serve", "--config", config.c_str(), nullptr);
    _exit(127);
  }
  ASSERT_TRUE(WaitFor([this] { return Http("GET", "/healthz").status == 200; }, 20)) << Log();
  EXPECT_TRUE(WaitFor(
      [this] { return Log().find("daily summary at 06:30 (host time); next ") != std::string::npos; },
      10))
      << Log();

  // Every environment settles: good and flaky Ready, bad Stalled with file:line:col.
  ASSERT_TRUE(WaitFor([this] { return State("good") == "Ready"; }, 30)) << Log();
  ASSERT_TRUE(WaitFor([this] { return State("flaky") == "Ready"; }, 30)) << Log();
  ASSERT_TRUE(WaitFor([this] { return State("bad") == "Stalled"; }, 10)) << Log();
  nlohmann::json bad = Env("bad");
  EXPECT_EQ(bad["reason"], "SpecInvalid");
  EXPECT_THAT(bad["message"].get<std::string>(),
              ::testing::MatchesRegex(specs + "/bad\\.yaml:[0-9]+:1: unknown key 'bogus'.*"));
  EXPECT_EQ(bad["conditions"][3]["type"], "Stalled");
  EXPECT_EQ(bad["conditions"][3]["status"], true);
  nlohmann::json list = Http("GET", "/api/v1/environments").Json();
  ASSERT_EQ(list["environments"].size(), 3u);
  EXPECT_EQ(list["environments"][0]["name"], "bad");
  // The start is no news for a Ready environment; an invalid spec is.
  ASSERT_TRUE(WaitFor([&] { return receiver.For("bad").size() == 1; }, 10)) << receiver.Dump();
  EXPECT_EQ(receiver.For("bad")[0]["headline"], "spec invalid");
  EXPECT_TRUE(receiver.For("good").empty()) << receiver.Dump();

  // A change made by hand in Test: the next pass reports it as drift (plan only), once.
  testing::RunSql(database_, "ALTER TABLE app.customers DROP COLUMN note");
  auto dropped = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([this] { return State("good") == "Drifted"; }, 10)) << Log();
  double seen_after =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - dropped).count();
  std::printf("drift seen in the API %.1f s after the change (interval 2 s)\n", seen_after);
  nlohmann::json drifted = Env("good");
  EXPECT_EQ(drifted["reason"], "PlanOnly");
  EXPECT_EQ(drifted["drift"].value("column", 0), 1) << drifted.dump(2);
  std::string metrics = Http("GET", "/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("pgtwin_drift_objects{environment=\"good\",kind=\"column\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("pgtwin_environment_ready{environment=\"good\"} 0"));
  EXPECT_THAT(metrics, HasSubstr("pgtwin_passes_total{environment=\"good\",result=\"drift\"}"));
  // The status page, as a person sees it in a browser: every environment with its state, the
  // Stalled one's file:line:col, good's drift by kind and its last plan.
  CommandResult head = RunCommand({"/usr/bin/curl", "-s", "-o", "/dev/null", "-w",
                                   "%{http_code} %{content_type}", base_ + "/"});
  EXPECT_EQ(head.out, "200 text/html; charset=utf-8");
  auto browsed = std::chrono::steady_clock::now();
  std::string page = BrowserText();
  std::printf("status page read in headless Chromium in %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - browsed).count());
  EXPECT_THAT(page, HasSubstr("pgtwin serve 3 environments")) << page;
  EXPECT_THAT(page, ::testing::MatchesRegex(".*bad Stalled (Reconciling )?SpecInvalid .*"))
      << page;
  EXPECT_THAT(page, ::testing::MatchesRegex(".*" + specs +
                                            "/bad\\.yaml:[0-9]+:1: unknown key 'bogus'.*"))
      << page;
  EXPECT_THAT(page, ::testing::MatchesRegex(".*flaky (Ready|Drifted) (Reconciling )?[A-Z].*"))
      << page;
  // A pass may be running (interval 2 s): then "Reconciling" stands beside the state.
  EXPECT_THAT(page, ::testing::MatchesRegex(".*good Drifted (Reconciling )?PlanOnly .*")) << page;
  size_t good_at = page.find("good Drifted");
  ASSERT_NE(good_at, std::string::npos) << page;
  std::string good_text = page.substr(good_at);
  EXPECT_THAT(good_text, HasSubstr("Drift column 1")) << good_text;
  EXPECT_THAT(good_text, HasSubstr("drift in")) << good_text;  // the last pass's result
  EXPECT_THAT(good_text, HasSubstr("Last plan: 1 action, planned only")) << good_text;
  EXPECT_THAT(good_text, HasSubstr("+ create column:app.customers.note")) << good_text;
  ASSERT_TRUE(WaitFor([&] { return receiver.For("good").size() == 1; }, 10)) << receiver.Dump();
  nlohmann::json found = receiver.For("good")[0];
  EXPECT_EQ(found["headline"], "drift found");
  EXPECT_EQ(found["old_state"], "Ready");
  EXPECT_EQ(found["new_state"], "Drifted");
  EXPECT_EQ(found["reason"], "PlanOnly");
  EXPECT_EQ(found["link"], "https://pgtwin.example.com/api/v1/environments/good");
  // Two more passes find the same drift: no second message.
  uint64_t pass = LastPass("good");
  ASSERT_TRUE(WaitFor([&] { return LastPass("good") >= pass + 2; }, 15)) << Log();
  EXPECT_EQ(State("good"), "Drifted");
  EXPECT_EQ(receiver.For("good").size(), 1u) << receiver.Dump();

  // SIGHUP with good set to apply and another public_url: the next pass repairs the drift,
  // good is Ready again and the receiver hears that once, linking under the new URL.
  WriteConfig("  flaky: {policy: plan-only}\n", "https://pgtwin2.example.com");
  kill(serve_, SIGHUP);
  ASSERT_TRUE(WaitFor([this] { return Env("good").value("policy", "") == "apply"; }, 10))
      << Log();
  // The key is gone from the config.
  EXPECT_TRUE(WaitFor([this] { return Log().find("daily summary: off") != std::string::npos; }, 10))
      << Log();
  ASSERT_TRUE(WaitFor(
      [this] {
        nlohmann::json env = Env("good");
        for (const nlohmann::json& pass : env["passes"]) {
          if (pass["applied"] == true && pass["drift"].value("column", 0) == 1 &&
              pass["result"] == "converged" && pass["actions"]["done"] == 1) {
            return env["state"] == "Ready";
          }
        }
        return false;
      },
      30))
      << Env("good").dump(2) << Log();
  metrics = Http("GET", "/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("pgtwin_actions_total{environment=\"good\",kind=\"column\","
                                 "result=\"done\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("pgtwin_environment_ready{environment=\"good\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("pgtwin_passes_total{environment=\"bad\",result=\"invalid\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("pgtwin_pass_duration_seconds_count{environment=\"good\"}"));
  ASSERT_TRUE(WaitFor([&] { return receiver.For("good").size() == 2; }, 10)) << receiver.Dump();
  EXPECT_EQ(receiver.For("good")[1]["headline"], "converged");
  EXPECT_EQ(receiver.For("good")[1]["new_state"], "Ready");
  EXPECT_EQ(receiver.For("good")[1]["link"],
            "https://pgtwin2.example.com/api/v1/environments/good");
  nlohmann::json detail = Env("good");
  EXPECT_EQ(detail["conditions"][0]["type"], "Ready");
  EXPECT_EQ(detail["conditions"][0]["status"], true);
  ASSERT_TRUE(detail["last_run"].is_object());

  // Test unreachable: Degraded with the reason; back: Ready, without a restart.
  // flaky (plan-only, the same database) may have seen the drift too: its messages settle.
  ASSERT_TRUE(WaitFor([this] { return State("flaky") == "Ready"; }, 15)) << Log();
  ASSERT_TRUE(WaitFor(
      [&] {
        std::vector<nlohmann::json> sent = receiver.For("flaky");
        return sent.empty() || sent.back()["new_state"] == "Ready";
      },
      10))
      << receiver.Dump();
  size_t flaky_before = receiver.For("flaky").size();
  proxy.Cut();
  ASSERT_TRUE(WaitFor([this] { return State("flaky") == "Degraded"; }, 15)) << Log();
  nlohmann::json flaky = Env("flaky");
  EXPECT_EQ(flaky["reason"], "SiteUnreachable");
  EXPECT_THAT(flaky["message"].get<std::string>(), HasSubstr("site dc1:"));
  EXPECT_EQ(flaky["conditions"][2]["type"], "Degraded");
  EXPECT_EQ(flaky["conditions"][2]["status"], true);
  EXPECT_THAT(Http("GET", "/metrics").body,
              HasSubstr("pgtwin_environment_ready{environment=\"flaky\"} 0"));
  proxy.Start();
  ASSERT_TRUE(WaitFor([this] { return State("flaky") == "Ready"; }, 15)) << Log();
  EXPECT_EQ(State("good"), "Ready");
  EXPECT_EQ(State("bad"), "Stalled");
  ASSERT_TRUE(WaitFor([&] { return receiver.For("flaky").size() == flaky_before + 2; }, 10))
      << receiver.Dump();
  EXPECT_EQ(receiver.For("flaky")[flaky_before]["headline"], "failed");
  EXPECT_EQ(receiver.For("flaky")[flaky_before + 1]["headline"], "recovered");

  // The API: the token, unknown environments, methods, the plan and the summary.
  EXPECT_EQ(Http("POST", "/api/v1/environments/good/reconcile").status, 401);
  EXPECT_EQ(Http("POST", "/api/v1/environments/good/reconcile", "wrong").status, 401);
  Reply unknown = Http("GET", "/api/v1/environments/nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Json().value("error", ""), "no environment 'nope'") << unknown.body;
  EXPECT_EQ(Http("POST", "/api/v1/environments/nope/reconcile", token).status, 404);
  EXPECT_EQ(Http("DELETE", "/api/v1/environments/good").status, 405);
  EXPECT_EQ(Http("GET", "/nothing").status, 404);
  Reply plan = Http("GET", "/api/v1/environments/good/plan");
  EXPECT_EQ(plan.status, 200) << plan.body;
  EXPECT_EQ(plan.Json()["actions"].size(), 0u);
  EXPECT_EQ(Http("GET", "/api/v1/environments/bad/plan").status, 422);
  uint64_t before_api = LastPass("good");
  Reply accepted = Http("POST", "/api/v1/environments/good/reconcile", token);
  EXPECT_EQ(accepted.status, 202) << accepted.body;
  EXPECT_EQ(accepted.Json().value("accepted", false), true);
  ASSERT_TRUE(WaitFor(
      [&] {
        nlohmann::json env = Env("good");
        return env["passes"][0].value("number", uint64_t{0}) > before_api &&
               env["passes"][0]["trigger"] == "api";
      },
      15))
      << Env("good").dump(2);
  Reply slack = Http("GET", "/api/v1/summary?format=slack");
  EXPECT_EQ(slack.status, 200);
  EXPECT_THAT(slack.Json().value("text", ""), HasSubstr("good: Ready"));
  EXPECT_THAT(slack.Json().value("text", ""), HasSubstr("bad: Stalled (SpecInvalid)"));
  EXPECT_THAT(slack.Json().value("text", ""),
              HasSubstr("<https://pgtwin2.example.com/api/v1/environments|Status>"));
  EXPECT_EQ(Http("GET", "/api/v1/summary?format=teams").Json().value("@type", ""), "MessageCard");
  nlohmann::json summary = Http("GET", "/api/v1/summary").Json();
  ASSERT_EQ(summary["environments"].size(), 3u) << summary.dump(2);
  EXPECT_EQ(summary["environments"][1]["environment"], "flaky");
  Reply irc = Http("GET", "/api/v1/summary?format=irc");
  EXPECT_EQ(irc.status, 400);
  EXPECT_EQ(irc.Json().value("error", ""), "format 'irc' is not slack, teams or json");

  // Secrets never in the log, the API or a message; SIGTERM ends the daemon with 0.
  for (const std::string& secret : {token, hook_secret}) {
    EXPECT_THAT(Log(), ::testing::Not(HasSubstr(secret)));
    EXPECT_THAT(Http("GET", "/api/v1/environments/good").body, ::testing::Not(HasSubstr(secret)));
    EXPECT_THAT(Http("GET", "/api/v1/summary").body, ::testing::Not(HasSubstr(secret)));
    EXPECT_THAT(Http("GET", "/").body, ::testing::Not(HasSubstr(secret)));
    EXPECT_THAT(receiver.Dump(), ::testing::Not(HasSubstr(secret)));
  }
  for (const std::string& line : receiver.RequestLines()) {
    EXPECT_EQ(line, "POST /hooks/" + hook_secret + " HTTP/1.1");
  }
  EXPECT_THAT(Log(), HasSubstr("notifications to hook (json)"));
  kill(serve_, SIGTERM);
  int wait_status = 0;
  ASSERT_TRUE(WaitFor([&] { return waitpid(serve_, &wait_status, WNOHANG) == serve_; }, 30));
  serve_ = -1;
  EXPECT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0) << Log();
  EXPECT_THAT(Log(), HasSubstr("pgtwin serve: stopped"));
}

}  // namespace
}  // namespace pgtwin
