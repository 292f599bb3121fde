#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/serve/env_status.h"

namespace pgtwin {

// The shape of a webhook's message.
enum class ChatFormat {
  kSlack,  // {"text": ...} with Slack mrkdwn (also Mattermost, Rocket.Chat)
  kTeams,  // an Office 365 connector MessageCard (Microsoft Teams incoming webhook)
  kJson,   // pgtwin's own JSON event, for scripts and other receivers
};

// "slack", "teams" or "json" as ChatFormat; nullopt for anything else.
std::optional<ChatFormat> ParseChatFormat(std::string_view text);

// What happened, in words: "drift found", "converged", "failed", "recovered", "spec invalid",
// "suspended", "pending" — from the old and new state of `change`.
std::string ChangeHeadline(const StateChange& change);

// The message for one state change, linking to `link` (the environment's status): a title
// "pgtwin: ENV HEADLINE (Old → New)", the reason and the one-line summary. Holds no secret:
// the summary comes from pgtwin's reports, which never carry one.
std::string StateChangeMessage(const StateChange& change, ChatFormat format,
                               const std::string& link);

// A summary of every environment (one line each: name, state, reason, drift count, last
// pass), as `GET /api/v1/summary` and the daily summary send it; `link` is the status page.
std::string SummaryMessage(const std::vector<EnvStatus>& environments, ChatFormat format,
                           const std::string& link);

}  // namespace pgtwin
