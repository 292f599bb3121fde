// ListenerSlot: changes go to the listener held at the time; a replaced one is destroyed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "reconciler/notify/listener_slot.h"

namespace pgtwin {
namespace {

// Records "name: environment" for every change; notes its destruction in `log` too.
class Recorder : public StateListener {
 public:
  Recorder(std::string name, std::vector<std::string>* log) : name_(std::move(name)), log_(log) {}
  ~Recorder() override { log_->push_back(name_ + " destroyed"); }
  void OnStateChange(const StateChange& change) override {
    log_->push_back(name_ + ": " + change.environment);
  }

 private:
  std::string name_;
  std::vector<std::string>* log_;
};

StateChange ChangeOf(const std::string& environment) {
  StateChange change;
  change.environment = environment;
  change.old_state = EnvState::kReady;
  change.new_state = EnvState::kDrifted;
  return change;
}

TEST(ListenerSlotTest, ForwardsToTheListenerHeldAndDestroysAReplacedOne) {
  std::vector<std::string> log;
  {
    ListenerSlot slot;
    slot.OnStateChange(ChangeOf("qa0"));  // nothing held: dropped
    slot.Replace(std::make_unique<Recorder>("first", &log));
    slot.OnStateChange(ChangeOf("qa1"));
    slot.Replace(std::make_unique<Recorder>("second", &log));
    slot.OnStateChange(ChangeOf("qa2"));
    slot.Replace(nullptr);
    slot.OnStateChange(ChangeOf("qa3"));
    slot.Replace(std::make_unique<Recorder>("third", &log));
  }
  EXPECT_THAT(log, ::testing::ElementsAre("first: qa1", "first destroyed", "second: qa2",
                                          "second destroyed", "third destroyed"));
}

}  // namespace
}  // namespace pgtwin
