#include "cli/situation_commands.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/feed_filters.h"
#include "cli/output.h"
#include "cli/reference_words_call.h"
#include "cli/situation_report.h"
#include "cli/usage_error.h"
#include "domain/time_convert.h"
#include "sitrep/v1/feed.grpc.pb.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

using std::chrono::hours;
using std::chrono::system_clock;

// The server's limits (feeds/situation.h), checked here too so that a wrong flag is a usage
// error naming the flag rather than a refused call.
constexpr int kMaxDays = 366;
constexpr int kMaxHourBucketDays = 31;
constexpr int kMaxTopEnterprises = 100;
constexpr auto kChinaOffset = hours(8);  // China Standard Time, as the server's day buckets

system_clock::time_point FloorTo(system_clock::time_point time, system_clock::duration step,
                                 system_clock::duration offset) {
  const system_clock::duration shifted = (time + offset).time_since_epoch();
  system_clock::duration floored = shifted - shifted % step;
  if (shifted % step < system_clock::duration::zero()) floored -= step;
  return system_clock::time_point(floored) - offset;
}

}  // namespace

v1::GetSituationRequest BuildSituationRequest(const SituationFlags& flags,
                                              const std::vector<std::uint32_t>& provinces,
                                              system_clock::time_point now) {
  if (flags.hours && flags.days > kMaxHourBucketDays) {
    throw UsageError("--hours allows --days up to " + std::to_string(kMaxHourBucketDays) +
                     "; leave out --hours for day buckets");
  }
  v1::GetSituationRequest request;
  const system_clock::time_point start =
      flags.hours ? FloorTo(now, hours(1), {}) - hours(24 * flags.days - 1)
                  : FloorTo(now, hours(24), kChinaOffset) - hours(24 * (flags.days - 1));
  *request.mutable_time_range()->mutable_start_time() = ToTimestamp(start);
  // The end is now, which the server widens to the end of the current bucket; a range must
  // not be empty, so at the very first instant of a bucket it reaches a second into it.
  const system_clock::time_point end = std::max(now, start + std::chrono::seconds(1));
  *request.mutable_time_range()->mutable_end_time() = ToTimestamp(end);
  request.set_bucket(flags.hours ? v1::BUCKET_HOUR : v1::BUCKET_DAY);
  for (const std::uint32_t province : provinces) request.add_provinces(province);
  request.set_top_enterprises(flags.top_enterprises);
  return request;
}

void AddSituationCommands(CLI::App& app, Action& chosen) {
  CLI::App& command = *app.add_subcommand(
      "situation",
      "the regulator's overview: incidents by province, sector and category against the "
      "period before, exposed assets, notice backlog, top enterprises");
  auto flags = std::make_shared<SituationFlags>();
  command
      .add_option("--province", flags->provinces,
                  "only these provinces (code or name, repeatable or comma-separated)")
      ->delimiter(',');
  command.add_option("--days", flags->days, "the last this many days, today included")
      ->capture_default_str()
      ->check(CLI::Range(1, kMaxDays));
  command.add_flag("--hours", flags->hours,
                   "count in hour buckets (at most 31 days) instead of day buckets");
  command.add_option("--top", flags->top_enterprises, "how many enterprises to rank")
      ->capture_default_str()
      ->check(CLI::Range(1, kMaxTopEnterprises));
  command.callback([&chosen, flags] {
    chosen = [flags](Session& session) {
      // Names are needed to read --province and to print a report; JSON of all provinces
      // needs neither.
      ReferenceWords words;
      if (!flags->provinces.empty() || !session.json()) {
        if (grpc::Status status = LoadReferenceWords(session, words); !status.ok()) {
          return status;
        }
      }
      const std::vector<std::uint32_t> provinces = ResolveProvinces(flags->provinces, words);
      const v1::GetSituationRequest request =
          BuildSituationRequest(*flags, provinces, system_clock::now());
      grpc::ClientContext context;
      session.PrepareCall(context);
      v1::Situation situation;
      const grpc::Status status =
          v1::FeedService::NewStub(session.channel())->GetSituation(&context, request, &situation);
      if (!status.ok()) return status;
      if (session.json()) {
        session.out() << JsonLine(situation) << '\n';
      } else {
        session.out() << SituationReport(situation, words, provinces, session.terminal());
      }
      return grpc::Status::OK;
    };
  });
}

}  // namespace sitrep::cli
