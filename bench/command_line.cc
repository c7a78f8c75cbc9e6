#include "bench/command_line.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <functional>

#include "bench/bench_failure.h"
#include "bench/connection_options.h"
#include "bench/feeds_bench.h"
#include "bench/http_bench.h"
#include "bench/ingest_bench.h"
#include "bench/situation_bench.h"
#include "bench/taxii_bench.h"
#include "bench/vulns_bench.h"

namespace sitrep::bench {

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app("sitrep-bench — load generator behind the SPEC §7 benchmarks", "sitrep-bench");
  app.footer("Exit codes: 0 ok, 1 the benchmark failed, 2 usage error.");
  // The connection flags may follow the mode too: `sitrep-bench ingest --server …`. Modes copy
  // this setting when they are added, so it must come first.
  app.fallthrough();
  app.require_subcommand(1);

  ConnectionOptions connection;
  AddConnectionOptions(app, connection);
  std::function<void()> chosen;

  IngestOptions ingest;
  CLI::App* ingest_command =
      app.add_subcommand("ingest", "durable Push throughput against binary COPY of the same rows");
  AddIngestOptions(*ingest_command, ingest);
  ingest_command->callback([&] { chosen = [&] { RunIngestBench(connection, ingest, out, err); }; });

  FeedsOptions feeds;
  CLI::App* feeds_command = app.add_subcommand(
      "feeds", "feed-page and watch-delivery latency at a big database (loads it when missing)");
  AddFeedsOptions(*feeds_command, feeds);
  feeds_command->callback([&] { chosen = [&] { RunFeedsBench(connection, feeds, out, err); }; });

  SituationOptions situation;
  CLI::App* situation_command = app.add_subcommand(
      "situation", "GetSituation latency over 30 days at a big database (loads it when missing)");
  AddSituationOptions(*situation_command, situation);
  situation_command->callback(
      [&] { chosen = [&] { RunSituationBench(connection, situation, out, err); }; });

  HttpBenchOptions http;
  CLI::App* http_command = app.add_subcommand(
      "http", "server CPU of a feed page as JSON over HTTP against the same page over gRPC");
  AddHttpBenchOptions(*http_command, http);
  http_command->callback([&] { chosen = [&] { RunHttpBench(connection, http, out, err); }; });

  TaxiiBenchOptions taxii;
  CLI::App* taxii_command = app.add_subcommand(
      "taxii", "latency of a TAXII 2.1 incidents page over the HTTP edge (loads when missing)");
  AddTaxiiBenchOptions(*taxii_command, taxii);
  taxii_command->callback([&] { chosen = [&] { RunTaxiiBench(connection, taxii, out, err); }; });

  VulnsOptions vulns;
  CLI::App* vulns_command = app.add_subcommand(
      "vulns", "asset-advisory matching: assets pushed, then the CSAF advisories one at a time");
  AddVulnsOptions(*vulns_command, vulns);
  vulns_command->callback([&] { chosen = [&] { RunVulnsBench(connection, vulns, out, err); }; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error, out, err);  // --help
    err << "sitrep-bench: " << error.what() << " (see sitrep-bench --help)\n";
    return 2;
  }
  try {
    chosen();
  } catch (const BenchFailure& failure) {
    err << "sitrep-bench: " << failure.what() << '\n';
    return 1;
  } catch (const std::exception& error) {
    err << "sitrep-bench: failed: " << error.what() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace sitrep::bench
