// Chat notifications: what a state change and a summary look like in each webhook format, and
// the notifier's delivery (order, retries, no URL in logs) with a fake sender.
#include "reconciler/notify/chat_message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/notify/webhook_notifier.h"

namespace pgtwin {
namespace {

using ::testing::HasSubstr;

StateChange Change(EnvState from, EnvState to) {
  StateChange change;
  change.environment = "qa1";
  change.old_state = from;
  change.new_state = to;
  change.reason = "PlanOnly";
  change.summary = "3 changes pending: 2 table, 1 function";
  change.at = std::chrono::system_clock::from_time_t(1795000000);  // 2026-11-18T11:06:40Z
  return change;
}

TEST(ChatMessageTest, HeadlineSaysWhatHappened) {
  EXPECT_EQ(ChangeHeadline(Change(EnvState::kReady, EnvState::kDrifted)), "drift found");
  EXPECT_EQ(ChangeHeadline(Change(EnvState::kDrifted, EnvState::kReady)), "converged");
  EXPECT_EQ(ChangeHeadline(Change(EnvState::kReady, EnvState::kDegraded)), "failed");
  EXPECT_EQ(ChangeHeadline(Change(EnvState::kDegraded, EnvState::kReady)), "recovered");
  EXPECT_EQ(ChangeHeadline(Change(EnvState::kStalled, EnvState::kReady)), "recovered");
  EXPECT_EQ(ChangeHeadline(Change(EnvState::kReady, EnvState::kStalled)), "spec invalid");
}

TEST(ChatMessageTest, SlackTextHasTitleReasonSummaryAndLink) {
  nlohmann::json slack = nlohmann::json::parse(StateChangeMessage(
      Change(EnvState::kReady, EnvState::kDrifted), ChatFormat::kSlack, "http://h:1/e/qa1"));
  EXPECT_EQ(slack["text"],
            "*pgtwin: qa1 drift found (Ready → Drifted)*\nReason: PlanOnly\n"
            "3 changes pending: 2 table, 1 function\nAt 2026-11-18T11:06:40Z\n"
            "<http://h:1/e/qa1|Status>");
}

TEST(ChatMessageTest, TeamsCardHasTitleColourAndOpenUriAction) {
  nlohmann::json card = nlohmann::json::parse(StateChangeMessage(
      Change(EnvState::kReady, EnvState::kDegraded), ChatFormat::kTeams, "http://h:1/e/qa1"));
  EXPECT_EQ(card["@type"], "MessageCard");
  EXPECT_EQ(card["title"], "pgtwin: qa1 failed (Ready → Degraded)");
  EXPECT_EQ(card["summary"], card["title"]);
  EXPECT_EQ(card["themeColor"], "A30200");
  EXPECT_THAT(card["text"].get<std::string>(), HasSubstr("3 changes pending"));
  EXPECT_EQ(card["potentialAction"][0]["targets"][0]["uri"], "http://h:1/e/qa1");
}

TEST(ChatMessageTest, JsonEventHasEveryField) {
  nlohmann::json event = nlohmann::json::parse(StateChangeMessage(
      Change(EnvState::kDegraded, EnvState::kReady), ChatFormat::kJson, "http://h:1/e/qa1"));
  EXPECT_EQ(event["version"], 1);
  EXPECT_EQ(event["event"], "state_change");
  EXPECT_EQ(event["environment"], "qa1");
  EXPECT_EQ(event["headline"], "recovered");
  EXPECT_EQ(event["old_state"], "Degraded");
  EXPECT_EQ(event["new_state"], "Ready");
  EXPECT_EQ(event["at"], "2026-11-18T11:06:40Z");
  EXPECT_EQ(event["link"], "http://h:1/e/qa1");
}

TEST(ChatMessageTest, SummaryHasOneLinePerEnvironment) {
  std::vector<EnvStatus> envs(2);
  envs[0].name = "qa1";
  envs[0].state = EnvState::kReady;
  envs[0].reason = "Converged";
  envs[1].name = "qa2";
  envs[1].state = EnvState::kDrifted;
  envs[1].reason = "PlanOnly";
  envs[1].drift = {{"table", 2}, {"function", 1}};
  nlohmann::json slack =
      nlohmann::json::parse(SummaryMessage(envs, ChatFormat::kSlack, "http://h:1/"));
  EXPECT_EQ(slack["text"],
            "*pgtwin: 1 of 2 environments ready*\nqa1: Ready (Converged)\n"
            "qa2: Drifted (PlanOnly), 3 drift\n<http://h:1/|Status>");
  nlohmann::json json = nlohmann::json::parse(SummaryMessage(envs, ChatFormat::kJson, ""));
  EXPECT_EQ(json["environments"][1]["drift"], 3);
  EXPECT_EQ(nlohmann::json::parse(SummaryMessage(envs, ChatFormat::kTeams, ""))["themeColor"],
            "DAA038");
}

TEST(ChatMessageTest, FormatsParse) {
  EXPECT_EQ(ParseChatFormat("slack"), ChatFormat::kSlack);
  EXPECT_EQ(ParseChatFormat("teams"), ChatFormat::kTeams);
  EXPECT_EQ(ParseChatFormat("json"), ChatFormat::kJson);
  EXPECT_EQ(ParseChatFormat("Slack"), std::nullopt);
}

// A sender that records what it was given and fails the first `failures` calls.
struct FakeSender {
  std::mutex mutex;
  std::vector<std::string> sent;  // "target: environment headline"
  int failures = 0;
  int calls = 0;

  Status Send(const WebhookTarget& target, const std::string& body) {
    std::lock_guard<std::mutex> lock(mutex);
    ++calls;
    if (failures > 0) {
      --failures;
      return Status(StatusCode::kConnectionFailed, "webhook " + target.name + ": HTTP 503");
    }
    nlohmann::json event = nlohmann::json::parse(body);
    sent.push_back(target.name + ": " + event["environment"].get<std::string>() + " " +
                   event["headline"].get<std::string>());
    return Status::Ok();
  }
};

TEST(WebhookNotifierTest, SendsEveryChangeToEveryTargetInOrder) {
  FakeSender fake;
  {
    WebhookNotifier notifier(
        {{"ops", "http://x/1", ChatFormat::kJson}, {"dev", "http://x/2", ChatFormat::kJson}},
        "http://h:1", [&](const WebhookTarget& t, const std::string& b) { return fake.Send(t, b); });
    notifier.OnStateChange(Change(EnvState::kPending, EnvState::kReady));  // a start: no news
    notifier.OnStateChange(Change(EnvState::kReady, EnvState::kDrifted));
    notifier.OnStateChange(Change(EnvState::kDrifted, EnvState::kReady));
    notifier.OnStateChange(Change(EnvState::kPending, EnvState::kStalled));
  }  // the destructor delivers what is queued
  EXPECT_THAT(fake.sent, ::testing::ElementsAre("ops: qa1 drift found", "dev: qa1 drift found",
                                                "ops: qa1 converged", "dev: qa1 converged",
                                                "ops: qa1 spec invalid", "dev: qa1 spec invalid"));
}

TEST(WebhookNotifierTest, RetriesAFailedSendAndNeverBlocksTheCaller) {
  FakeSender fake;
  fake.failures = 2;
  auto started = std::chrono::steady_clock::now();
  {
    WebhookNotifier notifier({{"ops", "http://x/1", ChatFormat::kJson}}, "http://h:1",
                             [&](const WebhookTarget& t, const std::string& b) {
                               return fake.Send(t, b);
                             });
    notifier.OnStateChange(Change(EnvState::kReady, EnvState::kDegraded));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(200));
    // Two retries wait 1 s and 2 s.
    for (int i = 0; i < 50; ++i) {
      {
        std::lock_guard<std::mutex> lock(fake.mutex);
        if (!fake.sent.empty()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_EQ(fake.calls, 3);
  EXPECT_THAT(fake.sent, ::testing::ElementsAre("ops: qa1 failed"));
}

}  // namespace
}  // namespace pgtwin
