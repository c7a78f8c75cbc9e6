#pragma once

#include <grpcpp/channel.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/page_token.h"
#include "http/edge.h"
#include "http/http_server.h"
#include "sitrep/v1/feed.grpc.pb.h"
#include "sitrep/v1/ingest.grpc.pb.h"
#include "sitrep/v1/report.grpc.pb.h"
#include "sitrep/v1/vulnerability.grpc.pb.h"
#include "stix/inbound.h"
#include "stix/stix_export.h"
#include "storage/taxii_status_store.h"

namespace sitrep::http {

namespace taxii {
struct Collection;
struct Posted;
struct Query;
}  // namespace taxii

// TAXII 2.1 on the HTTP edge (README "TAXII 2.1", docs/stix-mapping.md): discovery at
// /taxii2/, one API root at /taxii2/api/ whose collections are sitrep's feeds as STIX 2.1
// (incidents, assets, vulnerabilities, "shared with me", and the reference objects every export
// refers to). A POST is converted by stix/inbound.h (docs/stix-inbound.md) object by object and
// written through IngestService.Push (and AmendIncident for a newer version) as the poster.
// Every call needs a token (HTTP Basic with the token as password, or Bearer). Reads and
// reports go through the in-process gRPC channel with the caller's token, so row-level
// security, redaction, write permissions, audit and metrics are the gRPC API's own; the calls
// that make no gRPC call (discovery, collections, status, refusals) are audited through
// `options.audit` under their path. TAXII's `next` is the feed cursor.
class TaxiiApi final {
 public:
  // `started` and `finished` bracket every gRPC call (the edge waits for them when it stops).
  TaxiiApi(const EdgeOptions& options, const std::shared_ptr<grpc::Channel>& channel,
           TokenLookup lookup, std::function<void()> started, std::function<void()> finished,
           storage::TaxiiStatusStore& statuses);
  ~TaxiiApi();

  // Answers one request whose path starts with /taxii2/.
  void Handle(Request&& request, const std::shared_ptr<Exchange>& exchange);

  struct Call;  // one TAXII request in flight (taxii.cc)

 private:
  void Objects(const std::shared_ptr<Call>& call, const taxii::Collection& collection,
               const taxii::Query& query, bool manifest);
  void FindObject(const std::shared_ptr<Call>& call, const taxii::Collection& collection,
                  taxii::Query query, bool versions);
  void Post(const std::shared_ptr<Call>& call, const taxii::Collection& collection,
            const std::string& body);
  void Write(const std::shared_ptr<Call>& call, const std::shared_ptr<taxii::Posted>& posted);
  void Finish(const std::shared_ptr<Call>& call, const taxii::Posted& posted);

  const EdgeOptions& options_;
  const stix::Exporter exporter_;
  const TokenLookup lookup_;
  const std::function<void()> started_, finished_;
  storage::TaxiiStatusStore& statuses_;
  const std::unique_ptr<v1::FeedService::Stub> feeds_;
  const std::unique_ptr<v1::ReportService::Stub> reports_;
  const std::unique_ptr<v1::IngestService::Stub> ingest_;
  const std::unique_ptr<v1::VulnerabilityService::Stub> vulnerabilities_;
};

// TAXII `date_added` of a record served at feed position `position` and stored at
// `stored_micros` (µs since the epoch): the stored time to the microsecond, then the position
// as 39 more digits of the fraction (20 of the transaction id, 19 of the sequence number), so
// that a client passing X-TAXII-Date-Added-Last back as added_after resumes exactly after the
// record, whatever other records share its time (docs/stix-mapping.md, "Paging").
[[nodiscard]] std::string DateAdded(int64_t stored_micros, FeedPosition position);
// The feed position inside a DateAdded value; nullopt for any other timestamp.
[[nodiscard]] std::optional<FeedPosition> DateAddedPosition(std::string_view date_added);

}  // namespace sitrep::http
