#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "collector/record_source.h"
#include "collector/stix_source.h"
#include "collector/taxii_client.h"

namespace sitrep::collector {

struct TaxiiOptions {
  std::string api_root;    // "https://peer/taxii2/api1/" (a missing final slash is added)
  std::string collection;  // the collection id
  TaxiiCredentials credentials;
  size_t limit = 100;                // objects per page asked for
  std::chrono::seconds poll{0};      // 0: stop at the end of the collection
  std::optional<uint32_t> province;  // for incidents without x_sitrep_province
  // Transient failures (no answer, HTTP 429 and 5xx) are retried this many times, waiting
  // 1, 2, 4 … up to 30 s between tries, before the input fails.
  int retries = 8;
};

// --format taxii: follows a remote TAXII 2.1 collection, one chunk per page of
// GET {api_root}collections/{id}/objects/?limit=…&next=… (docs/stix-inbound.md).
//
// Resuming: each chunk's progress.cursor holds where the next page starts — the server's `next`
// and the last page's X-TAXII-Date-Added-Last as added_after — and the Spooler commits it
// atomically with the page's records, so after a crash the collection continues after the last
// page whose records are durable in the spool, and no page is imported twice. A `next` the server
// no longer knows (HTTP 400 or 404: servers such as medallion keep it in memory) falls back to
// added_after. The input is never complete: a later run asks for what was added since.
class TaxiiSource final : public RecordSource {
 public:
  // Resumes at `start` (empty cursor: the collection's beginning). Once `stop` (may be null) is
  // set, waits end and the next chunk is the last.
  TaxiiSource(TaxiiOptions options, InputProgress start, const std::atomic<bool>* stop);

  // Throws std::runtime_error when the server refuses (401, 403, other 4xx), answers what is not
  // a TAXII envelope, or stays unreachable through the retries.
  [[nodiscard]] bool Next(ImportChunk& chunk) override;

  // The checkpoint key of a collection as seen by one user: the same collection read with other
  // credentials may show other objects, so it is another input.
  [[nodiscard]] static std::string Key(const TaxiiOptions& options);

 private:
  [[nodiscard]] std::string PageUrl();
  [[nodiscard]] TaxiiResponse Fetch(const std::string& url);
  [[nodiscard]] bool Wait(std::chrono::milliseconds delay) const;  // false when stopped
  void SaveCursor(InputProgress& progress) const;

  const TaxiiOptions options_;
  const std::atomic<bool>* const stop_;
  TaxiiClient client_;
  std::string next_;         // the server's next, when it gave one
  std::string added_after_;  // the newest date_added seen
  uint64_t pages_ = 0;
  uint64_t objects_ = 0;
  bool at_end_ = false;  // the last page said more: false
  bool done_ = false;
  StixTally tally_;
};

}  // namespace sitrep::collector
