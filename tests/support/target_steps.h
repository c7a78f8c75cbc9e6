#pragma once

#include "sitrep/v1/notification.pb.h"

namespace sitrep::test {

// Every step between a notice target's states that a party could ask for, legal or not (SPEC
// §2 Notification). The steps are decided by notifications/notice_rules.cc and walled by the
// database's trigger (sitrep_notice_target_changed, storage/schema/04_notifications.sql) on
// purpose: a writer that skipped the rules still cannot break a target's loop. This one table
// feeds both walls: tests/notification_pgtest.cc takes each step through gRPC (the rules),
// storage/notification_store_pgtest.cc writes it straight into the table (the trigger alone).
// A row that keeps its state is no step (the trigger lets other columns change).
struct TargetStep {
  v1::TargetState from;
  v1::TargetState to;
  bool legal;
};

inline constexpr TargetStep kTargetSteps[] = {
    {v1::TARGET_STATE_DELIVERED, v1::TARGET_STATE_ACKNOWLEDGED, true},
    {v1::TARGET_STATE_DELIVERED, v1::TARGET_STATE_FEEDBACK_SUBMITTED, false},
    {v1::TARGET_STATE_DELIVERED, v1::TARGET_STATE_CLOSED, true},
    {v1::TARGET_STATE_ACKNOWLEDGED, v1::TARGET_STATE_FEEDBACK_SUBMITTED, true},
    {v1::TARGET_STATE_ACKNOWLEDGED, v1::TARGET_STATE_CLOSED, true},
    {v1::TARGET_STATE_FEEDBACK_SUBMITTED, v1::TARGET_STATE_ACKNOWLEDGED, false},
    {v1::TARGET_STATE_FEEDBACK_SUBMITTED, v1::TARGET_STATE_CLOSED, true},
    {v1::TARGET_STATE_CLOSED, v1::TARGET_STATE_ACKNOWLEDGED, false},
    {v1::TARGET_STATE_CLOSED, v1::TARGET_STATE_FEEDBACK_SUBMITTED, false},
};

// The state's name without its prefix ("ACKNOWLEDGED"), as the database stores it.
inline std::string TargetStateText(v1::TargetState state) {
  return v1::TargetState_Name(state).substr(sizeof "TARGET_STATE_" - 1);
}

}  // namespace sitrep::test
