// The `pgtwin serve` config loader: values, defaults and errors at file:line:col.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>
#include <unistd.h>

#include "providers/yaml/serve_config_loader.h"

namespace pgtwin {
namespace {

std::string WriteConfig(const std::string& name, const std::string& text) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("pgtwin_serve_config_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream((dir / name).string()) << text;
  return (dir / name).string();
}

std::vector<std::string> Errors(const ServeConfigLoadResult& result) {
  std::vector<std::string> lines;
  for (const SpecError& error : result.errors) lines.push_back(error.ToString());
  return lines;
}

TEST(ServeConfig, ReadsEverySetting) {
  std::string token = WriteConfig("token", "  s3cret\n");
  std::string path = WriteConfig("serve.yaml",
                                 "specs: specs\n"
                                 "interval: 60\n"
                                 "max_concurrent: 3\n"
                                 "listen: 127.0.0.1:9000\n"
                                 "token_file: token\n"
                                 "log_format: json\n"
                                 "backoff: {initial: 2, max: 30}\n"
                                 "history: 5\n"
                                 "daily_summary: 8:05\n"
                                 "defaults: {policy: plan-only}\n"
                                 "environments:\n"
                                 "  qa1: {policy: apply, apply_window: \"22-06\"}\n"
                                 "  qa2: {suspended: true}\n");
  ServeConfigLoadResult result = LoadServeConfig(path);
  ASSERT_TRUE(result.errors.empty()) << Errors(result)[0];
  const ServeConfig& config = *result.config;
  EXPECT_EQ(config.specs_dir, (std::filesystem::path(path).parent_path() / "specs").string());
  EXPECT_EQ(config.interval_seconds, 60);
  EXPECT_EQ(config.max_concurrent, 3);
  EXPECT_EQ(config.listen, "127.0.0.1:9000");
  EXPECT_EQ(config.token, "s3cret");
  EXPECT_EQ(config.log_format, "json");
  EXPECT_EQ(config.backoff_initial_seconds, 2);
  EXPECT_EQ(config.backoff_max_seconds, 30);
  EXPECT_EQ(config.history, 5);
  ASSERT_TRUE(config.daily_summary.has_value());
  EXPECT_EQ(config.daily_summary->ToString(), "08:05");
  EXPECT_FALSE(config.PolicyFor("other").apply);
  EXPECT_TRUE(config.PolicyFor("qa1").apply);
  ASSERT_TRUE(config.PolicyFor("qa1").window.has_value());
  EXPECT_EQ(config.PolicyFor("qa1").window->ToString(), "22-06");
  EXPECT_TRUE(config.PolicyFor("qa2").suspended);
  EXPECT_FALSE(config.PolicyFor("qa2").apply);  // inherits the defaults
}

TEST(ServeConfig, ErrorsNameTheirPlace) {
  std::string path = WriteConfig("bad.yaml",
                                 "specs: specs\n"
                                 "interval: 0\n"
                                 "listen: nowhere\n"
                                 "colour: red\n"
                                 "token: abc\n"
                                 "token_file: t\n"
                                 "environments:\n"
                                 "  qa1: {policy: sometimes, apply_window: \"25-3\"}\n"
                                 "  qa2: {suspended: yes}\n");
  ServeConfigLoadResult result = LoadServeConfig(path);
  EXPECT_FALSE(result.config.has_value());
  std::vector<std::string> errors = Errors(result);
  std::vector<std::string> expected = {
      path + ":2:11: interval: 0 is out of range (1-86400)",
      path + ":3:9: listen: 'nowhere' is not HOST:PORT",
      path + ":4:1: unknown key 'colour' (known: specs, interval, max_concurrent, listen, token, "
             "token_file, log_format, backoff, history, shutdown_grace, lock_timeout, defaults, "
             "environments, notify, public_url, daily_summary)",
      path + ":6:13: token_file: give token or token_file, not both",
      path + ":8:17: policy in environment 'qa1': 'sometimes' is not a policy (apply or "
             "plan-only)",
      path + ":8:42: apply_window in environment 'qa1': '25-3': hours go from 0 to 23 (24 only "
             "as an end)",
      path + ":9:20: suspended in environment 'qa2': expected true or false, got 'yes'",
  };
  EXPECT_EQ(errors, expected);
  for (const std::string& error : errors) EXPECT_EQ(error.find("abc"), std::string::npos);
}

TEST(ServeConfig, DailySummaryIsOffByDefaultAndErrorsNameTheirPlace) {
  std::string plain = WriteConfig("plain.yaml", "specs: specs\n");
  ServeConfigLoadResult result = LoadServeConfig(plain);
  ASSERT_TRUE(result.errors.empty()) << Errors(result)[0];
  EXPECT_FALSE(result.config->daily_summary.has_value());
  for (const auto& [text, message] :
       std::vector<std::pair<std::string, std::string>>{
           {"\"24:00\"", "'24:00': hours go from 0 to 23, minutes from 00 to 59"},
           {"\"07:60\"", "'07:60': hours go from 0 to 23, minutes from 00 to 59"},
           {"\"8\"", "'8' is not a time of day (write HH:MM, e.g. 08:00)"},
           {"\"8:5\"", "'8:5' is not a time of day (write HH:MM, e.g. 08:00)"},
           {"\"08:00 UTC\"", "'08:00 UTC' is not a time of day (write HH:MM, e.g. 08:00)"}}) {
    std::string path = WriteConfig("summary.yaml", "specs: specs\ndaily_summary: " + text + "\n");
    ServeConfigLoadResult bad = LoadServeConfig(path);
    EXPECT_FALSE(bad.config.has_value());
    EXPECT_EQ(Errors(bad), std::vector<std::string>{path + ":2:16: daily_summary: " + message});
  }
}

TEST(ServeConfig, ReadsNotifyTargets) {
  std::string url_file = WriteConfig("teams-url", "https://teams.example.com/hook/s3cret\n");
  std::string path = WriteConfig("notify.yaml",
                                 "specs: specs\n"
                                 "listen: 127.0.0.1:9000\n"
                                 "notify:\n"
                                 "  - {name: chat, url: \"https://hooks.example.com/T/B/x\", "
                                 "format: slack}\n"
                                 "  - {name: teams, url_file: teams-url, format: teams}\n"
                                 "  - {name: script, url: \"http://127.0.0.1:9100/in\"}\n");
  ServeConfigLoadResult result = LoadServeConfig(path);
  ASSERT_TRUE(result.errors.empty()) << Errors(result)[0];
  const ServeConfig& config = *result.config;
  ASSERT_EQ(config.notify.size(), 3u);
  EXPECT_EQ(config.notify[0].name, "chat");
  EXPECT_EQ(config.notify[0].url, "https://hooks.example.com/T/B/x");
  EXPECT_EQ(config.notify[0].format, "slack");
  EXPECT_EQ(config.notify[1].url, "https://teams.example.com/hook/s3cret");
  EXPECT_EQ(config.notify[1].format, "teams");
  EXPECT_EQ(config.notify[2].format, "json");
  EXPECT_EQ(config.LinkBase(), "http://127.0.0.1:9000");
  ServeConfig with_public = config;
  with_public.public_url = "https://pgtwin.example.com/";
  EXPECT_EQ(with_public.LinkBase(), "https://pgtwin.example.com");
}

TEST(ServeConfig, NotifyErrorsNameTheirPlaceAndNeverTheUrl) {
  std::string path = WriteConfig("bad-notify.yaml",
                                 "specs: specs\n"
                                 "public_url: pgtwin.example.com\n"
                                 "notify:\n"
                                 "  - {name: chat, url: \"hooks.example.com/s3cret\"}\n"
                                 "  - {name: chat, url: \"https://a.example.com/s3cret\", "
                                 "format: irc}\n"
                                 "  - {format: json, colour: red}\n");
  ServeConfigLoadResult result = LoadServeConfig(path);
  EXPECT_FALSE(result.config.has_value());
  std::vector<std::string> errors = Errors(result);
  std::vector<std::string> expected = {
      path + ":2:13: public_url: 'pgtwin.example.com' is not an http:// or https:// URL",
      path + ":4:23: url in notify target 'chat': expected an http:// or https:// URL (the "
             "value is not shown)",
      path + ":5:12: notify: the name 'chat' is used twice (first at line 4)",
      path + ":5:63: format in notify target 'chat': 'irc' is not slack, teams or json",
      path + ":6:5: missing key 'name' in notify[2]",
      path + ":6:5: missing key 'url' (or 'url_file') in notify[2]",
      path + ":6:20: unknown key 'colour' in notify[2] (known: name, url, url_file, format)",
  };
  EXPECT_EQ(errors, expected);
  for (const std::string& error : errors) EXPECT_EQ(error.find("s3cret"), std::string::npos);
}

TEST(ServeConfig, MissingSpecsAndBadYaml) {
  EXPECT_EQ(Errors(LoadServeConfig(WriteConfig("empty.yaml", "interval: 5\n"))),
            std::vector<std::string>{WriteConfig("empty.yaml", "interval: 5\n") +
                                     ":1:1: missing key 'specs'"});
  ServeConfigLoadResult broken = LoadServeConfig(WriteConfig("broken.yaml", "specs: [\n"));
  ASSERT_EQ(broken.errors.size(), 1u);
  EXPECT_NE(broken.errors[0].ToString().find("invalid YAML"), std::string::npos);
}

}  // namespace
}  // namespace pgtwin
