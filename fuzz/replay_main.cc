// Replays the committed inputs of a fuzz target without libFuzzer, so every normal build (and
// CI's ASan/UBSan build with g++) runs them as a unit test: `fuzz_replay <target>` feeds each
// file of fuzz/corpus/<target>/ and fuzz/regressions/<target>/ to the target's
// LLVMFuzzerTestOneInput (renamed per target at compile time; see fuzz/CMakeLists.txt).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#define SITREP_FUZZ_TARGET(name) extern "C" int SitrepFuzz_##name(const uint8_t* data, size_t size);
#include "fuzz/targets.inc"
#undef SITREP_FUZZ_TARGET

namespace {

using Target = int (*)(const uint8_t*, size_t);

const std::map<std::string, Target> kTargets = {
#define SITREP_FUZZ_TARGET(name) {#name, &SitrepFuzz_##name},
#include "fuzz/targets.inc"
#undef SITREP_FUZZ_TARGET
};

// The files of `folder` in name order (none when it does not exist).
std::vector<std::filesystem::path> InputsIn(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(folder)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || !kTargets.contains(argv[1])) {
    std::fprintf(stderr, "usage: fuzz_replay <target>; targets:");
    for (const auto& [name, target] : kTargets) std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  const std::string name = argv[1];
  const std::filesystem::path root = SITREP_FUZZ_DIR;
  std::vector<std::filesystem::path> inputs = InputsIn(root / "corpus" / name);
  const size_t corpus = inputs.size();
  for (const auto& file : InputsIn(root / "regressions" / name)) inputs.push_back(file);
  if (corpus == 0) {  // a missing corpus must not pass as a clean replay
    std::fprintf(stderr, "no corpus in %s\n", (root / "corpus" / name).c_str());
    return 1;
  }
  for (const auto& file : inputs) {
    std::ifstream in(file, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 1;
    }
    kTargets.at(name)(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: %zu corpus and %zu regression inputs replayed\n", name.c_str(), corpus,
              inputs.size() - corpus);
  return 0;
}
