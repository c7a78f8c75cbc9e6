#include "collector/run_collector.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "collector/advisories_importer.h"
#include "collector/attack_importer.h"
#include "collector/connection.h"
#include "collector/csaf_importer.h"
#include "collector/demo_source.h"
#include "collector/jsonl_importer.h"
#include "collector/pusher.h"
#include "collector/spooler.h"
#include "collector/stix_source.h"
#include "collector/taxii_source.h"
#include "logging/log.h"

namespace sitrep::collector {
namespace {

using std::chrono::steady_clock;

// Input errors beyond this many are counted, not printed: a broken file must not flood the
// terminal.
constexpr uint64_t kMaxPrintedLines = 200;

// stderr shared by the spooler's messages and the progress line.
class Console final {
 public:
  Console(std::ostream& err, bool progress) : err_(err), progress_(progress) {}

  void Line(std::string text) {
    for (char& c : text) {
      if (c == '\n' || c == '\r') c = ' ';  // one event, one line
    }
    std::lock_guard lock(mu_);
    if (++printed_ == kMaxPrintedLines + 1) {
      Print("sitrep-collector: more input errors follow; counted in the summary only");
    }
    if (printed_ <= kMaxPrintedLines) Print("sitrep-collector: " + text);
  }

  // Redraws the one progress line. It ends with "\r", so that any log line written to stderr
  // meanwhile overwrites it instead of following it.
  void Progress(const std::string& text) {
    if (!progress_) return;
    std::lock_guard lock(mu_);
    err_ << "\033[K" << text << "\r" << std::flush;
  }

  void Print(const std::string& text) {
    if (progress_) err_ << "\033[K";
    err_ << text << "\n" << std::flush;
  }

 private:
  std::ostream& err_;
  const bool progress_;
  std::mutex mu_;
  uint64_t printed_ = 0;
};

std::string Key(InputFormat format, const std::filesystem::path& path) {
  std::error_code ignored;
  const std::filesystem::path absolute = std::filesystem::weakly_canonical(path, ignored);
  return std::string(FormatName(format)) + ":" + (absolute.empty() ? path : absolute).string();
}

// The InputPlans of the command line; a usage error (missing input) as one sentence.
std::vector<InputPlan> PlanInputs(const CollectorConfig& config, const std::atomic<bool>& stop,
                                  std::string& error) {
  std::vector<InputPlan> plans;
  if (config.format == InputFormat::kDemo) {
    DemoOptions options;
    options.seed = config.seed;
    options.count = config.count;
    options.province = config.province;
    options.asset_share = config.demo_assets;
    options.duplicate_share = config.demo_duplicates;
    options.invalid_share = config.demo_invalid;
    plans.push_back(
        {DemoSource::Key(options), "demo seed " + std::to_string(config.seed), std::nullopt,
         [options](InputProgress start) { return std::make_unique<DemoSource>(options, start); }});
    return plans;
  }
  if (config.format == InputFormat::kTaxii) {
    TaxiiOptions options;
    options.api_root = config.taxii_url;
    options.collection = config.taxii_collection;
    options.credentials = {config.taxii_user, config.taxii_token, config.taxii_ca};
    options.limit = config.taxii_limit;
    options.poll = std::chrono::seconds(config.taxii_poll_seconds);
    options.province = config.province;
    plans.push_back({TaxiiSource::Key(options), TaxiiSource::Key(options), std::nullopt,
                     [options, &stop](InputProgress start) {
                       return std::make_unique<TaxiiSource>(options, start, &stop);
                     }});
    return plans;
  }
  for (const std::string& input : config.inputs) {
    if (input == "-") {
      plans.push_back({"", "stdin", std::nullopt, [&stop](InputProgress) {
                         return std::make_unique<JsonlSource>("stdin", STDIN_FILENO, false,
                                                              InputProgress{}, &stop);
                       }});
      continue;
    }
    const std::filesystem::path path(input);
    std::error_code status_error;
    if (!std::filesystem::exists(path, status_error)) {
      error = "no such input: " + input;
      return {};
    }
    const bool folder = std::filesystem::is_directory(path, status_error);
    if (folder && config.format != InputFormat::kCsaf) {
      error = input + " is a folder; only --format csaf reads folders";
      return {};
    }
    switch (config.format) {
      case InputFormat::kJsonl:
        plans.push_back({Key(config.format, path), input, path, [path, &stop](InputProgress start) {
                           return OpenJsonlFile(path, start, &stop);
                         }});
        break;
      case InputFormat::kCsaf:
        for (const std::filesystem::path& file : CsafFiles(path)) {
          plans.push_back({Key(config.format, file), file.string(), file,
                           [file](InputProgress) { return std::make_unique<CsafSource>(file); }});
        }
        break;
      case InputFormat::kAdvisories:
        plans.push_back({Key(config.format, path), input, path, [path](InputProgress) {
                           return std::make_unique<AdvisoriesSource>(path);
                         }});
        break;
      case InputFormat::kAttack:
        plans.push_back({Key(config.format, path), input, path,
                         [path, province = config.province](InputProgress) {
                           return std::make_unique<AttackSource>(path, province);
                         }});
        break;
      case InputFormat::kStix:
        plans.push_back({Key(config.format, path), input, path,
                         [path, province = config.province](InputProgress) {
                           return std::make_unique<StixBundleSource>(path, province);
                         }});
        break;
      case InputFormat::kTaxii:
      case InputFormat::kDemo:
        break;
    }
  }
  return plans;
}

std::string Fixed(double value, int decimals) {
  std::ostringstream text;
  text.setf(std::ios::fixed);
  text.precision(decimals);
  text << value;
  return text.str();
}

}  // namespace

int RunCollector(const CollectorConfig& config, std::ostream& out, std::ostream& err,
                 const std::atomic<int>* signal) {
  if (const std::optional<LogLevel> level = ParseLogLevel(config.log_level)) SetLogLevel(*level);
  Console console(err, ::isatty(STDERR_FILENO) == 1);
  const auto usage = [&](const std::string& why) {
    console.Print("sitrep-collector: " + why);
    return 2;
  };

  std::string error;
  const std::optional<std::string> token = LoadToken(config, std::getenv("SITREP_TOKEN"), error);
  if (!token) return usage(error);
  const std::shared_ptr<grpc::Channel> channel = MakeCollectorChannel(config, error);
  if (channel == nullptr) return usage(error);
  std::atomic<bool> stop{false};
  const std::vector<InputPlan> inputs = PlanInputs(config, stop, error);
  if (!error.empty()) return usage(error);

  std::unique_ptr<Spool> spool;
  try {
    spool = std::make_unique<Spool>(
        SpoolOptions{config.spool_dir, config.spool_segment_mib * (uint64_t{1} << 20)});
  } catch (const std::exception& failure) {
    console.Print("sitrep-collector: " + std::string(failure.what()));
    return 1;
  }
  RejectLog rejects(config.rejects_file.empty()
                        ? std::filesystem::path(config.spool_dir) / "rejected.jsonl"
                        : std::filesystem::path(config.rejects_file));
  PusherOptions push_options;
  push_options.batch_records = config.batch_size;
  push_options.window = config.window;
  Pusher pusher(channel, *token, *spool, rejects, push_options);
  Spooler spooler(
      *spool, rejects, [&](const std::string& line) { console.Line(line); }, stop, config.reread);

  const steady_clock::time_point started = steady_clock::now();
  std::string spool_failure;
  std::thread spooling([&] {
    spool_failure = spooler.Run(inputs);
    spool->FinishAppending();
    if (!spool_failure.empty()) pusher.Stop();
  });
  PushResult result;
  std::atomic<bool> pushed{false};
  std::thread pushing([&] {
    result = pusher.Run();
    pushed = true;
  });

  int stopped_by = 0;
  uint64_t last_sent = 0;
  steady_clock::time_point last_progress = started;
  while (!pushed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (signal != nullptr && signal->load() != 0 && stopped_by == 0) {
      stopped_by = signal->load();
      stop = true;
      pusher.Stop();
    }
    const steady_clock::time_point now = steady_clock::now();
    if (now - last_progress >= std::chrono::milliseconds(500)) {
      const PushTotals totals = pusher.totals();
      const double seconds = std::chrono::duration<double>(now - last_progress).count();
      console.Progress(Fixed(static_cast<double>(totals.sent - last_sent) / seconds, 0) +
                       " records/s  acked " + std::to_string(totals.sent) + "  spooled " +
                       std::to_string(spool->committed_records()) + "  rejected " +
                       std::to_string(rejects.count()));
      last_sent = totals.sent;
      last_progress = now;
    }
  }
  if (result.outcome != PushResult::Outcome::kDrained) stop = true;
  pushing.join();
  spooling.join();

  const double seconds = std::chrono::duration<double>(steady_clock::now() - started).count();
  const PushTotals totals = pusher.totals();
  const Spooler::Totals spooled = spooler.totals();
  std::string summary = "sitrep-collector: sent " + std::to_string(totals.sent) + ", accepted " +
                        std::to_string(totals.accepted) + ", duplicates " +
                        std::to_string(totals.duplicates) + ", rejected " +
                        std::to_string(rejects.count());
  if (rejects.count() > 0) {
    summary += " (" + std::to_string(totals.rejected) + " by the server, " +
               std::to_string(spooled.rejected) + " locally; see " + rejects.path().string() + ")";
  }
  if (spooled.input_errors > 0) {
    summary += ", " + std::to_string(spooled.input_errors) + " input errors";
  }
  if (spooled.warnings > 0) summary += ", " + std::to_string(spooled.warnings) + " warnings";
  if (spooled.full_waits > 0) {
    summary += ", " + std::to_string(spooled.full_waits) + " waits for room on the spool's disk";
  }
  summary += ", in " + Fixed(seconds, 1) + " s, " +
             Fixed(seconds > 0 ? static_cast<double>(totals.sent) / seconds : 0, 0) + " records/s";
  const uint64_t pending = spool->pending_records();
  if (pending > 0) summary += "; " + std::to_string(pending) + " records wait in the spool";
  console.Print(summary);
  if (config.json) {
    out << nlohmann::ordered_json{{"sent", totals.sent},
                                  {"accepted", totals.accepted},
                                  {"duplicates", totals.duplicates},
                                  {"rejected", rejects.count()}}
               .dump()
        << "\n"
        << std::flush;
  }

  if (!spool_failure.empty()) {
    console.Print("sitrep-collector: the spool failed: " + spool_failure);
    return 1;
  }
  switch (result.outcome) {
    case PushResult::Outcome::kDrained:
      return 0;
    case PushResult::Outcome::kFatal:
      console.Print("sitrep-collector: " + result.message);
      return 1;
    case PushResult::Outcome::kStopped:
      break;
  }
  return stopped_by != 0 ? 128 + stopped_by : 1;
}

}  // namespace sitrep::collector
