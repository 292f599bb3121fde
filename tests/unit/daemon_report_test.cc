// What a user sees of the replication daemons of a pass (report.daemons): the "Daemons:"
// section of `pgtwin reconcile`, the "daemons" array of its JSON, the daemon gauges of
// `pgtwin serve`'s /metrics and the daemons table of its status page.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "reconciler/report/plan_json.h"
#include "reconciler/report/plan_text.h"
#include "reconciler/serve/metrics.h"
#include "reconciler/serve/status_page.h"

namespace pgtwin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

DaemonStatus Daemon(std::string name, std::string site, std::string database) {
  DaemonStatus daemon;
  daemon.name = std::move(name);
  daemon.site = std::move(site);
  daemon.database = std::move(database);
  return daemon;
}

// A running leaf worker behind by 1.25 s, a root worker not running with an error, a pgqd.
ReconcileReport DaemonReport() {
  ReconcileReport report;
  report.environment = "qa1";
  DaemonStatus leaf = Daemon("l3_accountdb_p000_dc2", "dc2", "accountdb_p000");
  leaf.running = true;
  leaf.pid = 4242;
  leaf.lag_seconds = 1.25;
  leaf.last_seen_seconds = 0.4;
  DaemonStatus root = Daemon("l3_root_dc1", "dc1", "accountdb_p000");
  root.lag_seconds = 3;
  root.error = "boom <b>&</b>";
  DaemonStatus pgqd = Daemon("pgqd_dc1", "dc1", "");
  pgqd.running = true;
  pgqd.pid = 77;
  report.daemons = {leaf, root, pgqd};
  return report;
}

TEST(DaemonsText, OneAlignedLinePerDaemonAfterTheOutput) {
  std::ostringstream out;
  WriteDaemonsText(DaemonReport(), false, out);
  EXPECT_EQ(out.str(),
            "\n"
            "Daemons:\n"
            "  l3_accountdb_p000_dc2  dc2/accountdb_p000  running (pid 4242)  lag 1.2 s  "
            "last seen 0.4 s ago\n"
            "  l3_root_dc1            dc1/accountdb_p000  not running         lag 3.0 s  "
            "                     error: boom <b>&</b>\n"
            "  pgqd_dc1               dc1                 running (pid 77)\n");
}

TEST(DaemonsText, SaysNothingWithoutDaemons) {
  std::ostringstream out;
  WriteDaemonsText(ReconcileReport(), false, out);
  EXPECT_EQ(out.str(), "");
}

TEST(DaemonsText, ColoursRunningAndErrorsOnlyWhenAsked) {
  std::ostringstream plain;
  std::ostringstream coloured;
  WriteDaemonsText(DaemonReport(), false, plain);
  WriteDaemonsText(DaemonReport(), true, coloured);
  EXPECT_THAT(plain.str(), Not(HasSubstr("\033[")));
  EXPECT_THAT(coloured.str(), HasSubstr("\033[32mrunning (pid 4242)\033[0m"));
  EXPECT_THAT(coloured.str(), HasSubstr("\033[31merror: boom <b>&</b>\033[0m"));
}

TEST(DaemonsJson, ArrayWithNullForWhatIsUnknown) {
  std::ostringstream out;
  WriteReconcileJson(DaemonReport(), out);
  nlohmann::json json = nlohmann::json::parse(out.str());
  ASSERT_EQ(json["daemons"].size(), 3u);
  EXPECT_EQ(json["daemons"][0], nlohmann::json::parse(R"({"name":"l3_accountdb_p000_dc2",
      "site":"dc2","database":"accountdb_p000","running":true,"pid":4242,"lag_seconds":1.25,
      "last_seen_seconds":0.4,"error":null})"));
  EXPECT_EQ(json["daemons"][1]["running"], false);
  EXPECT_EQ(json["daemons"][1]["pid"], nullptr);
  EXPECT_EQ(json["daemons"][1]["last_seen_seconds"], nullptr);
  EXPECT_EQ(json["daemons"][1]["error"], "boom <b>&</b>");
  EXPECT_EQ(json["daemons"][2]["database"], nullptr);
  EXPECT_EQ(json["daemons"][2]["lag_seconds"], nullptr);

  std::ostringstream empty;
  WriteReconcileJson(ReconcileReport(), empty);
  EXPECT_EQ(nlohmann::json::parse(empty.str())["daemons"], nlohmann::json::array());
}

TEST(DaemonsMetrics, RunningForEveryDaemonLagOnlyWhenKnown) {
  ServeMetrics metrics;
  ReconcileReport report = DaemonReport();
  metrics.RecordPass("qa1", PassRecord(), &report);
  EnvStatus status;
  status.name = "qa1";
  std::string text = metrics.Render({status});
  EXPECT_THAT(text, HasSubstr("# HELP pgtwin_daemon_running "));
  EXPECT_THAT(text, HasSubstr("# TYPE pgtwin_daemon_running gauge\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE pgtwin_worker_lag_seconds gauge\n"));
  EXPECT_THAT(
      text,
      HasSubstr("pgtwin_daemon_running{environment=\"qa1\",daemon=\"l3_accountdb_p000_dc2\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("pgtwin_daemon_running{environment=\"qa1\",daemon=\"l3_root_dc1\"} 0\n"));
  EXPECT_THAT(text,
              HasSubstr("pgtwin_daemon_running{environment=\"qa1\",daemon=\"pgqd_dc1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("pgtwin_worker_lag_seconds{environment=\"qa1\",daemon=\"l3_accountdb_"
                              "p000_dc2\"} 1.25\n"));
  EXPECT_THAT(
      text, HasSubstr("pgtwin_worker_lag_seconds{environment=\"qa1\",daemon=\"l3_root_dc1\"} 3\n"));
  EXPECT_THAT(text, Not(HasSubstr("pgtwin_worker_lag_seconds{environment=\"qa1\",daemon=\"pgqd")));

  // A pass without a report (it failed before planning) says nothing of the daemons; an
  // environment no longer served shows none.
  metrics.RecordPass("qa1", PassRecord(), nullptr);
  EXPECT_THAT(metrics.Render({status}), Not(HasSubstr("pgtwin_daemon_running{")));
  metrics.RecordPass("qa1", PassRecord(), &report);
  EXPECT_THAT(metrics.Render({}), Not(HasSubstr("pgtwin_daemon_running{")));
}

TEST(DaemonsStatusPage, TableOfDaemonsEscaped) {
  EnvStatus status;
  status.name = "qa1";
  status.state = EnvState::kReady;
  status.last_report = DaemonReport();
  std::string page = RenderStatusPage({status}, WallTime(std::chrono::seconds(1796673600)));
  EXPECT_THAT(page, HasSubstr("<h3>Daemons</h3>"));
  EXPECT_THAT(page, HasSubstr("<td>l3_accountdb_p000_dc2</td><td>dc2/accountdb_p000</td>"
                              "<td><span class=\"running\">running (pid 4242)</span></td>"
                              "<td>lag 1.2 s</td><td>last seen 0.4 s ago</td>"));
  EXPECT_THAT(page, HasSubstr("<span class=\"stopped\">not running</span>"));
  EXPECT_THAT(page, HasSubstr("boom &lt;b&gt;&amp;&lt;/b&gt;"));
  EXPECT_THAT(page, Not(HasSubstr("<b>&</b>")));
  EXPECT_THAT(page, HasSubstr("<td>pgqd_dc1</td><td>dc1</td>"));

  status.last_report = ReconcileReport();
  EXPECT_THAT(RenderStatusPage({status}, WallTime(std::chrono::seconds(1796673600))),
              Not(HasSubstr("Daemons")));
}

}  // namespace
}  // namespace pgtwin
