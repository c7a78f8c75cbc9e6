#include "cli/notice_commands.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/duration_words.h"
#include "cli/enum_words.h"
#include "cli/feed_filters.h"
#include "cli/feed_follow.h"
#include "cli/output.h"
#include "cli/pages.h"
#include "cli/reference_words.h"
#include "cli/reference_words_call.h"
#include "cli/severity_colour.h"
#include "cli/timestamps.h"
#include "cli/usage_error.h"
#include "sitrep/v1/notification.grpc.pb.h"
#include "sitrep/v1/registry.grpc.pb.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

// The province names for tables; JSON needs none. An unreachable server fails here, once.
grpc::Status LoadWords(Session& session, bool needed, ReferenceWords& words) {
  return needed ? LoadReferenceWords(session, words) : grpc::Status::OK;
}

std::unique_ptr<v1::NotificationService::Stub> NewStub(Session& session) {
  return v1::NotificationService::NewStub(session.channel());
}

// "广东" for a province target, "enterprise 17", "national centre" for the centre's own.
std::string RecipientText(const v1::NotificationTarget& target, const ReferenceWords& words) {
  if (target.national()) return "national centre";
  if (target.enterprise_id() != 0) return "enterprise " + std::to_string(target.enterprise_id());
  return words.ProvinceShortName(target.province());
}

std::string IssuerText(const v1::Notification& notice, const ReferenceWords& words) {
  std::string issuer = notice.level() == v1::NOTIFICATION_LEVEL_NATIONAL
                           ? std::string("national")
                           : words.ProvinceShortName(notice.issuer_province());
  if (notice.origin() == v1::NOTIFICATION_ORIGIN_INCIDENT_RULE ||
      notice.origin() == v1::NOTIFICATION_ORIGIN_KEV_RULE) {
    issuer += " (rule)";
  }
  return issuer;
}

// The recipients in a row: up to three, then how many more.
std::string RecipientsText(const v1::Notification& notice, const ReferenceWords& words) {
  std::string text;
  for (int i = 0; i < notice.targets_size(); ++i) {
    if (i == 3) return text + " +" + std::to_string(notice.targets_size() - 3);
    text += (i ? ", " : "") + RecipientText(notice.targets(i), words);
  }
  return text;
}

// One target: its state; several: how many are in each state, in the order of the loop.
std::string StatesText(const v1::Notification& notice) {
  if (notice.targets_size() == 1) return EnumWord(notice.targets(0).state());
  std::string text;
  for (const v1::TargetState state :
       {v1::TARGET_STATE_DELIVERED, v1::TARGET_STATE_ACKNOWLEDGED,
        v1::TARGET_STATE_FEEDBACK_SUBMITTED, v1::TARGET_STATE_CLOSED}) {
    int count = 0;
    for (const v1::NotificationTarget& target : notice.targets()) count += target.state() == state;
    if (count > 0)
      text += (text.empty() ? "" : ", ") + std::to_string(count) + " " + EnumWord(state);
  }
  return text;
}

bool AnyOverdue(const v1::Notification& notice) {
  for (const v1::NotificationTarget& target : notice.targets()) {
    if (target.overdue()) return true;
  }
  return false;
}

std::string PriorityColour(const v1::Notification& notice) {
  return SeverityColour(notice.priority());
}

template <typename Items>
std::string JoinedIds(const Items& items) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += ", ";
    if constexpr (std::is_same_v<std::decay_t<decltype(item)>, std::string>) {
      text += item;
    } else {
      text += std::to_string(item);
    }
  }
  return text;
}

// One line per target: recipient, state, overdue, outcome and feedback.
std::string TargetLines(const v1::Notification& notice, const ReferenceWords& words) {
  std::string lines;
  for (const v1::NotificationTarget& target : notice.targets()) {
    if (!lines.empty()) lines += '\n';
    lines += RecipientText(target, words) + ": " + EnumWord(target.state());
    if (target.overdue()) lines += ", OVERDUE";
    if (target.outcome() != v1::FEEDBACK_OUTCOME_UNSPECIFIED) {
      lines += ", " + EnumWord(target.outcome());
    }
    if (!target.feedback().empty()) lines += " — " + target.feedback();
  }
  return lines;
}

// Every step of every target, oldest first within each target.
std::string HistoryLines(const v1::Notification& notice, const ReferenceWords& words) {
  std::string lines;
  for (const v1::NotificationTarget& target : notice.targets()) {
    for (const v1::TargetEvent& event : target.history()) {
      if (!lines.empty()) lines += '\n';
      lines += FormatTimestamp(event.time()) + "  " + RecipientText(target, words) + "  " +
               EnumWord(event.state()) + " by principal " + std::to_string(event.principal_id());
      if (!event.text().empty()) lines += ": " + event.text();
    }
  }
  return lines;
}

// One notice per row; the title last, to be cut to the terminal's width.
Columns<v1::Notification> RowColumns(const ReferenceWords& words) {
  return {
      {"ID", [](const v1::Notification& n) { return std::to_string(n.id()); }},
      {"ISSUED", [](const v1::Notification& n) { return FormatTimestamp(n.create_time()); }},
      {"FROM", [&words](const v1::Notification& n) { return IssuerText(n, words); }},
      {"PRIORITY", [](const v1::Notification& n) { return SeverityText(n.priority()); },
       PriorityColour},
      {"TO", [&words](const v1::Notification& n) { return RecipientsText(n, words); }},
      {"STATE", StatesText},
      {"DEADLINE",
       [](const v1::Notification& n) { return FormatTimestamp(n.response_deadline()); }},
      {"OVERDUE", [](const v1::Notification& n) { return AnyOverdue(n) ? "yes" : ""; },
       [](const v1::Notification& n) { return AnyOverdue(n) ? "1;31" : ""; }},
      {"TITLE", [](const v1::Notification& n) { return n.title(); }},
  };
}

// Every field of one notice, one per line.
Columns<v1::Notification> FieldColumns(const ReferenceWords& words) {
  return {
      {"ID", [](const v1::Notification& n) { return std::to_string(n.id()); }},
      {"TITLE", [](const v1::Notification& n) { return n.title(); }},
      {"FROM", [&words](const v1::Notification& n) { return IssuerText(n, words); }},
      {"ISSUER", [](const v1::Notification& n) { return std::to_string(n.issuer_id()); }},
      {"ORIGIN", [](const v1::Notification& n) { return EnumWord(n.origin()); }},
      {"PRIORITY", [](const v1::Notification& n) { return SeverityText(n.priority()); },
       PriorityColour},
      {"TLP", [](const v1::Notification& n) { return EnumWord(n.tlp()); }},
      {"ISSUED", [](const v1::Notification& n) { return FormatTimestamp(n.create_time()); }},
      {"DEADLINE",
       [](const v1::Notification& n) { return FormatTimestamp(n.response_deadline()); }},
      {"BODY", [](const v1::Notification& n) { return n.body(); }},
      {"ACTION", [](const v1::Notification& n) { return n.required_action(); }},
      {"INCIDENTS", [](const v1::Notification& n) { return JoinedIds(n.incident_ids()); }},
      {"ASSETS", [](const v1::Notification& n) { return JoinedIds(n.asset_ids()); }},
      {"CVES", [](const v1::Notification& n) { return JoinedIds(n.cve_ids()); }},
      {"TARGETS", [&words](const v1::Notification& n) { return TargetLines(n, words); }},
      {"HISTORY", [&words](const v1::Notification& n) { return HistoryLines(n, words); }},
  };
}

// Makes one call that answers a notice and prints all of it.
template <typename Call>
grpc::Status CallAndPrint(Session& session, Call call) {
  ReferenceWords words;
  if (grpc::Status status = LoadWords(session, !session.json(), words); !status.ok()) {
    return status;
  }
  grpc::ClientContext context;
  session.PrepareCall(context);
  v1::Notification notice;
  const grpc::Status status = call(*NewStub(session), &context, &notice);
  if (status.ok()) {
    TableStyle style;
    style.colour = session.terminal().colour;
    PrintRecord(session.out(), session.json(), FieldColumns(words), notice, style);
  }
  return status;
}

struct ListFlags {
  bool outbox = false;
  std::vector<int> states;
  bool overdue = false;
  int min_priority = 0;
  std::string since;
  std::string until;
  std::int32_t page_size = 0;
  std::string page_token;
  bool all = false;
};

struct IdFlags {
  std::int64_t id = 0;
};

struct IssueFlags {
  std::string title;
  std::string body;
  std::string action;
  int priority = 0;
  int tlp = v1::TLP_AMBER;
  std::string within;
  std::string deadline;
  std::vector<std::string> provinces;
  std::vector<std::int64_t> enterprises;
  std::vector<std::int64_t> incidents;
  std::vector<std::string> cves;
};

struct FeedbackFlags {
  std::int64_t id = 0;
  std::string text;
  int outcome = 0;
  std::vector<std::int64_t> incidents;
};

struct CloseFlags {
  std::int64_t id = 0;
  std::vector<std::string> provinces;
  std::vector<std::int64_t> enterprises;
  std::string remark;
};

void AddTimeFlag(CLI::App& command, const std::string& name, std::string& text,
                 const std::string& help) {
  command.add_option(name, text, help + ": a duration ago (24h, 7d) or an RFC 3339 time")
      ->check(TimeWordValidator());
}

v1::ListNotificationsRequest ListRequest(const ListFlags& flags) {
  v1::ListNotificationsRequest request;
  request.set_box(flags.outbox ? v1::BOX_OUTBOX : v1::BOX_INBOX);
  for (const int state : flags.states) request.add_states(static_cast<v1::TargetState>(state));
  request.set_overdue_only(flags.overdue);
  request.set_min_priority(static_cast<v1::Severity>(flags.min_priority));
  const auto now = std::chrono::system_clock::now();
  // The flags were checked while parsing, so the times are there.
  if (!flags.since.empty()) {
    *request.mutable_create_time()->mutable_start_time() = *ParseTimeWord(flags.since, now);
  }
  if (!flags.until.empty()) {
    *request.mutable_create_time()->mutable_end_time() = *ParseTimeWord(flags.until, now);
  }
  request.set_page_size(flags.page_size);
  request.set_page_token(flags.page_token);
  return request;
}

void AddList(CLI::App& group, Action& chosen) {
  CLI::App& list = *group.add_subcommand(
      "list", "list notices addressed to you (or, with --outbox, issued by you), newest first");
  auto flags = std::make_shared<ListFlags>();
  list.add_flag("--outbox", flags->outbox, "the notices you (your organisation) issued");
  AddEnumListOption(list, "--state", *v1::TargetState_descriptor(), flags->states,
                    "only with a target in this state (repeatable)");
  list.add_flag("--overdue", flags->overdue, "only with a target past its deadline unanswered");
  AddEnumOption(list, "--min-priority", *v1::Severity_descriptor(), flags->min_priority,
                "only this priority or higher (I is the highest)");
  AddTimeFlag(list, "--since", flags->since, "only issued from");
  AddTimeFlag(list, "--until", flags->until, "only issued before");
  list.add_option("--page-size", flags->page_size, "notices per page (server default 100)");
  list.add_option("--page-token", flags->page_token, "go on from this page token");
  list.add_flag("--all", flags->all, "every page, not only the first");
  list.callback([&chosen, flags] {
    chosen = [flags](Session& session) {
      const v1::ListNotificationsRequest request = ListRequest(*flags);
      ReferenceWords words;
      if (grpc::Status status = LoadWords(session, !session.json(), words); !status.ok()) {
        return status;
      }
      const std::unique_ptr<v1::NotificationService::Stub> stub = NewStub(session);
      std::vector<v1::Notification> notices;
      std::string next;
      const grpc::Status status = ListPages<v1::ListNotificationsResponse>(
          session, request, flags->all,
          [&](auto* context, const auto& page_request, auto* response) {
            return stub->ListNotifications(context, page_request, response);
          },
          [](const v1::ListNotificationsResponse& r) -> const auto& { return r.notifications(); },
          notices, next);
      Columns<v1::Notification> columns = RowColumns(words);
      const std::size_t last = columns.size() - 1;
      if (session.json()) {
        PrintRecords(session.out(), true, columns, notices);
      } else {
        Table table(HeadersOf(columns));
        for (const v1::Notification& notice : notices) AddRecordRow(table, columns, notice);
        session.out() << table.Render(session.TableStyleFor(last));
        if (!next.empty()) {
          session.err() << "(more may follow: add --all, or go on with --page-token " << next
                        << ")\n";
        }
      }
      return status;
    };
  });
}

void AddGet(CLI::App& group, Action& chosen) {
  CLI::App& get = *group.add_subcommand("get", "show one notice with every target's history");
  auto flags = std::make_shared<IdFlags>();
  get.add_option("ID", flags->id, "notice id")->required();
  get.callback([&chosen, flags] {
    chosen = [flags](Session& session) {
      v1::GetNotificationRequest request;
      request.set_id(flags->id);
      return CallAndPrint(session, [&](auto& stub, auto* context, auto* reply) {
        return stub.GetNotification(context, request, reply);
      });
    };
  });
}

void AddWatch(CLI::App& group, Action& chosen) {
  CLI::App& watch = *group.add_subcommand(
      "watch", "print deliveries and steps of your inbox as they commit, until Ctrl-C");
  auto watching = std::make_shared<FeedWatching>();
  AddFeedWatchingFlags(watch, *watching);
  watch.callback([&chosen, watching] {
    chosen = [watching](Session& session) {
      ReferenceWords words;
      if (grpc::Status status = LoadWords(session, !session.json(), words); !status.ok()) {
        return status;
      }
      Columns<v1::Notification> columns = RowColumns(words);
      const std::size_t last = columns.size() - 1;
      RecordPrinter<v1::Notification> printer(session.out(), session.json(), std::move(columns),
                                              session.TableStyleFor(last));
      const std::unique_ptr<v1::NotificationService::Stub> stub = NewStub(session);
      return PrintFeedStream<v1::WatchNotificationsResponse>(
          session, v1::WatchNotificationsRequest(), *watching,
          [&](auto* context, const auto& request) {
            return stub->WatchNotifications(context, request);
          },
          [](const v1::WatchNotificationsResponse& r) -> const auto& { return r.notifications(); },
          printer);
    };
  });
}

void AddIssue(CLI::App& group, Action& chosen) {
  CLI::App& issue = *group.add_subcommand(
      "issue", "issue a notice: national centre to provinces, a province to its enterprises");
  auto flags = std::make_shared<IssueFlags>();
  issue.add_option("--title", flags->title, "one line saying what it is about")->required();
  issue.add_option("--body", flags->body, "the notice's text");
  issue.add_option("--action", flags->action, "what the recipients must do");
  AddEnumOption(issue, "--priority", *v1::Severity_descriptor(), flags->priority,
                "I (highest) to IV; sets the default deadline: 1h, 2h, 24h, 72h")
      ->required();
  AddEnumOption(issue, "--tlp", *v1::Tlp_descriptor(), flags->tlp, "sharing label (default amber)");
  CLI::Option* within = issue.add_option("--within", flags->within,
                                         "response deadline this long from now, e.g. 4h, 3d");
  within->check(DurationWordValidator());
  issue.add_option("--deadline", flags->deadline, "response deadline as an RFC 3339 time")
      ->check(TimeWordValidator())
      ->excludes(within);
  issue
      .add_option("--province", flags->provinces,
                  "recipient province: code or name, e.g. 440000, 广东 (repeatable)")
      ->type_name("PROVINCE")
      ->delimiter(',');
  issue.add_option("--enterprise", flags->enterprises, "recipient enterprise id (repeatable)")
      ->delimiter(',');
  issue.add_option("--incident", flags->incidents, "referenced incident id (repeatable)")
      ->delimiter(',');
  issue.add_option("--cve", flags->cves, "referenced CVE id (repeatable)")->delimiter(',');
  issue.callback([&chosen, flags] {
    if (flags->provinces.empty() && flags->enterprises.empty()) {
      throw CLI::ValidationError("--province/--enterprise", "name at least one recipient");
    }
    chosen = [flags](Session& session) {
      ReferenceWords words;
      if (grpc::Status status =
              LoadWords(session, !flags->provinces.empty() || !session.json(), words);
          !status.ok()) {
        return status;
      }
      v1::IssueNotificationRequest request;
      v1::Notification* notice = request.mutable_notification();
      notice->set_title(flags->title);
      notice->set_body(flags->body);
      notice->set_required_action(flags->action);
      notice->set_priority(static_cast<v1::Severity>(flags->priority));
      notice->set_tlp(static_cast<v1::Tlp>(flags->tlp));
      const auto now = std::chrono::system_clock::now();
      if (!flags->within.empty()) {
        *notice->mutable_response_deadline() = ToTimestamp(now + *ParseDurationWord(flags->within));
      } else if (!flags->deadline.empty()) {
        *notice->mutable_response_deadline() = *ParseTimeWord(flags->deadline, now);
      }
      for (const std::uint32_t code : ResolveProvinces(flags->provinces, words)) {
        notice->add_targets()->set_province(code);
      }
      for (const std::int64_t id : flags->enterprises) notice->add_targets()->set_enterprise_id(id);
      for (const std::int64_t id : flags->incidents) notice->add_incident_ids(id);
      for (const std::string& cve : flags->cves) notice->add_cve_ids(cve);
      return CallAndPrint(session, [&](auto& stub, auto* context, auto* reply) {
        return stub.IssueNotification(context, request, reply);
      });
    };
  });
}

void AddAcknowledge(CLI::App& group, Action& chosen) {
  CLI::App& ack = *group.add_subcommand("ack", "acknowledge (签收) a notice addressed to you");
  auto flags = std::make_shared<IdFlags>();
  ack.add_option("ID", flags->id, "notice id")->required();
  ack.callback([&chosen, flags] {
    chosen = [flags](Session& session) {
      v1::AcknowledgeRequest request;
      request.set_notification_id(flags->id);
      return CallAndPrint(session, [&](auto& stub, auto* context, auto* reply) {
        return stub.Acknowledge(context, request, reply);
      });
    };
  });
}

void AddFeedback(CLI::App& group, Action& chosen) {
  CLI::App& feedback = *group.add_subcommand(
      "feedback", "answer (处置反馈) a notice you acknowledged: what you did and the outcome");
  auto flags = std::make_shared<FeedbackFlags>();
  feedback.add_option("ID", flags->id, "notice id")->required();
  feedback.add_option("--text", flags->text, "what was done")->required();
  AddEnumOption(feedback, "--outcome", *v1::FeedbackOutcome_descriptor(), flags->outcome,
                "how it ended")
      ->required();
  feedback.add_option("--incident", flags->incidents, "related incident id (repeatable)")
      ->delimiter(',');
  feedback.callback([&chosen, flags] {
    chosen = [flags](Session& session) {
      v1::SubmitFeedbackRequest request;
      request.set_notification_id(flags->id);
      request.set_text(flags->text);
      request.set_outcome(static_cast<v1::FeedbackOutcome>(flags->outcome));
      for (const std::int64_t id : flags->incidents) request.add_incident_ids(id);
      return CallAndPrint(session, [&](auto& stub, auto* context, auto* reply) {
        return stub.SubmitFeedback(context, request, reply);
      });
    };
  });
}

void AddClose(CLI::App& group, Action& chosen) {
  CLI::App& close =
      *group.add_subcommand("close", "close a notice you issued: every target, or those named");
  auto flags = std::make_shared<CloseFlags>();
  close.add_option("ID", flags->id, "notice id")->required();
  close
      .add_option("--province", flags->provinces, "close only this province's target (repeatable)")
      ->type_name("PROVINCE")
      ->delimiter(',');
  close
      .add_option("--enterprise", flags->enterprises,
                  "close only this enterprise's target (repeatable)")
      ->delimiter(',');
  close.add_option("--remark", flags->remark, "why, kept in the history");
  close.callback([&chosen, flags] {
    chosen = [flags](Session& session) {
      ReferenceWords words;
      if (grpc::Status status =
              LoadWords(session, !flags->provinces.empty() || !session.json(), words);
          !status.ok()) {
        return status;
      }
      v1::CloseNotificationRequest request;
      request.set_notification_id(flags->id);
      for (const std::uint32_t code : ResolveProvinces(flags->provinces, words)) {
        request.add_provinces(code);
      }
      for (const std::int64_t id : flags->enterprises) request.add_enterprise_ids(id);
      request.set_remark(flags->remark);
      return CallAndPrint(session, [&](auto& stub, auto* context, auto* reply) {
        return stub.CloseNotification(context, request, reply);
      });
    };
  });
}

}  // namespace

void AddNoticeCommands(CLI::App& app, Action& chosen) {
  CLI::App& group = *app.add_subcommand("notices", "notifications (通报): inbox, outbox, steps");
  group.require_subcommand(1);
  AddList(group, chosen);
  AddGet(group, chosen);
  AddWatch(group, chosen);
  AddIssue(group, chosen);
  AddAcknowledge(group, chosen);
  AddFeedback(group, chosen);
  AddClose(group, chosen);
}

}  // namespace sitrep::cli
