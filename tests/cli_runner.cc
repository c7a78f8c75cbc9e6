#include "tests/cli_runner.h"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>

#include "tests/server_fixture.h"

namespace sitrep::testing {

CliRun RunSitrep(int port, const std::filesystem::path& token_file, const std::string& args,
                 const std::filesystem::path& scratch_dir, const std::string& prefix) {
  const std::filesystem::path err_file = scratch_dir / "stderr.txt";
  const std::string command = prefix + std::string(SITREP_CLI_PATH) +
                              " --server 127.0.0.1:" + std::to_string(port) + " --token-file '" +
                              token_file.string() + "' " + args + " 2>'" + err_file.string() + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WEXITSTATUS(status), out, ReadText(err_file)};
}

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

std::vector<std::string> Values(const std::string& json_lines, const std::string& field) {
  std::vector<std::string> values;
  const std::string key = "\"" + field + "\":\"";
  for (std::size_t at = json_lines.find(key); at != std::string::npos;
       at = json_lines.find(key, at + 1)) {
    const std::size_t start = at + key.size();
    values.push_back(json_lines.substr(start, json_lines.find('"', start) - start));
  }
  return values;
}

}  // namespace sitrep::testing
