#include "cli/command_line.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <string>
#include <vector>

#include "cli/demo_commands.h"
#include "cli/feed_commands.h"
#include "cli/health_commands.h"
#include "cli/notice_commands.h"
#include "cli/options.h"
#include "cli/registry_commands.h"
#include "cli/rpc_error.h"
#include "cli/session.h"
#include "cli/situation_commands.h"
#include "cli/usage_error.h"
#include "cli/vulnerability_commands.h"

namespace sitrep::cli {
namespace {

// CLI11's messages can span lines; SPEC §6 scripts and people expect one.
std::string OnOneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// Names the deepest command the parser got to, so that the hint points at the right --help.
std::string CommandPath(const CLI::App& app) {
  std::string path = app.get_name();
  const CLI::App* command = &app;
  // get_subcommands() lists the subcommands parsed so far, also after a parse error.
  for (std::vector<CLI::App*> parsed = app.get_subcommands(); !parsed.empty();
       parsed = command->get_subcommands()) {
    command = parsed.back();
    path += " " + command->get_name();
  }
  return path;
}

}  // namespace

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        Terminal terminal) {
  CLI::App app("sitrep — command-line client of the sitrep server", "sitrep");
  app.footer(
      "Environment: SITREP_SERVER, SITREP_TOKEN_FILE (or SITREP_TOKEN holding the token "
      "itself).\nExit codes: 0 ok, 1 the call failed, 2 usage error.");
  app.set_help_all_flag("--help-all", "show help of every command");
  // Lets global flags follow the command too: `sitrep enterprises list --json`. Subcommands
  // copy this setting when they are added, so it must come first.
  app.fallthrough();
  app.require_subcommand(1);

  GlobalOptions options;
  AddGlobalOptions(app, options);
  Action chosen;
  // Every command group registers itself here; a new group is one more line.
  AddRegistryCommands(app, chosen);
  AddHealthCommands(app, chosen);
  AddDemoCommands(app, chosen);
  AddFeedCommands(app, chosen);
  AddSituationCommands(app, chosen);
  AddNoticeCommands(app, chosen);
  AddVulnerabilityCommands(app, chosen);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);  // --help, --help-all
    err << "sitrep: " << OnOneLine(e.what()) << " (see " << CommandPath(app) << " --help)\n";
    return 2;
  }
  if (!chosen) {
    err << "sitrep: no command given (see sitrep --help)\n";
    return 2;
  }

  Session session(options, out, err, terminal);
  grpc::Status status;
  try {
    status = chosen(session);
  } catch (const UsageError& e) {
    err << "sitrep: " << OnOneLine(e.what()) << '\n';
    return 2;
  } catch (const std::exception& e) {
    err << "sitrep: " << OnOneLine(e.what()) << '\n';
    return 1;
  }
  if (!status.ok()) {
    err << "sitrep: " << FormatRpcError(status, {options.server, session.ServerReached()}) << '\n';
    return 1;
  }
  return 0;
}

}  // namespace sitrep::cli
