#include "http/taxii.h"

#include <grpcpp/client_context.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "domain/principal.h"
#include "domain/time_convert.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "http/wire.h"
#include "server/authenticator.h"

namespace sitrep::http {
namespace {

namespace bhttp = boost::beast::http;
using Json = nlohmann::json;
using Metadata = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kTaxiiType = "application/taxii+json;version=2.1";
constexpr const char* kStixType = "application/stix+json;version=2.1";
constexpr const char* kRoot = "/taxii2/api/";
constexpr int kMaxLimit = 1000;
constexpr size_t kMaxPostObjects = 1000;
// A lookup by object id walks the collection (ids are one-way hashes): at most this many
// records, then 404 saying so.
constexpr int kMaxScanPages = 100;

}  // namespace

namespace taxii {

enum class Kind { kIncidents, kAssets, kShared, kReference, kVulnerabilities };

struct Collection {
  Kind kind;
  const char* name;
  const char* title;
  const char* description;
};

// One record of a feed as STIX: its objects, where it sits and when it was added.
struct Entry {
  std::vector<Json> objects;
  // Makes `objects` when set: a page keeps only the records whose objects fit its limit, so
  // the records read past it are never exported.
  std::function<std::vector<Json>()> export_objects;
  std::string cursor;
  std::string date_added;
  bool skip = false;  // read past but not served (another collection's record)
};

// What one GET asks of a record collection (TAXII 2.1 §3.4 filtering).
struct Query {
  int limit = 100;
  std::string page_token;              // from next, or from added_after's position
  std::optional<int64_t> plain_after;  // added_after without a position: a time filter
  std::set<std::string> ids, types, versions;
  bool spec_version_ok = true;
};

}  // namespace taxii

namespace {

using taxii::Collection;
using taxii::Entry;
using taxii::Kind;
using taxii::Query;

constexpr std::array<Collection, 5> kCollections = {{
    {Kind::kIncidents, "incidents", "Incidents",
     "Every incident the caller may see, as STIX 2.1 incident objects (Incident Core extension) "
     "with their indicators, observables, vulnerabilities and ATT&CK for ICS references, in "
     "commit order. POST incident and indicator objects to report them as incidents."},
    {Kind::kAssets, "assets", "Industrial assets",
     "Every asset the caller may see, as infrastructure with its software, address, CVEs and "
     "owner, in commit order."},
    {Kind::kShared, "shared-with-me", "Shared with me",
     "The incidents other principals reported that reached the caller by its role or by their "
     "sharing scope (redacted where SPEC §3 says)."},
    {Kind::kReference, "reference", "Reference objects",
     "The objects every export refers to: this server's identity, the TLP 2.0 marking "
     "definitions and the TLP 2.0 and Incident Core extension definitions."},
    {Kind::kVulnerabilities, "vulnerabilities", "Vulnerabilities",
     "Every advisory the caller may see, as a STIX 2.1 report referring to a vulnerability per "
     "CVE, in commit order. POST vulnerability objects to add advisory stubs (collectors)."},
}};

// The collections a POST may write to, and the record kind each takes.
bool Writable(Kind kind) { return kind == Kind::kIncidents || kind == Kind::kVulnerabilities; }

// The gRPC feed whose cursor is a collection's `next`.
const char* FeedOf(Kind kind) {
  switch (kind) {
    case Kind::kAssets:
      return "assets";
    case Kind::kVulnerabilities:
      return "advisories";
    default:
      return "incidents";
  }
}

std::string HeaderOf(const Request& request, std::string_view name) {
  const auto value = request[boost::beast::string_view(name.data(), name.size())];
  return std::string(value.data(), value.size());
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

// A media type and whether it is TAXII 2.1's: "application/taxii+json" with no version or
// version=2.1 (TAXII 2.1 §1.6.8.1); for Accept also */* and application/*.
bool IsTaxiiType(std::string_view value, bool wildcards) {
  std::string text = Lower(std::string(value));
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  const size_t semicolon = text.find(';');
  const std::string type = text.substr(0, semicolon);
  if (wildcards && (type == "*/*" || type == "application/*")) return true;
  if (type != "application/taxii+json") return false;
  if (semicolon == std::string::npos) return true;
  std::string_view parameters = std::string_view(text).substr(semicolon + 1);
  while (!parameters.empty()) {
    const size_t next = parameters.find(';');
    const std::string_view parameter = parameters.substr(0, next);
    if (parameter.rfind("version=", 0) == 0 && parameter != "version=2.1") return false;
    if (next == std::string_view::npos) break;
    parameters.remove_prefix(next + 1);
  }
  return true;
}

bool Accepts(const Request& request) {
  const std::string accept = HeaderOf(request, "Accept");
  if (accept.empty()) return true;  // RFC 9110 §12.5.1: no Accept accepts anything
  std::string_view rest = accept;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    if (IsTaxiiType(Trim(rest.substr(0, comma)), true)) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

Response TaxiiResponse(bhttp::status status, const Json& body) {
  Response response(status, 11);
  response.set(bhttp::field::content_type, kTaxiiType);
  response.set(bhttp::field::cache_control, "no-store");
  response.body() = body.dump();
  return response;
}

// TAXII 2.1 §3.6.1: the error message resource.
Response TaxiiError(bhttp::status status, const std::string& title,
                    const std::string& description) {
  return TaxiiResponse(status, Json{{"title", title},
                                    {"description", description},
                                    {"http_status", std::to_string(static_cast<int>(status))}});
}

Response StatusError(const grpc::Status& status) {
  Response response = TaxiiError(
      HttpStatusFor(status.error_code()),
      status.error_code() == grpc::StatusCode::UNAUTHENTICATED ? "Not authenticated" : "Refused",
      status.error_message());
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    response.set(bhttp::field::www_authenticate, "Basic realm=\"sitrep TAXII\", Bearer");
  }
  return response;
}

// The query's parameters, decoded, in order.
std::vector<std::pair<std::string, std::string>> QueryParameters(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> parameters;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      parameters.emplace_back(UrlDecode(pair.substr(0, eq)),
                              eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return parameters;
}

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string part = Trim(text.substr(start, comma - start));
    if (!part.empty()) parts.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > 4096) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(text.data()),
                                   static_cast<int>(text.size()));
  if (size < 0) return std::nullopt;
  size_t length = static_cast<size_t>(size);
  // EVP_DecodeBlock counts the padding as zero bytes.
  if (text.size() >= 1 && text.back() == '=') --length;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --length;
  out.resize(length);
  return out;
}

// The token of a call: the password of HTTP Basic (the user name is not checked: the token
// names its principal) or a Bearer token. Empty when neither is given.
std::optional<std::string> TokenOf(const Request& request) {
  const std::string authorization = HeaderOf(request, "Authorization");
  if (authorization.empty()) return std::string();
  const size_t space = authorization.find(' ');
  const std::string scheme = Lower(authorization.substr(0, space));
  const std::string credentials =
      space == std::string::npos ? "" : Trim(std::string_view(authorization).substr(space + 1));
  if (scheme == "bearer" && !credentials.empty()) return credentials;
  if (scheme == "basic") {
    const std::optional<std::string> decoded = Base64Decode(credentials);
    if (!decoded) return std::nullopt;
    const size_t colon = decoded->find(':');
    if (colon == std::string::npos || colon + 1 == decoded->size()) return std::nullopt;
    return decoded->substr(colon + 1);
  }
  return std::nullopt;
}

int64_t Micros(const google::protobuf::Timestamp& time) {
  return time.seconds() * 1'000'000 + time.nanos() / 1000;
}

// A plain RFC 3339 UTC timestamp ("…Z", any fraction) as µs since the epoch, or nullopt.
std::optional<int64_t> ParseTimestamp(std::string_view text) {
  int year, month, day, hour, minute, second;
  char tail[64] = {0};
  if (text.size() < 20 || text.size() > 80 || text.back() != 'Z') return std::nullopt;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%63s", &year, &month, &day, &hour, &minute,
                  &second, tail) < 7) {
    return std::nullopt;
  }
  if (copy[4] != '-' || copy[7] != '-' || copy[10] != 'T' || copy[13] != ':' || copy[16] != ':') {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const std::string_view rest(tail);
  int64_t micros = 0;
  if (rest != "Z") {
    if (rest.size() < 3 || rest.front() != '.' || rest.back() != 'Z') return std::nullopt;
    const std::string_view fraction = rest.substr(1, rest.size() - 2);
    for (size_t i = 0; i < fraction.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(fraction[i]))) return std::nullopt;
      if (i < 6) micros = micros * 10 + (fraction[i] - '0');
    }
    for (size_t i = fraction.size(); i < 6; ++i) micros *= 10;
  }
  std::tm utc{};
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  return static_cast<int64_t>(timegm(&utc)) * 1'000'000 + micros;
}

google::protobuf::Timestamp FromMicros(int64_t micros) {
  google::protobuf::Timestamp time;
  time.set_seconds(micros / 1'000'000);
  time.set_nanos(static_cast<int32_t>(micros % 1'000'000) * 1000);
  return time;
}

// The status's message and the field violations it carries, for a TAXII status failure.
std::string Describe(const grpc::Status& status) {
  std::string text = status.error_message();
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return text;
  }
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      text += "; " + violation.field() + ": " + violation.description();
    }
  }
  return text;
}

// The audit name of a TAXII request: its route with the ids left out, so that the log's method
// column stays a short, known set whatever a client sends.
std::string RouteOf(const std::vector<std::string>& parts) {
  static const char* const kNames[] = {"api",     "collections", "{collection}",
                                       "objects", "{object}",    "versions"};
  std::string route = "/taxii2/";
  if (parts.empty()) return route;
  if (parts[0] != "api") return route + "{unknown}";
  if (parts.size() >= 2 && parts[1] == "status") return route + "api/status/{status}/";
  for (size_t i = 0; i < parts.size() && i < 6; ++i) {
    std::string name = kNames[i];
    if (i == 3 && parts[3] == "manifest") name = "manifest";
    if (name.front() != '{' && parts[i] != name) return route + "{unknown}";
    route += name + "/";
  }
  return parts.size() > 6 ? route + "{unknown}" : route;
}

std::string NewUuid() {
  std::array<uint8_t, 16> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("no random bytes");
  }
  return stix::Uuid5(random, "taxii-status");
}

}  // namespace

std::string DateAdded(int64_t stored_micros, FeedPosition position) {
  const std::time_t seconds = static_cast<std::time_t>(stored_micros / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld%020llu%019lldZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                utc.tm_sec, static_cast<long long>(stored_micros % 1'000'000),
                static_cast<unsigned long long>(position.xid),
                static_cast<long long>(std::max<int64_t>(position.seq, 0)));
  return text;
}

std::optional<FeedPosition> DateAddedPosition(std::string_view date_added) {
  const size_t dot = date_added.find('.');
  if (dot == std::string_view::npos || date_added.size() != dot + 1 + 6 + 20 + 19 + 1 ||
      date_added.back() != 'Z') {
    return std::nullopt;
  }
  const std::string_view xid = date_added.substr(dot + 7, 20);
  const std::string_view seq = date_added.substr(dot + 27, 19);
  FeedPosition position;
  if (std::from_chars(xid.data(), xid.data() + xid.size(), position.xid).ec != std::errc() ||
      std::from_chars(seq.data(), seq.data() + seq.size(), position.seq).ec != std::errc()) {
    return std::nullopt;
  }
  return position;
}

namespace {

bool Matches(const Query& query, const Json& object) {
  if (!query.spec_version_ok) return false;
  if (!query.ids.empty() && !query.ids.contains(object.value("id", ""))) return false;
  if (!query.types.empty() && !query.types.contains(object.value("type", ""))) return false;
  if (!query.versions.empty() && !query.versions.contains("last") &&
      !query.versions.contains("all")) {
    const std::string modified = object.value("modified", object.value("created", ""));
    const bool first = object.value("created", "") == modified;
    // The feed holds each record's latest revision: "first" matches one never amended.
    if (!(query.versions.contains("first") && first) && !query.versions.contains(modified)) {
      return false;
    }
  }
  return true;
}

std::string VersionOf(const Json& object, const std::string& date_added) {
  if (object.contains("modified")) return object["modified"];
  if (object.contains("created")) return object["created"];
  return date_added.substr(0, 23) + "Z";
}

}  // namespace

// One TAXII request in flight: its caller, its exchange and the gRPC calls it makes.
struct TaxiiApi::Call : std::enable_shared_from_this<TaxiiApi::Call> {
  TaxiiApi& api;
  std::shared_ptr<Exchange> exchange;
  Metadata metadata;
  v1::Principal caller;
  std::string path;  // for the audit entry of calls that make no gRPC call

  Call(TaxiiApi& api, std::shared_ptr<Exchange> exchange)
      : api(api), exchange(std::move(exchange)) {}

  void Reply(Response response) { exchange->Reply(std::move(response)); }

  // Audits a TAXII call that is no gRPC call (discovery, collections, status).
  void Audit(const grpc::Status& status) {
    if (api.options_.audit) {
      api.options_.audit(path, caller.id(), status, exchange->peer());
    }
  }

  template <class Response, class Request, class Start>
  void Unary(Request request, Start start,
             std::function<void(const grpc::Status&, Response&)> done) {
    struct State {
      grpc::ClientContext context;
      Request request;
      Response response;
    };
    auto state = std::make_shared<State>();
    state->request = std::move(request);
    for (const auto& [key, value] : metadata) state->context.AddMetadata(key, value);
    state->context.set_deadline(std::chrono::system_clock::now() + api.options_.call_deadline);
    api.started_();
    start(&state->context, &state->request, &state->response,
          [state, done = std::move(done), finished = api.finished_](grpc::Status status) {
            try {
              done(status, state->response);
            } catch (const std::exception&) {
              // A reply already went out or the exchange is gone; nothing more to say.
            }
            finished();
          });
  }

  // One page of the advisories feed after `query`, stubs included (a peer's posted
  // vulnerabilities are stubs), mapped to STIX.
  void FetchAdvisories(const Query& query, int page_size,
                       std::function<void(const grpc::Status&, std::vector<Entry>, bool)> done) {
    auto self = shared_from_this();
    v1::ListAdvisoriesRequest request;
    request.set_page_size(page_size);
    request.set_page_token(query.page_token);
    request.mutable_filter()->set_include_stubs(true);
    if (query.plain_after) {
      *request.mutable_filter()->mutable_published_time()->mutable_start_time() =
          FromMicros(*query.plain_after + 1);
    }
    Unary<v1::ListAdvisoriesResponse>(
        std::move(request),
        [self](auto* context, auto* request, auto* response, auto callback) {
          self->api.vulnerabilities_->async()->ListAdvisories(context, request, response,
                                                              std::move(callback));
        },
        [self, page_size, done](const grpc::Status& status, v1::ListAdvisoriesResponse& response) {
          std::vector<Entry> entries;
          for (const v1::Advisory& advisory : response.advisories()) {
            Entry entry;
            entry.export_objects = [self, advisory] {
              return stix::ExportAdvisory(self->api.exporter_, advisory);
            };
            entry.cursor = advisory.cursor();
            const auto position = DecodeFeedCursor("advisories", advisory.cursor());
            // The advisory's current release is when this version came to be.
            const auto& released = advisory.has_current_release_time()
                                       ? advisory.current_release_time()
                                       : advisory.published_time();
            entry.date_added = DateAdded(Micros(released), position.value_or(FeedPosition{}));
            entries.push_back(std::move(entry));
          }
          done(status, std::move(entries), response.advisories_size() >= page_size);
        });
  }

  // One page of `kind`'s feed after `query`, mapped to STIX.
  void FetchPage(Kind kind, const Query& query, int page_size,
                 std::function<void(const grpc::Status&, std::vector<Entry>, bool full)> done) {
    auto self = shared_from_this();
    if (kind == Kind::kAssets) {
      v1::ListAssetsRequest request;
      request.set_page_size(page_size);
      request.set_page_token(query.page_token);
      if (query.plain_after) {
        *request.mutable_filter()->mutable_last_seen_time()->mutable_start_time() =
            FromMicros(*query.plain_after + 1);
      }
      Unary<v1::ListAssetsResponse>(
          std::move(request),
          [self](auto* context, auto* request, auto* response, auto callback) {
            self->api.feeds_->async()->ListAssets(context, request, response, std::move(callback));
          },
          [self, page_size, done](const grpc::Status& status, v1::ListAssetsResponse& response) {
            std::vector<Entry> entries;
            for (const v1::Asset& asset : response.assets()) {
              Entry entry;
              entry.export_objects = [self, asset] {
                return stix::ExportAsset(self->api.exporter_, asset);
              };
              entry.cursor = asset.cursor();
              const auto position = DecodeFeedCursor("assets", asset.cursor());
              entry.date_added =
                  DateAdded(Micros(asset.last_seen_time()), position.value_or(FeedPosition{}));
              entries.push_back(std::move(entry));
            }
            done(status, std::move(entries), response.assets_size() >= page_size);
          });
      return;
    }
    if (kind == Kind::kVulnerabilities) return FetchAdvisories(query, page_size, std::move(done));
    v1::ListIncidentsRequest request;
    request.set_page_size(page_size);
    request.set_page_token(query.page_token);
    if (query.plain_after) {
      *request.mutable_filter()->mutable_receive_time()->mutable_start_time() =
          FromMicros(*query.plain_after + 1);
    }
    Unary<v1::ListIncidentsResponse>(
        std::move(request),
        [self](auto* context, auto* request, auto* response, auto callback) {
          self->api.feeds_->async()->ListIncidents(context, request, response, std::move(callback));
        },
        [self, kind, page_size, done](const grpc::Status& status,
                                      v1::ListIncidentsResponse& response) {
          std::vector<Entry> entries;
          for (const v1::Incident& incident : response.incidents()) {
            Entry entry;
            entry.cursor = incident.cursor();
            entry.skip = kind == Kind::kShared && incident.reporter_id() == self->caller.id();
            if (!entry.skip) {
              entry.export_objects = [self, incident] {
                return stix::ExportIncident(self->api.exporter_, incident);
              };
            }
            const auto position = DecodeFeedCursor("incidents", incident.cursor());
            entry.date_added =
                DateAdded(Micros(incident.update_time()), position.value_or(FeedPosition{}));
            entries.push_back(std::move(entry));
          }
          done(status, std::move(entries), response.incidents_size() >= page_size);
        });
  }
};

TaxiiApi::TaxiiApi(const EdgeOptions& options, const std::shared_ptr<grpc::Channel>& channel,
                   TokenLookup lookup, std::function<void()> started,
                   std::function<void()> finished, storage::TaxiiStatusStore& statuses)
    : options_(options),
      exporter_{options.stix_instance, options.stix_name},
      lookup_(std::move(lookup)),
      started_(std::move(started)),
      finished_(std::move(finished)),
      statuses_(statuses),
      feeds_(v1::FeedService::NewStub(channel)),
      reports_(v1::ReportService::NewStub(channel)),
      ingest_(v1::IngestService::NewStub(channel)),
      vulnerabilities_(v1::VulnerabilityService::NewStub(channel)) {}

TaxiiApi::~TaxiiApi() = default;

namespace {

std::string CollectionId(const stix::Exporter& exporter, const Collection& collection) {
  const std::string identity = stix::IdentityId(exporter);
  return stix::Uuid5(*stix::ParseUuid(identity.substr(identity.find("--") + 2)),
                     std::string("taxii-collection:") + collection.name);
}

Json CollectionJson(const stix::Exporter& exporter, const Collection& collection) {
  return Json{{"id", CollectionId(exporter, collection)},
              {"title", collection.title},
              {"description", collection.description},
              {"alias", collection.name},
              {"can_read", true},
              {"can_write", Writable(collection.kind)},
              {"media_types", Json::array({kStixType})}};
}

const Collection* FindCollection(const stix::Exporter& exporter, std::string_view id) {
  for (const Collection& collection : kCollections) {
    if (id == CollectionId(exporter, collection) || id == collection.name) return &collection;
  }
  return nullptr;
}

// Reads the filtering parameters of a GET (TAXII 2.1 §3.4); a message when one is malformed.
std::optional<std::string> ParseQuery(std::string_view query_text, Kind kind, Query& query) {
  const std::string feed = FeedOf(kind);
  std::optional<std::string> next;
  for (const auto& [name, value] : QueryParameters(query_text)) {
    if (name == "limit") {
      int limit = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (error != std::errc() || end != value.data() + value.size() || limit < 1) {
        return "limit must be a positive integer";
      }
      query.limit = std::min(limit, kMaxLimit);
    } else if (name == "next") {
      next = value;
    } else if (name == "added_after") {
      if (auto position = DateAddedPosition(value)) {
        query.page_token = EncodeFeedCursor(feed, *position);
      } else if (auto micros = ParseTimestamp(value)) {
        query.plain_after = *micros;
      } else {
        return "added_after must be an RFC 3339 UTC timestamp such as 2026-01-31T00:00:00Z";
      }
    } else if (name == "match[id]") {
      for (std::string& id : SplitComma(value)) query.ids.insert(std::move(id));
    } else if (name == "match[type]") {
      for (std::string& type : SplitComma(value)) query.types.insert(std::move(type));
    } else if (name == "match[version]") {
      for (std::string& version : SplitComma(value)) query.versions.insert(std::move(version));
    } else if (name == "match[spec_version]") {
      const std::vector<std::string> versions = SplitComma(value);
      query.spec_version_ok =
          versions.empty() || std::find(versions.begin(), versions.end(), "2.1") != versions.end();
    } else {
      return "unknown parameter " + name;
    }
  }
  if (next) {
    if (kind != Kind::kReference && !DecodeFeedCursor(feed, *next)) {
      return "next is not a value this collection gave";
    }
    query.page_token = *next;
  }
  return std::nullopt;
}

// A page of objects ready to send: the envelope and the first and last date_added.
struct Page {
  std::vector<std::pair<Json, std::string>> objects;  // object, date_added
  bool more = false;
  std::string next;
};

// Cuts a feed page into a TAXII page: whole records only, at most `limit` objects (one record
// with more objects than that still goes out whole, alone), filtered by `query`.
Page Assemble(const Query& query, std::vector<Entry> entries, bool full) {
  Page page;
  std::set<std::string> ids;  // objects shared by records (a CVE) go out once per page
  size_t count = 0;
  std::string last_cursor;
  for (Entry& entry : entries) {
    if (count >= static_cast<size_t>(query.limit)) {  // full: the rest is not even exported
      page.more = true;
      page.next = last_cursor;
      return page;
    }
    if (entry.export_objects) entry.objects = entry.export_objects();
    std::vector<std::pair<Json, std::string>> mine;
    for (Json& object : entry.objects) {
      if (!Matches(query, object)) continue;
      if (ids.contains(object["id"].get<std::string>())) continue;
      mine.emplace_back(std::move(object), entry.date_added);
    }
    if (count > 0 && count + mine.size() > static_cast<size_t>(query.limit)) {
      page.more = true;
      page.next = last_cursor;
      return page;
    }
    for (auto& item : mine) {
      ids.insert(item.first["id"].get<std::string>());
      page.objects.push_back(std::move(item));
    }
    count += mine.size();
    last_cursor = entry.cursor;
  }
  page.more = full;
  if (full) page.next = last_cursor;
  return page;
}

void SetDateHeaders(Response& response, const Page& page) {
  if (page.objects.empty()) return;
  response.set("X-TAXII-Date-Added-First", page.objects.front().second);
  response.set("X-TAXII-Date-Added-Last", page.objects.back().second);
}

std::vector<Entry> ReferenceEntries(const stix::Exporter& exporter) {
  std::vector<Entry> entries;
  int64_t index = 0;
  for (Json& object : stix::ReferenceObjects(exporter)) {
    Entry entry;
    ++index;
    entry.cursor = std::to_string(index);
    // The reference objects are there from the start: positions 1, 2, … of their own list.
    entry.date_added = DateAdded(1'704'067'200'000'000, FeedPosition{0, index});
    entry.objects.push_back(std::move(object));
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

void TaxiiApi::Handle(Request&& request, const std::shared_ptr<Exchange>& exchange) {
  auto call = std::make_shared<Call>(*this, exchange);
  const std::string target(request.target());
  const std::string path = target.substr(0, target.find('?'));
  const std::string query_text =
      target.size() > path.size() ? target.substr(path.size() + 1) : std::string();
  call->path = "/taxii2/";  // until the route is known

  const bool get = request.method() == bhttp::verb::get || request.method() == bhttp::verb::head;
  const bool post = request.method() == bhttp::verb::post;
  const bool remove = request.method() == bhttp::verb::delete_;
  // Refusals before the caller is known are audited without a principal.
  auto refuse = [&](Response response) {
    call->Audit(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "refused media type"));
    call->Reply(std::move(response));
  };
  if (!Accepts(request)) {
    return refuse(TaxiiError(bhttp::status::not_acceptable, "Not acceptable",
                             "this server answers application/taxii+json;version=2.1"));
  }
  if (post && !IsTaxiiType(HeaderOf(request, "Content-Type"), false)) {
    return refuse(TaxiiError(bhttp::status::unsupported_media_type, "Unsupported media type",
                             "POST a TAXII envelope as application/taxii+json;version=2.1"));
  }

  // Who calls: every TAXII endpoint needs a token (TAXII 2.1 §1.6.4).
  const std::optional<std::string> token = TokenOf(request);
  if (!token || token->empty()) {
    const std::string message = token ? "give a token: HTTP Basic with the token as the password, "
                                        "or Authorization: Bearer <token>"
                                      : "malformed Authorization header";
    const grpc::Status status(grpc::StatusCode::UNAUTHENTICATED, message);
    call->Audit(status);
    return call->Reply(StatusError(status));
  }
  std::variant<SignedIn, grpc::Status> who = lookup_(Sha256Hex(*token));
  if (auto* status = std::get_if<grpc::Status>(&who)) {
    call->Audit(*status);
    return call->Reply(StatusError(*status));
  }
  call->caller = std::get<SignedIn>(who).principal;
  call->metadata = {{kEdgeKeyMetadata, options_.edge_key},
                    {kEdgePeerMetadata, exchange->peer()},
                    {"authorization", "Bearer " + *token}};

  // Routes: /taxii2/, /taxii2/api/, …/collections/, …/collections/{id}/, …/objects/,
  // …/objects/{object-id}/, …/objects/{object-id}/versions/, …/manifest/, …/status/{id}/.
  std::vector<std::string> parts;
  {
    std::string_view rest(path);
    rest.remove_prefix(std::min(rest.size(), std::string_view("/taxii2").size()));
    while (!rest.empty()) {
      const size_t slash = rest.find('/');
      if (slash != 0) parts.push_back(UrlDecode(rest.substr(0, slash)));
      if (slash == std::string_view::npos) break;
      rest.remove_prefix(slash + 1);
    }
  }
  call->path = RouteOf(parts);
  auto not_found = [&](const std::string& what) {
    const grpc::Status status(grpc::StatusCode::NOT_FOUND, what);
    call->Audit(status);
    call->Reply(TaxiiError(bhttp::status::not_found, "Not found", what));
  };
  auto method_not_allowed = [&](const char* allow) {
    Response response = TaxiiError(bhttp::status::method_not_allowed, "Method not allowed",
                                   std::string("this resource takes ") + allow);
    response.set(bhttp::field::allow, allow);
    call->Audit(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, allow));
    call->Reply(std::move(response));
  };

  if (parts.empty()) {
    if (!get) return method_not_allowed("GET");
    const std::string host = HeaderOf(request, "Host");
    const std::string base = (exchange->tls() ? "https://" : "http://") +
                             (host.empty() ? std::string("localhost") : host);
    call->Audit(grpc::Status::OK);
    return call->Reply(TaxiiResponse(
        bhttp::status::ok,
        Json{{"title", "sitrep TAXII 2.1"},
             {"description",
              "The national industrial-Internet security situation server's feeds as STIX 2.1"},
             {"default", base + std::string(kRoot)},
             {"api_roots", Json::array({base + std::string(kRoot)})}}));
  }
  if (parts[0] != "api") return not_found("no such API root: /taxii2/" + parts[0] + "/");
  if (parts.size() == 1) {
    if (!get) return method_not_allowed("GET");
    call->Audit(grpc::Status::OK);
    return call->Reply(
        TaxiiResponse(bhttp::status::ok, Json{{"title", "sitrep"},
                                              {"description",
                                               "Incidents, assets, vulnerabilities and what "
                                               "was shared with the caller, under the "
                                               "caller's visibility."},
                                              {"versions", Json::array({kTaxiiType})},
                                              {"max_content_length", 4 << 20}}));
  }
  if (parts[1] == "status" && parts.size() == 3) {
    if (!get) return method_not_allowed("GET");
    const std::optional<std::string> found = statuses_.Find(parts[2], call->caller.id());
    if (!found) return not_found("no status " + parts[2] + " of yours");
    call->Audit(grpc::Status::OK);
    return call->Reply(TaxiiResponse(bhttp::status::ok, Json::parse(*found)));
  }
  if (parts[1] != "collections") return not_found("no such resource " + path);
  if (parts.size() == 2) {
    if (!get) return method_not_allowed("GET");
    Json collections = Json::array();
    for (const Collection& collection : kCollections) {
      collections.push_back(CollectionJson(exporter_, collection));
    }
    call->Audit(grpc::Status::OK);
    return call->Reply(TaxiiResponse(bhttp::status::ok, Json{{"collections", collections}}));
  }
  const Collection* collection = FindCollection(exporter_, parts[2]);
  if (collection == nullptr) return not_found("no collection " + parts[2]);
  if (parts.size() == 3) {
    if (!get) return method_not_allowed("GET");
    call->Audit(grpc::Status::OK);
    return call->Reply(TaxiiResponse(bhttp::status::ok, CollectionJson(exporter_, *collection)));
  }
  const std::string& resource = parts[3];
  if (resource == "objects" && parts.size() == 4 && post) {
    return Post(call, *collection, request.body());
  }
  if (resource == "objects" && parts.size() >= 5 && remove) {
    // SPEC keeps every record and revision: nothing is ever deleted, by anyone.
    const grpc::Status status(grpc::StatusCode::PERMISSION_DENIED,
                              "sitrep never deletes a record: every revision is kept (SPEC)");
    call->Audit(status);
    return call->Reply(
        TaxiiError(bhttp::status::forbidden, "Deletion refused", status.error_message()));
  }
  if (!get)
    return method_not_allowed(resource == "objects" && parts.size() == 4 ? "GET, POST" : "GET");
  Query query;
  if (auto problem = ParseQuery(query_text, collection->kind, query)) {
    call->Audit(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, *problem));
    return call->Reply(TaxiiError(bhttp::status::bad_request, "Bad request", *problem));
  }
  if (resource == "objects" && parts.size() == 4) return Objects(call, *collection, query, false);
  if (resource == "manifest" && parts.size() == 4) return Objects(call, *collection, query, true);
  if (resource == "objects" &&
      (parts.size() == 5 || (parts.size() == 6 && parts[5] == "versions"))) {
    query.ids = {parts[4]};
    return FindObject(call, *collection, query, parts.size() == 6);
  }
  not_found("no such resource " + path);
}

void TaxiiApi::Objects(const std::shared_ptr<Call>& call, const Collection& collection,
                       const Query& query, bool manifest) {
  auto reply = [call, manifest](const Page& page) {
    Json body = Json::object();
    body["more"] = page.more;
    if (page.more && !page.next.empty()) body["next"] = page.next;
    Json objects = Json::array();
    for (const auto& [object, date_added] : page.objects) {
      if (manifest) {
        objects.push_back(Json{{"id", object["id"]},
                               {"date_added", date_added},
                               {"version", VersionOf(object, date_added)},
                               {"media_type", kStixType}});
      } else {
        objects.push_back(object);
      }
    }
    if (!objects.empty()) body["objects"] = std::move(objects);
    Response response = TaxiiResponse(bhttp::status::ok, body);
    SetDateHeaders(response, page);
    call->Reply(std::move(response));
  };
  if (collection.kind == Kind::kReference) {
    std::vector<Entry> entries = ReferenceEntries(exporter_);
    size_t start = 0;
    if (!query.page_token.empty()) start = std::strtoull(query.page_token.c_str(), nullptr, 10);
    if (query.plain_after) start = entries.size();  // all of them were there before
    std::vector<Entry> rest;
    for (size_t i = std::min(start, entries.size()); i < entries.size(); ++i) {
      rest.push_back(std::move(entries[i]));
    }
    const bool cut = rest.size() > static_cast<size_t>(query.limit);
    if (cut) rest.resize(static_cast<size_t>(query.limit));
    call->Audit(grpc::Status::OK);
    return reply(Assemble(query, std::move(rest), cut));
  }
  call->FetchPage(
      collection.kind, query, query.limit,
      [call, query, reply](const grpc::Status& status, std::vector<Entry> entries, bool full) {
        if (!status.ok()) return call->Reply(StatusError(status));
        reply(Assemble(query, std::move(entries), full));
      });
}

// Object by id and its versions: the collection is walked (ids are one-way hashes of the
// record's id), a page of 1,000 records at a time, up to kMaxScanPages pages.
void TaxiiApi::FindObject(const std::shared_ptr<Call>& call, const Collection& collection,
                          Query query, bool versions) {
  auto finish = [call, versions,
                 id = *query.ids.begin()](const std::vector<std::pair<Json, std::string>>& found) {
    if (found.empty()) {
      return call->Reply(TaxiiError(bhttp::status::not_found, "Not found",
                                    "no object " + id + " in this collection that you may see"));
    }
    Json body;
    Page page;
    page.objects = found;
    if (versions) {
      Json list = Json::array();
      for (const auto& [object, date_added] : found) list.push_back(VersionOf(object, date_added));
      body = Json{{"more", false}, {"versions", list}};
    } else {
      Json objects = Json::array();
      for (const auto& item : found) objects.push_back(item.first);
      body = Json{{"more", false}, {"objects", objects}};
    }
    Response response = TaxiiResponse(bhttp::status::ok, body);
    SetDateHeaders(response, page);
    call->Reply(std::move(response));
  };
  if (collection.kind == Kind::kReference) {
    call->Audit(grpc::Status::OK);
    return finish(Assemble(query, ReferenceEntries(exporter_), false).objects);
  }
  query.limit = INT32_MAX;
  auto state = std::make_shared<std::pair<int, Query>>(0, query);
  auto step = std::make_shared<std::function<void()>>();
  *step = [this, call, &collection, state, step, finish]() {
    call->FetchPage(collection.kind, state->second, kMaxLimit,
                    [call, state, step, finish](const grpc::Status& status,
                                                std::vector<Entry> entries, bool full) {
                      if (!status.ok()) {
                        *step = nullptr;
                        return call->Reply(StatusError(status));
                      }
                      const std::string last = entries.empty() ? "" : entries.back().cursor;
                      Page page = Assemble(state->second, std::move(entries), false);
                      if (!page.objects.empty() || !full || ++state->first >= kMaxScanPages) {
                        *step = nullptr;  // breaks the cycle step → lambda → step
                        return finish(page.objects);
                      }
                      state->second.page_token = last;
                      (*step)();
                    });
  };
  (*step)();
}

namespace taxii {

// A POST in flight: one verdict and one outcome per object of the envelope, in its order.
struct Posted {
  std::string status_id;
  std::string requested;  // request_timestamp
  std::vector<stix::ObjectVerdict> verdicts;
  // Per object: nullopt while undecided, then "" for a success or the failure's message.
  std::vector<std::optional<std::string>> failures;
  std::vector<std::string> notes;  // per object: a success's message ("already stored")
  std::vector<std::pair<size_t, storage::StoredStixVersion>> amendments;  // newer versions
  std::mutex mu;
  size_t waiting = 0;  // calls not yet answered; guarded by mu

  void Succeed(size_t i, std::string note = "") {
    failures[i] = "";
    notes[i] = std::move(note);
  }
  void Fail(size_t i, std::string message) { failures[i] = std::move(message); }
};

}  // namespace taxii

namespace {

using taxii::Posted;

// Push's limits on one batch (PushBatch: 1,000 records and 4 MiB), with room for framing.
constexpr size_t kMaxBatchBytes = size_t{3} << 20;

// The fields of an incident a newer STIX version may change: all that stix/inbound.h reads,
// except the identity fields an amendment cannot touch.
constexpr const char* kAmendedPaths[] = {"sector",      "category",
                                         "subcategory", "severity",
                                         "tlp",         "sharing_scope",
                                         "status",      "occur_time",
                                         "detect_time", "title",
                                         "description", "indicators",
                                         "cve_ids",     "attack_technique_ids",
                                         "attributes"};

// One Push stream over the in-process channel: writes `batches`, collects their acks (in batch
// order) and calls `done` once with the stream's status. Owns itself until OnDone.
class PushStream final : public grpc::ClientBidiReactor<v1::PushBatch, v1::PushAck> {
 public:
  using Done = std::function<void(const grpc::Status&, std::vector<v1::PushAck>)>;

  static void Start(v1::IngestService::Stub& stub, const Metadata& metadata,
                    std::chrono::milliseconds deadline, std::vector<v1::PushBatch> batches,
                    Done done) {
    auto* stream = new PushStream(std::move(batches), std::move(done));
    for (const auto& [key, value] : metadata) stream->context_.AddMetadata(key, value);
    stream->context_.set_deadline(std::chrono::system_clock::now() + deadline);
    stub.async()->Push(&stream->context_, stream);
    stream->WriteNext();
    stream->StartRead(&stream->ack_);
    stream->StartCall();
  }

  void OnWriteDone(bool ok) override {
    if (ok && next_ < batches_.size()) WriteNext();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    acks_.push_back(ack_);
    StartRead(&ack_);
  }

  void OnDone(const grpc::Status& status) override {
    try {
      done_(status, std::move(acks_));
    } catch (const std::exception&) {
      // A reply already went out or the exchange is gone; nothing more to say.
    }
    delete this;
  }

 private:
  PushStream(std::vector<v1::PushBatch> batches, Done done)
      : batches_(std::move(batches)), done_(std::move(done)) {}

  void WriteNext() {
    const size_t index = next_++;
    if (next_ == batches_.size()) {
      StartWriteLast(&batches_[index], grpc::WriteOptions());
    } else {
      StartWrite(&batches_[index]);
    }
  }

  grpc::ClientContext context_;
  std::vector<v1::PushBatch> batches_;
  size_t next_ = 0;
  v1::PushAck ack_;
  std::vector<v1::PushAck> acks_;
  Done done_;
};

// What a Push rejection says, for a TAXII failure: the sitrep field and the sentence.
std::string Describe(const v1::Rejection& rejection) {
  std::string text = rejection.field().empty() ? "" : rejection.field() + ": ";
  return text + rejection.message() + " (" + rejection.reason() + ")";
}

// Where each object of a batch came from: the envelope index of its incidents and advisories.
struct BatchOrigin {
  std::vector<size_t> incidents, advisories;
};

// Decides the objects that need no write: rejected, ignored, or of a kind this collection does
// not take (incidents, from incident and indicator objects, here; advisory stubs, from
// vulnerability objects, in the vulnerabilities collection). Returns the STIX ids of the
// incidents left to write.
std::vector<std::string> Triage(Posted& posted, bool incidents_here) {
  using Outcome = stix::ObjectVerdict::Outcome;
  std::vector<std::string> incident_ids;
  for (size_t i = 0; i < posted.verdicts.size(); ++i) {
    const stix::ObjectVerdict& verdict = posted.verdicts[i];
    if (verdict.outcome == Outcome::kRejected) {
      posted.Fail(i, verdict.message);
    } else if (verdict.outcome == Outcome::kIgnored) {
      posted.Fail(i, "not stored: " + verdict.message);
    } else if (verdict.outcome == Outcome::kRecord &&
               verdict.record.has_incident() != incidents_here) {
      posted.Fail(i, incidents_here ? "the incidents collection takes incident and indicator "
                                      "objects; POST vulnerabilities to the vulnerabilities "
                                      "collection"
                                    : "the vulnerabilities collection takes vulnerability "
                                      "objects; POST incidents and indicators to the "
                                      "incidents collection");
    } else if (verdict.outcome == Outcome::kRecord && verdict.record.has_incident()) {
      incident_ids.push_back(verdict.stix_id);
    }
  }
  return incident_ids;
}

// Idempotency by id + modified (docs/stix-inbound.md): a version already stored is a success
// without a write, an older one a failure, a newer one an amendment.
void CompareWithStored(Posted& posted,
                       const std::map<std::string, storage::StoredStixVersion>& stored) {
  for (size_t i = 0; i < posted.verdicts.size(); ++i) {
    const stix::ObjectVerdict& verdict = posted.verdicts[i];
    if (posted.failures[i] || !verdict.record.has_incident()) continue;
    const auto found = stored.find(verdict.stix_id);
    if (found == stored.end()) continue;
    const std::optional<stix::VersionOrder> order =
        stix::CompareStixVersions(found->second.modified, verdict.version);
    if (order == stix::VersionOrder::kNewer) {
      posted.amendments.emplace_back(i, found->second);
    } else if (order == stix::VersionOrder::kOlder) {
      posted.Fail(i, "stale version: " + found->second.modified + " is stored and " +
                         verdict.version + " is older");
    } else {
      posted.Succeed(i, "already stored: nothing changed");
    }
  }
}

}  // namespace

// POST objects (TAXII 2.1 §5.5): each object is converted on its own (stix::ConvertDocument),
// then written as the poster through the gRPC API, so the poster's write permissions and the
// server's field checks decide as for any Push. The status resource is complete when the answer
// goes out (every object has been stored, found stored, or refused by then).
void TaxiiApi::Post(const std::shared_ptr<Call>& call, const Collection& collection,
                    const std::string& body) {
  if (!Writable(collection.kind)) {
    const grpc::Status status(grpc::StatusCode::PERMISSION_DENIED,
                              std::string("the ") + collection.name + " collection is read-only");
    call->Audit(status);
    return call->Reply(
        TaxiiError(bhttp::status::forbidden, "Read-only collection", status.error_message()));
  }
  std::string error;
  const std::optional<Json> envelope = stix::ParseStixDocument(body, error);
  if (!envelope) {
    call->Audit(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "not JSON"));
    return call->Reply(
        TaxiiError(bhttp::status::bad_request, "Bad request", "the body is not JSON: " + error));
  }
  if (!envelope->is_object() || !envelope->contains("objects") ||
      !(*envelope)["objects"].is_array() || (*envelope)["objects"].size() > kMaxPostObjects) {
    call->Audit(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "not an envelope"));
    return call->Reply(TaxiiError(
        bhttp::status::bad_request, "Bad request",
        "the body must be a TAXII envelope {\"objects\": [...]} of at most 1000 objects"));
  }
  stix::InboundContext context;
  if (call->caller.province() != 0) context.default_province = call->caller.province();
  auto posted = std::make_shared<Posted>();
  posted->status_id = NewUuid();
  posted->requested = stix::StixTime(ToTimestamp(options_.now()));
  posted->verdicts = stix::ConvertDocument(*envelope, context).objects;
  posted->failures.resize(posted->verdicts.size());
  posted->notes.resize(posted->verdicts.size());

  const std::vector<std::string> incident_ids =
      Triage(*posted, collection.kind == Kind::kIncidents);
  std::map<std::string, storage::StoredStixVersion> stored;
  try {
    // The token was checked a moment ago and Push checks it again: token_id 0 skips a third.
    Principal poster;
    poster.id = call->caller.id();
    poster.name = call->caller.name();
    poster.role = call->caller.role();
    poster.province = call->caller.province();
    poster.enterprise_id = call->caller.enterprise_id();
    stored = statuses_.StixVersions(poster, incident_ids);
  } catch (const std::exception&) {
    call->Audit(grpc::Status(grpc::StatusCode::UNAVAILABLE, "storage"));
    return call->Reply(TaxiiError(bhttp::status::service_unavailable, "Unavailable",
                                  "the stored versions could not be read; try again"));
  }
  CompareWithStored(*posted, stored);
  Write(call, posted);
}

// Pushes the new records (one stream) and amends the newer versions (one call each); Finish
// runs when the last answer is in.
void TaxiiApi::Write(const std::shared_ptr<Call>& call, const std::shared_ptr<Posted>& posted) {
  std::vector<v1::PushBatch> batches;
  std::vector<BatchOrigin> origins;
  size_t bytes = 0;
  for (size_t i = 0; i < posted->verdicts.size(); ++i) {
    stix::ObjectVerdict& verdict = posted->verdicts[i];
    if (posted->failures[i] || verdict.outcome != stix::ObjectVerdict::Outcome::kRecord) continue;
    if (std::any_of(posted->amendments.begin(), posted->amendments.end(),
                    [i](const auto& amendment) { return amendment.first == i; })) {
      continue;
    }
    const size_t size = verdict.record.ByteSizeLong();
    const size_t count = batches.empty() ? 0
                                         : static_cast<size_t>(batches.back().incidents_size() +
                                                               batches.back().advisories_size());
    if (batches.empty() || count >= kMaxPostObjects || bytes + size > kMaxBatchBytes) {
      batches.emplace_back().set_sequence(batches.size() + 1);
      origins.emplace_back();
      bytes = 0;
    }
    bytes += size;
    if (verdict.record.has_incident()) {
      *batches.back().add_incidents() = verdict.record.incident();
      origins.back().incidents.push_back(i);
    } else {
      *batches.back().add_advisories() = verdict.record.advisory();
      origins.back().advisories.push_back(i);
    }
  }
  posted->waiting = posted->amendments.size() + (batches.empty() ? 0 : 1);
  if (posted->waiting == 0) {
    call->Audit(grpc::Status::OK);  // nothing to write: no gRPC call audits this POST
    return Finish(call, *posted);
  }
  // The last answer in finishes the POST.
  auto answered = [this, call, posted]() {
    bool last = false;
    {
      std::lock_guard lock(posted->mu);
      last = --posted->waiting == 0;
    }
    if (last) Finish(call, *posted);
  };
  for (const auto& [index, version] : posted->amendments) {
    v1::AmendIncidentRequest request;
    request.set_incident_id(version.incident_id);
    request.set_kind(v1::AMENDMENT_KIND_FOLLOW_UP);
    *request.mutable_incident() = posted->verdicts[index].record.incident();
    for (const char* path : kAmendedPaths) {
      // A version that names no scope keeps the stored one (Push would default it likewise).
      if (std::string_view(path) == "sharing_scope" &&
          request.incident().sharing_scope() == v1::SHARING_SCOPE_UNSPECIFIED) {
        continue;
      }
      request.mutable_update_mask()->add_paths(path);
    }
    request.set_note("STIX version " + posted->verdicts[index].version + " posted over TAXII");
    call->Unary<v1::Incident>(
        std::move(request),
        [this](auto* context, auto* request, auto* response, auto callback) {
          reports_->async()->AmendIncident(context, request, response, std::move(callback));
        },
        [posted, index = index, answered](const grpc::Status& status, v1::Incident&) {
          {
            std::lock_guard lock(posted->mu);
            if (status.ok()) {
              posted->Succeed(index, "a newer version: amended");
            } else {
              posted->Fail(index, Describe(status));
            }
          }
          answered();
        });
  }
  if (batches.empty()) return;
  started_();
  PushStream::Start(*ingest_, call->metadata, options_.call_deadline, std::move(batches),
                    [posted, origins = std::move(origins), answered, finished = finished_](
                        const grpc::Status& status, std::vector<v1::PushAck> acks) {
                      {
                        std::lock_guard lock(posted->mu);
                        for (size_t b = 0; b < origins.size(); ++b) {
                          const BatchOrigin& origin = origins[b];
                          if (b >= acks.size()) {  // the stream ended before this batch was stored
                            const std::string message =
                                status.ok() ? "not acknowledged by the server; POST it again"
                                            : Describe(status);
                            for (size_t i : origin.incidents) posted->Fail(i, message);
                            for (size_t i : origin.advisories) posted->Fail(i, message);
                            continue;
                          }
                          for (const v1::Rejection& rejection : acks[b].rejections()) {
                            const std::vector<size_t>& of =
                                rejection.kind() == v1::RECORD_KIND_ADVISORY ? origin.advisories
                                                                             : origin.incidents;
                            if (rejection.index() < of.size())
                              posted->Fail(of[rejection.index()], Describe(rejection));
                          }
                          for (size_t i : origin.incidents) {
                            if (!posted->failures[i]) posted->Succeed(i);
                          }
                          for (size_t i : origin.advisories) {
                            if (!posted->failures[i]) posted->Succeed(i);
                          }
                        }
                      }
                      answered();
                      finished();
                    });
}

// Writes the status resource (TAXII 2.1 §4.3.1) and answers with it. A folded object shares
// the fate of the incidents it was folded into.
void TaxiiApi::Finish(const std::shared_ptr<Call>& call, const Posted& posted) {
  std::map<std::string, bool> stored_incidents;
  for (size_t i = 0; i < posted.verdicts.size(); ++i) {
    if (posted.verdicts[i].record.has_incident()) {
      stored_incidents[posted.verdicts[i].stix_id] =
          posted.failures[i].has_value() && posted.failures[i]->empty();
    }
  }
  Json successes = Json::array(), failures = Json::array();
  for (size_t i = 0; i < posted.verdicts.size(); ++i) {
    const stix::ObjectVerdict& verdict = posted.verdicts[i];
    Json entry = {{"id", verdict.stix_id.empty() ? std::string("(no id)") : verdict.stix_id}};
    if (!verdict.version.empty()) entry["version"] = verdict.version;
    std::string failure = posted.failures[i].value_or("");
    std::string note = posted.notes[i];
    if (verdict.outcome == stix::ObjectVerdict::Outcome::kFolded) {
      note = verdict.message;
      for (const std::string& incident : verdict.folded_into) {
        if (!stored_incidents[incident]) failure = "not stored: " + incident + " was not";
      }
    } else if (!posted.failures[i]) {
      failure = "not written";  // no path decided it: a gap, never a silent success
    }
    if (!failure.empty()) {
      entry["message"] = failure;
      failures.push_back(std::move(entry));
    } else {
      if (!note.empty()) entry["message"] = note;
      successes.push_back(std::move(entry));
    }
  }
  Json resource = {{"id", posted.status_id},
                   {"status", "complete"},
                   {"request_timestamp", posted.requested},
                   {"total_count", posted.verdicts.size()},
                   {"success_count", successes.size()},
                   {"successes", successes},
                   {"failure_count", failures.size()},
                   {"failures", failures},
                   {"pending_count", 0}};
  try {
    statuses_.Save(posted.status_id, call->caller.id(), resource.dump());
  } catch (const std::exception&) {
    return call->Reply(TaxiiError(bhttp::status::service_unavailable, "Unavailable",
                                  "the status could not be stored; try again"));
  }
  call->Reply(TaxiiResponse(bhttp::status::accepted, resource));
}

}  // namespace sitrep::http
