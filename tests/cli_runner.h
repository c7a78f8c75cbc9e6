#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sitrep::testing {

// What one run of the sitrep binary left.
struct CliRun {
  int exit_code;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `<prefix>sitrep --server 127.0.0.1:<port> --token-file '<token_file>' <args>` through
// the shell, stdout a pipe (so: no colours, no cutting), stderr kept in a file of `scratch_dir`.
// `prefix` may set environment variables; `args` is shell text, quoted by the caller.
[[nodiscard]] CliRun RunSitrep(int port, const std::filesystem::path& token_file,
                               const std::string& args, const std::filesystem::path& scratch_dir,
                               const std::string& prefix = "");

// The number of lines of `text`.
[[nodiscard]] int Lines(const std::string& text);

// Every value of "field":"..." in JSON lines, in order (int64 ids are strings in proto JSON).
[[nodiscard]] std::vector<std::string> Values(const std::string& json_lines,
                                              const std::string& field);

}  // namespace sitrep::testing
