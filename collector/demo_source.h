#pragma once

#include <string>

#include "collector/demo_generator.h"
#include "collector/record_source.h"

namespace sitrep::collector {

// DemoGenerator as an input of options.count records, in chunks of 1,000. progress.offset
// counts records, so a resumed run regenerates and skips those already spooled and goes on
// with the same keys.
class DemoSource final : public RecordSource {
 public:
  DemoSource(DemoOptions options, InputProgress start);
  [[nodiscard]] bool Next(ImportChunk& chunk) override;

  // The checkpoint key of a demo run: the same options continue the same run.
  [[nodiscard]] static std::string Key(const DemoOptions& options);

 private:
  const uint64_t count_;
  DemoGenerator generator_;
  uint64_t produced_;
  bool done_;
};

}  // namespace sitrep::collector
