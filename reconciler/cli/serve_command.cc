#include "reconciler/cli/serve_command.h"

#include <signal.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "providers/http/http_server.h"
#include "providers/webhook/webhook_client.h"
#include "providers/yaml/serve_config_loader.h"
#include "reconciler/cli/exit_codes.h"
#include "reconciler/cli/spec_errors.h"
#include "reconciler/notify/listener_slot.h"
#include "reconciler/notify/webhook_notifier.h"
#include "reconciler/run/reconcile_run.h"
#include "reconciler/serve/serve_api.h"
#include "reconciler/serve/summary_schedule.h"
#include "reconciler/serve/supervisor.h"

namespace pgtwin {
namespace {

// Flags given on the command line; each overrides the config file's value.
struct ServeFlags {
  std::string config;
  std::optional<std::string> specs;
  std::optional<int> interval;
  std::optional<int> max_concurrent;
  std::optional<std::string> listen;
  std::optional<std::string> token_file;
  std::optional<std::string> log_format;
};

// The log message as a JSON string body (quotes, backslashes and control characters escaped).
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char c : msg.payload) {
      if (c == '"' || c == '\\') {
        dest.push_back('\\');
        dest.push_back(c);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        dest.append(escaped, escaped + 6);
      } else {
        dest.push_back(c);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// Logs go to stderr (journald keeps them): readable text, or one JSON object per line.
void ConfigureServeLogging(const std::string& format) {
  auto logger = std::make_shared<spdlog::logger>(
      "pgtwin", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        "{\"time\":\"%Y-%m-%dT%H:%M:%S.%e%z\",\"level\":\"%l\",\"message\":\"%*\"}");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l: %v");
  }
  logger->set_level(spdlog::get_level() == spdlog::level::debug ? spdlog::level::debug
                                                                 : spdlog::level::info);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

// The config from the file (when given) with the flags applied; errors printed as
// file:line:col.
StatusOr<ServeConfig> LoadConfig(const ServeFlags& flags) {
  ServeConfig config;
  if (!flags.config.empty()) {
    ServeConfigLoadResult loaded = LoadServeConfig(flags.config);
    if (!loaded.errors.empty()) {
      PrintSpecErrors(loaded.errors);
      return Status(StatusCode::kInvalidArgument,
                    flags.config + ": " + std::to_string(loaded.errors.size()) +
                        (loaded.errors.size() == 1 ? " error" : " errors"));
    }
    config = std::move(*loaded.config);
  }
  if (flags.specs) config.specs_dir = *flags.specs;
  if (flags.interval) config.interval_seconds = *flags.interval;
  if (flags.max_concurrent) config.max_concurrent = *flags.max_concurrent;
  if (flags.listen) config.listen = *flags.listen;
  if (flags.log_format) config.log_format = *flags.log_format;
  if (flags.token_file) {
    StatusOr<std::string> token = ReadTokenFile(*flags.token_file);
    if (!token.ok()) return Status(token.status().code(), "--token-file " + token.status().message());
    config.token = *token;
  }
  if (config.specs_dir.empty()) {
    return Status(StatusCode::kInvalidArgument, "no specs directory: give --specs or --config");
  }
  return config;
}

// How long one webhook delivery may take before it counts as failed (and is retried).
constexpr std::chrono::seconds kWebhookTimeout(10);

// The notifier of the config's webhook targets, or nullptr when there are none. Logs the
// targets by name and format (never their URLs).
std::unique_ptr<WebhookNotifier> MakeNotifier(const ServeConfig& config) {
  if (config.notify.empty()) {
    spdlog::info("no notify targets: notifications off");
    return nullptr;
  }
  std::vector<WebhookTarget> targets;
  std::string shown;
  for (const NotifyTarget& target : config.notify) {
    targets.push_back(WebhookTarget{target.name, target.url,
                                    ParseChatFormat(target.format).value_or(ChatFormat::kJson)});
    shown += (shown.empty() ? "" : ", ") + target.name + " (" + target.format + ")";
  }
  spdlog::info("notifications to {}; links under {}", shown, config.LinkBase());
  return std::make_unique<WebhookNotifier>(
      std::move(targets), config.LinkBase(),
      [](const WebhookTarget& target, const std::string& body) {
        return PostWebhook(target.name, target.url, body, kWebhookTimeout);
      });
}

// True when `a` and `b` notify the same targets with the same links.
bool SameNotify(const ServeConfig& a, const ServeConfig& b) {
  if (a.LinkBase() != b.LinkBase() || a.notify.size() != b.notify.size()) return false;
  for (size_t i = 0; i < a.notify.size(); ++i) {
    const NotifyTarget& x = a.notify[i];
    const NotifyTarget& y = b.notify[i];
    if (x.name != y.name || x.url != y.url || x.format != y.format) return false;
  }
  return true;
}

// Sets `schedule` from the config's daily_summary and logs when the next summary is due.
void ScheduleSummary(const ServeConfig& config, SummarySchedule* schedule) {
  schedule->Set(config.daily_summary, std::time(nullptr));
  if (!schedule->next()) {
    spdlog::info("daily summary: off");
    return;
  }
  std::time_t next = *schedule->next();
  std::tm local{};
  localtime_r(&next, &local);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", &local);
  spdlog::info("daily summary at {} (host time){}; next {}", config.daily_summary->ToString(),
               config.notify.empty() ? ", but there are no notify targets" : "", when);
}

Status RunServe(const ServeFlags& flags) {
  StatusOr<ServeConfig> config = LoadConfig(flags);
  if (!config.ok()) return config.status();
  ConfigureServeLogging(config->log_format);

  // Signals are taken by this thread only (sigtimedwait); every thread started later
  // inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Declared before the supervisor, so it outlives every worker that may call it.
  ListenerSlot notifications;
  notifications.Replace(MakeNotifier(*config));
  ServeConfig notifying = *config;  // the config the notifier was made from
  auto supervisor = std::make_unique<Supervisor>(*config, RunReconcile);
  supervisor->AddListener(&notifications);
  StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(
      config->listen, [&supervisor](const HttpRequest& request) {
        return HandleApiRequest(*supervisor, request);
      });
  if (!server.ok()) return server.status();
  spdlog::info("pgtwin serve: specs {}, interval {}s, at most {} passes at once, API on http://{}",
               config->specs_dir, config->interval_seconds, config->max_concurrent,
               config->listen);
  supervisor->ScanSpecs();
  SummarySchedule summary;
  ScheduleSummary(*config, &summary);
  int grace = config->shutdown_grace_seconds;
  while (true) {
    if (summary.Due(std::time(nullptr))) {
      spdlog::info("daily summary: sending");
      notifications.OnSummary(supervisor->Statuses(false));
    }
    timespec second{1, 0};
    int signal = sigtimedwait(&signals, nullptr, &second);
    if (signal == SIGTERM || signal == SIGINT) break;
    if (signal == SIGHUP) {
      StatusOr<ServeConfig> reloaded = LoadConfig(flags);
      if (!reloaded.ok()) {
        spdlog::error("config not reloaded: {}", reloaded.status().message());
      } else {
        if (reloaded->listen != config->listen) {
          spdlog::warn("listen changed in the config: takes effect after a restart");
        }
        if (!SameNotify(*reloaded, notifying)) {
          notifications.Replace(MakeNotifier(*reloaded));  // the old one sends its queue first
          notifying = *reloaded;
        }
        grace = reloaded->shutdown_grace_seconds;
        supervisor->Reload(*reloaded);
        ScheduleSummary(*reloaded, &summary);
      }
      continue;
    }
    supervisor->ScanSpecs();
  }
  spdlog::info("pgtwin serve: stopping (running passes abandon their remaining actions)");
  server->reset();
  if (!supervisor->Stop(std::chrono::seconds(grace))) {
    spdlog::warn("pgtwin serve: a pass did not end within {}s; exiting anyway", grace);
    std::fflush(nullptr);
    std::_Exit(kExitOk);  // the server rolls back the transaction of the statement in flight
  }
  supervisor.reset();
  spdlog::info("pgtwin serve: stopped");
  return Status::Ok();
}

}  // namespace

void RegisterServeCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand(
      "serve", "Reconcile every environment of a specs directory continuously, with a REST API");
  serve->add_option("--config", flags->config, "Config file (YAML; docs/cli.md, serve)");
  serve->add_option("--specs", flags->specs, "Directory of spec files (ENV.yaml)");
  serve->add_option("--interval", flags->interval, "Seconds between passes (default: 300)")
      ->check(CLI::Range(1, 86400));
  serve->add_option("--max-concurrent", flags->max_concurrent,
                    "Passes running at once (default: 2)")
      ->check(CLI::Range(1, 64));
  serve->add_option("--listen", flags->listen, "HOST:PORT of the API (default: 127.0.0.1:8470)");
  serve->add_option("--token-file", flags->token_file,
                    "File holding the bearer token for POST requests");
  serve->add_option("--log-format", flags->log_format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  serve->callback([flags, exit_code] {
    Status status = RunServe(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace pgtwin
