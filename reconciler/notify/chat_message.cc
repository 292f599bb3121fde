#include "reconciler/notify/chat_message.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace pgtwin {
namespace {

std::string Iso8601(WallTime at) {
  std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Teams' theme colour by the new state: green, amber, red, grey.
std::string Colour(EnvState state) {
  switch (state) {
    case EnvState::kReady:
      return "2EB886";
    case EnvState::kDrifted:
      return "DAA038";
    case EnvState::kDegraded:
    case EnvState::kStalled:
      return "A30200";
    default:
      return "808080";
  }
}

// A title and body lines, rendered in the webhook's format.
std::string Render(ChatFormat format, const std::string& title,
                   const std::vector<std::string>& lines, const std::string& link,
                   EnvState colour_state) {
  if (format == ChatFormat::kSlack) {
    std::string text = "*" + title + "*";
    for (const std::string& line : lines) text += "\n" + line;
    if (!link.empty()) text += "\n<" + link + "|Status>";
    return nlohmann::json{{"text", text}}.dump();
  }
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n\n") + line;
  nlohmann::ordered_json card = {{"@type", "MessageCard"},
                                 {"@context", "https://schema.org/extensions"},
                                 {"themeColor", Colour(colour_state)},
                                 {"summary", title},
                                 {"title", title},
                                 {"text", text}};
  if (!link.empty()) {
    card["potentialAction"] = {{{"@type", "OpenUri"},
                                {"name", "Status"},
                                {"targets", {{{"os", "default"}, {"uri", link}}}}}};
  }
  return card.dump();
}

size_t DriftCount(const EnvStatus& status) {
  size_t count = 0;
  for (const auto& [kind, n] : status.drift) count += n;
  return count;
}

}  // namespace

std::optional<ChatFormat> ParseChatFormat(std::string_view text) {
  if (text == "slack") return ChatFormat::kSlack;
  if (text == "teams") return ChatFormat::kTeams;
  if (text == "json") return ChatFormat::kJson;
  return std::nullopt;
}

std::string ChangeHeadline(const StateChange& change) {
  switch (change.new_state) {
    case EnvState::kReady:
      return change.old_state == EnvState::kDegraded || change.old_state == EnvState::kStalled
                 ? "recovered"
                 : "converged";
    case EnvState::kDrifted:
      return "drift found";
    case EnvState::kDegraded:
      return "failed";
    case EnvState::kStalled:
      return "spec invalid";
    case EnvState::kSuspended:
      return "suspended";
    case EnvState::kPending:
      break;
  }
  return "pending";
}

std::string StateChangeMessage(const StateChange& change, ChatFormat format,
                               const std::string& link) {
  if (format == ChatFormat::kJson) {
    nlohmann::ordered_json event = {{"version", 1},
                                    {"event", "state_change"},
                                    {"environment", change.environment},
                                    {"headline", ChangeHeadline(change)},
                                    {"old_state", EnvStateName(change.old_state)},
                                    {"new_state", EnvStateName(change.new_state)},
                                    {"reason", change.reason},
                                    {"summary", change.summary},
                                    {"at", Iso8601(change.at)},
                                    {"link", link}};
    return event.dump();
  }
  std::string title = "pgtwin: " + change.environment + " " + ChangeHeadline(change) + " (" +
                      std::string(EnvStateName(change.old_state)) + " → " +
                      std::string(EnvStateName(change.new_state)) + ")";
  std::vector<std::string> lines;
  if (!change.reason.empty()) lines.push_back("Reason: " + change.reason);
  if (!change.summary.empty()) lines.push_back(change.summary);
  lines.push_back("At " + Iso8601(change.at));
  return Render(format, title, lines, link, change.new_state);
}

std::string SummaryMessage(const std::vector<EnvStatus>& environments, ChatFormat format,
                           const std::string& link) {
  if (format == ChatFormat::kJson) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const EnvStatus& env : environments) {
      nlohmann::ordered_json item = {{"environment", env.name},
                                     {"state", EnvStateName(env.state)},
                                     {"reason", env.reason},
                                     {"drift", DriftCount(env)}};
      if (!env.passes.empty()) item["last_pass"] = Iso8601(env.passes.back().started);
      list.push_back(std::move(item));
    }
    return nlohmann::ordered_json{
        {"version", 1}, {"event", "summary"}, {"environments", list}, {"link", link}}
        .dump();
  }
  size_t ready = 0;
  std::vector<std::string> lines;
  EnvState worst = EnvState::kReady;
  for (const EnvStatus& env : environments) {
    if (env.state == EnvState::kReady) ++ready;
    if (env.state == EnvState::kDegraded || env.state == EnvState::kStalled) {
      worst = EnvState::kDegraded;
    } else if (env.state == EnvState::kDrifted && worst == EnvState::kReady) {
      worst = EnvState::kDrifted;
    }
    std::string line = env.name + ": " + std::string(EnvStateName(env.state));
    if (!env.reason.empty()) line += " (" + env.reason + ")";
    if (size_t drift = DriftCount(env); drift > 0) line += ", " + std::to_string(drift) + " drift";
    if (!env.passes.empty()) line += ", last pass " + Iso8601(env.passes.back().started);
    lines.push_back(line);
  }
  std::string title = "pgtwin: " + std::to_string(ready) + " of " +
                      std::to_string(environments.size()) + " environments ready";
  return Render(format, title, lines, link, worst);
}

}  // namespace pgtwin
