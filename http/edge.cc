#include "http/edge.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/client_callback.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "http/taxii.h"
#include "http/wire.h"
#include "proto/status_code_name.h"
#include "server/authenticator.h"

namespace sitrep::http {
namespace {

namespace bhttp = boost::beast::http;
namespace pb = google::protobuf;
using Json = nlohmann::json;
using Metadata = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kCookieName = "sitrep_session";
constexpr std::string_view kApiPrefix = "/sitrep.v1.";
constexpr size_t kMaxPushBatches = 1000;
// The services the JSON API exposes (health and reflection stay gRPC-only).
constexpr std::array<std::string_view, 6> kServices = {
    "sitrep.v1.FeedService",     "sitrep.v1.NotificationService", "sitrep.v1.ReportService",
    "sitrep.v1.RegistryService", "sitrep.v1.IngestService",       "sitrep.v1.VulnerabilityService"};

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 15]);
  }
  return text;
}

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> random(bytes);
  if (RAND_bytes(random.data(), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("no random bytes");
  }
  return Hex(random.data(), bytes);
}

bool SameHex(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The session's CSRF token follows from its id, so GET /session can tell it again although only
// its hash is stored; a page of another site cannot read the HttpOnly cookie to derive it.
std::string CsrfToken(std::string_view session_id) {
  return Sha256Hex("sitrep-csrf:" + std::string(session_id));
}

std::string Rfc3339(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Connect's code names: the gRPC names in lower snake case.
std::string CodeName(grpc::StatusCode code) {
  std::string name = StatusCodeName(code);
  if (name.rfind("CODE_", 0) == 0) return "unknown";
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

Response JsonResponse(bhttp::status status, std::string body) {
  Response response(status, 11);
  response.set(bhttp::field::content_type, "application/json");
  response.set(bhttp::field::cache_control, "no-store");
  response.body() = std::move(body);
  return response;
}

// The error body: code, message and the field violations of a google.rpc.BadRequest detail.
Json ErrorJson(const grpc::Status& status) {
  Json body = {{"code", CodeName(status.error_code())}, {"message", status.error_message()}};
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    Json violations = Json::array();
    for (const pb::Any& any : details.details()) {
      google::rpc::BadRequest bad_request;
      if (!any.UnpackTo(&bad_request)) continue;
      for (const auto& violation : bad_request.field_violations()) {
        violations.push_back({{"field", violation.field()},
                              {"reason", violation.reason()},
                              {"description", violation.description()}});
      }
    }
    if (!violations.empty()) body["field_violations"] = std::move(violations);
  }
  return body;
}

Response StatusResponse(const grpc::Status& status) {
  return JsonResponse(HttpStatusFor(status.error_code()), ErrorJson(status).dump());
}

Response Refusal(grpc::StatusCode code, const std::string& message) {
  return StatusResponse(grpc::Status(code, message));
}

// A request body protobuf could not read: 400 naming the field when protobuf says which.
// protobuf 3.21 words it "(path) name: complaint" for an unknown field and "(path): complaint"
// for a bad value; `prefix` places the body inside a larger one (a Push batch).
Response MalformedJson(std::string problem, const std::string& prefix = "") {
  std::string field;
  if (!problem.empty() && problem.front() == '(') {
    const size_t close = problem.find(')');
    if (close != std::string::npos) {
      field = problem.substr(1, close - 1);
      problem.erase(0, close + 1);
      const size_t colon = problem.find(':');
      const std::string name = colon == std::string::npos ? "" : problem.substr(0, colon);
      if (!name.empty() && name.front() == ' ' && name.find(' ', 1) == std::string::npos) {
        field += (field.empty() ? "" : ".") + name.substr(1);
      }
      if (colon != std::string::npos) problem.erase(0, colon + 1);
      while (!problem.empty() && problem.front() == ' ') problem.erase(0, 1);
    }
  }
  if (!prefix.empty()) field = field.empty() ? prefix : prefix + "." + field;
  const std::string message =
      "malformed JSON request" + (field.empty() ? "" : " at " + field) + ": " + problem;
  Json body = {{"code", "invalid_argument"}, {"message", message}};
  body["field_violations"] =
      Json::array({{{"field", field}, {"reason", "MALFORMED_JSON"}, {"description", message}}});
  return JsonResponse(bhttp::status::bad_request, body.dump());
}

grpc::ByteBuffer ToBuffer(const pb::Message& message) {
  const std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool FromBuffer(const grpc::ByteBuffer& buffer, pb::Message& message) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return message.ParseFromString(bytes);
}

std::unique_ptr<pb::Message> NewMessage(const pb::Descriptor* type) {
  return std::unique_ptr<pb::Message>(
      pb::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

std::optional<Response> ParseJson(const std::string& text, pb::Message& message,
                                  const std::string& prefix = "") {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = pb::util::JsonStringToMessage(text.empty() ? std::string_view("{}") : text,
                                                    &message, options);
  if (status.ok()) return std::nullopt;
  return MalformedJson(std::string(status.message()), prefix);
}

std::string ToJson(const pb::Message& message) {
  std::string json;
  (void)pb::util::MessageToJsonString(message, &json, pb::util::JsonPrintOptions());
  return json;
}

// The value of query parameter `name` in `query` ("a=1&b=2"), decoded.
std::optional<std::string> QueryParameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::string> SessionCookie(const Request& request) {
  for (auto it = request.find(bhttp::field::cookie);
       it != request.end() && it->name() == bhttp::field::cookie; ++it) {
    std::string_view cookies(it->value().data(), it->value().size());
    while (!cookies.empty()) {
      while (!cookies.empty() && cookies.front() == ' ') cookies.remove_prefix(1);
      const size_t semi = cookies.find(';');
      const std::string_view pair = cookies.substr(0, semi);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == kCookieName) {
        return std::string(pair.substr(eq + 1));
      }
      if (semi == std::string_view::npos) break;
      cookies.remove_prefix(semi + 1);
    }
  }
  return std::nullopt;
}

bool IsJson(const Request& request) {
  const auto type = request[bhttp::field::content_type];
  std::string_view value(type.data(), type.size());
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value == "application/json";
}

std::string Header(const Request& request, std::string_view name) {
  const auto value = request[boost::beast::string_view(name.data(), name.size())];
  return std::string(value.data(), value.size());
}

// Who a call runs as: the metadata to send, or the refusal to answer.
struct CallIdentity {
  Metadata metadata;
  std::optional<Response> refused;
};

void StartContext(grpc::ClientContext& context, const Metadata& metadata,
                  std::chrono::milliseconds deadline) {
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
  if (deadline.count() > 0) context.set_deadline(std::chrono::system_clock::now() + deadline);
}

const pb::MethodDescriptor* FindMethod(std::string_view path) {
  // "/sitrep.v1.FeedService/ListIncidents"
  const size_t slash = path.find('/', 1);
  if (slash == std::string_view::npos) return nullptr;
  const std::string service_name(path.substr(1, slash - 1));
  if (std::find(kServices.begin(), kServices.end(), service_name) == kServices.end()) {
    return nullptr;
  }
  const pb::ServiceDescriptor* service =
      pb::DescriptorPool::generated_pool()->FindServiceByName(service_name);
  return service == nullptr ? nullptr
                            : service->FindMethodByName(std::string(path.substr(slash + 1)));
}

// The SSE event of one watch message: its cursor as id, what it carries as event.
std::string SseEvent(const pb::Message& message) {
  const pb::Descriptor* type = message.GetDescriptor();
  const pb::Reflection* reflection = message.GetReflection();
  std::string kind = "heartbeat", cursor;
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    if (field->is_repeated() && reflection->FieldSize(message, field) > 0) kind = field->name();
    if (field->name() == "cursor" && field->type() == pb::FieldDescriptor::TYPE_STRING) {
      cursor = reflection->GetString(message, field);
    }
  }
  std::string event;
  if (!cursor.empty()) event += "id: " + cursor + "\n";
  return event + "event: " + kind + "\ndata: " + ToJson(message) + "\n\n";
}

}  // namespace

// One API call in flight, over the in-process channel. Unary calls, Push as a batch and watches
// all run as bidirectional generic calls (the wire is the same), so one reactor serves all:
// requests are written in order, each response read is handed to `on_message`, and the call
// ends in `on_done`. Owns itself until OnDone.
class HttpEdge::Call final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  using OnMessage = std::function<void(const grpc::ByteBuffer&)>;
  using OnDoneFn = std::function<void(const grpc::Status&)>;

  // Keeps the call cancellable from the HTTP side until it is done.
  struct Cancel {
    std::mutex mu;
    grpc::ClientContext* context = nullptr;  // guarded by mu; null once done
    void operator()() {
      std::lock_guard lock(mu);
      if (context != nullptr) context->TryCancel();
    }
  };

  static std::shared_ptr<Cancel> Start(HttpEdge& edge, const std::string& path,
                                       const Metadata& metadata, std::chrono::milliseconds deadline,
                                       std::vector<grpc::ByteBuffer> requests, OnMessage on_message,
                                       OnDoneFn on_done) {
    auto* call = new Call(edge, std::move(requests), std::move(on_message), std::move(on_done));
    std::shared_ptr<Cancel> cancel = call->cancel_;
    StartContext(call->context_, metadata, deadline);
    edge.CallStarted();
    grpc::GenericStub(edge.channel_)
        .PrepareBidiStreamingCall(&call->context_, path, grpc::StubOptions(), call);
    call->WriteNext();
    call->StartRead(&call->incoming_);
    call->StartCall();
    return cancel;
  }

  void OnWriteDone(bool ok) override {
    if (ok && next_ < requests_.size()) WriteNext();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    on_message_(incoming_);
    StartRead(&incoming_);
  }

  void OnDone(const grpc::Status& status) override {
    {
      std::lock_guard lock(cancel_->mu);
      cancel_->context = nullptr;
    }
    on_done_(status);
    HttpEdge& edge = edge_;
    delete this;
    edge.CallFinished();
  }

 private:
  Call(HttpEdge& edge, std::vector<grpc::ByteBuffer> requests, OnMessage on_message,
       OnDoneFn on_done)
      : edge_(edge),
        requests_(std::move(requests)),
        on_message_(std::move(on_message)),
        on_done_(std::move(on_done)),
        cancel_(std::make_shared<Cancel>()) {
    cancel_->context = &context_;
  }

  void WriteNext() {
    const size_t index = next_++;
    if (next_ == requests_.size()) {
      StartWriteLast(&requests_[index], grpc::WriteOptions());
    } else {
      StartWrite(&requests_[index]);
    }
  }

  HttpEdge& edge_;
  grpc::ClientContext context_;
  std::vector<grpc::ByteBuffer> requests_;
  size_t next_ = 0;
  grpc::ByteBuffer incoming_;
  OnMessage on_message_;
  OnDoneFn on_done_;
  std::shared_ptr<Cancel> cancel_;
};

HttpEdge::HttpEdge(EdgeOptions options, std::shared_ptr<grpc::Channel> channel,
                   storage::SessionStore& sessions, TokenLookup lookup)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      sessions_(sessions),
      lookup_(std::move(lookup)) {
  if (options_.taxii_statuses != nullptr) {
    taxii_ = std::make_unique<TaxiiApi>(
        options_, channel_, lookup_, [this] { CallStarted(); }, [this] { CallFinished(); },
        *options_.taxii_statuses);
  }
  server_ = std::make_unique<HttpServer>(
      options_.server, [this](Request&& request, std::shared_ptr<Exchange> exchange) {
        try {
          Handle(std::move(request), exchange);
        } catch (const std::exception&) {
          // PostgreSQL failing under a session lookup: never its text to the client.
          exchange->Reply(Refusal(grpc::StatusCode::UNAVAILABLE,
                                  "the session store is unavailable; try again"));
        }
      });
}

HttpEdge::~HttpEdge() {
  {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [this] { return in_flight_ == 0; });
  }
  server_->Stop();
}

void HttpEdge::CallStarted() {
  std::lock_guard lock(mu_);
  ++in_flight_;
}

void HttpEdge::CallFinished() {
  std::lock_guard lock(mu_);
  if (--in_flight_ == 0) idle_.notify_all();
}

void HttpEdge::Handle(Request&& request, std::shared_ptr<Exchange> exchange) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  if (path.substr(0, kApiPrefix.size()) == kApiPrefix)
    return HandleRpc(std::move(request), exchange);
  if (path == "/session" || path == "/session/end") return HandleSession(request, exchange);
  if (taxii_ && (path == "/taxii2" || path.substr(0, 8) == "/taxii2/")) {
    return taxii_->Handle(std::move(request), exchange);
  }
  HandleStatic(request, exchange);
}

namespace {

// Bearer token, or the session cookie (whose POSTs must carry the session's CSRF token), or
// neither (the service then answers UNAUTHENTICATED itself).
CallIdentity Identify(const Request& request, const Exchange& exchange,
                      storage::SessionStore& sessions, const std::string& edge_key,
                      std::chrono::system_clock::time_point now) {
  CallIdentity identity;
  identity.metadata = {{kEdgeKeyMetadata, edge_key}, {kEdgePeerMetadata, exchange.peer()}};
  const std::string authorization = Header(request, "Authorization");
  if (!authorization.empty()) {
    identity.metadata.emplace_back("authorization", authorization);
    return identity;
  }
  const std::optional<std::string> cookie = SessionCookie(request);
  if (!cookie) return identity;
  const std::optional<storage::HttpSession> session = sessions.Find(Sha256Hex(*cookie), now);
  if (!session) {
    identity.refused = Refusal(grpc::StatusCode::UNAUTHENTICATED,
                               "the session has ended or expired; sign in again");
    return identity;
  }
  if (request.method() != bhttp::verb::get && request.method() != bhttp::verb::head &&
      !SameHex(Sha256Hex(Header(request, "X-CSRF-Token")), session->csrf_sha256)) {
    identity.refused = Refusal(grpc::StatusCode::PERMISSION_DENIED,
                               "missing or wrong X-CSRF-Token header: a request with the session "
                               "cookie must carry the session's CSRF token");
    return identity;
  }
  identity.metadata.emplace_back(kEdgeTokenMetadata, session->token_sha256);
  return identity;
}

}  // namespace

void HttpEdge::HandleRpc(Request&& request, const std::shared_ptr<Exchange>& exchange) {
  const std::string target(request.target());
  const std::string path = target.substr(0, target.find('?'));
  const pb::MethodDescriptor* method = FindMethod(path);
  if (method == nullptr) {
    return exchange->Reply(Refusal(grpc::StatusCode::NOT_FOUND, "no method " + path));
  }
  const bool watch = method->server_streaming() && !method->client_streaming();
  const bool is_get = request.method() == bhttp::verb::get;
  if (watch ? !is_get : request.method() != bhttp::verb::post) {
    Response refused = Refusal(grpc::StatusCode::UNIMPLEMENTED,
                               path + (watch ? " is a watch: GET it with Accept: text/event-stream"
                                             : " takes POST with a JSON body"));
    refused.result(bhttp::status::method_not_allowed);
    refused.set(bhttp::field::allow, watch ? "GET" : "POST");
    return exchange->Reply(std::move(refused));
  }
  if (!watch && !IsJson(request)) {
    Response refused =
        Refusal(grpc::StatusCode::INVALID_ARGUMENT, "Content-Type must be application/json");
    refused.result(bhttp::status::unsupported_media_type);
    return exchange->Reply(std::move(refused));
  }
  CallIdentity identity =
      Identify(request, *exchange, sessions_, options_.edge_key, options_.now());
  if (identity.refused) return exchange->Reply(std::move(*identity.refused));

  std::vector<grpc::ByteBuffer> requests;
  std::unique_ptr<pb::Message> input = NewMessage(method->input_type());
  if (method->client_streaming()) {
    // Push as one batch call: {"batches": [PushBatch, ...]} in, {"acks": [PushAck, ...]} out.
    Json body;
    try {
      body = Json::parse(request.body().empty() ? std::string("{}") : request.body());
    } catch (const Json::exception& error) {
      return exchange->Reply(MalformedJson(error.what()));
    }
    if (!body.is_object() || !body.contains("batches") || !body["batches"].is_array() ||
        body["batches"].empty() || body["batches"].size() > kMaxPushBatches) {
      return exchange->Reply(
          MalformedJson("the body must be {\"batches\": [PushBatch, ...]} with 1.." +
                            std::to_string(kMaxPushBatches) + " batches",
                        "batches"));
    }
    for (size_t i = 0; i < body["batches"].size(); ++i) {
      input->Clear();
      if (auto refused =
              ParseJson(body["batches"][i].dump(), *input, "batches[" + std::to_string(i) + "]")) {
        return exchange->Reply(std::move(*refused));
      }
      requests.push_back(ToBuffer(*input));
    }
  } else {
    std::string json = request.body();
    if (watch)
      json = QueryParameter(target.substr(path.size() + (target.size() > path.size())), "message")
                 .value_or("{}");
    if (auto refused = ParseJson(json, *input)) return exchange->Reply(std::move(*refused));
    if (watch) {
      // EventSource reconnects with the last event's id: resume from that cursor.
      const std::string last_event = Header(request, "Last-Event-ID");
      const pb::FieldDescriptor* cursor = method->input_type()->FindFieldByName("cursor");
      if (!last_event.empty() && cursor != nullptr &&
          cursor->type() == pb::FieldDescriptor::TYPE_STRING) {
        input->GetReflection()->SetString(input.get(), cursor, last_event);
      }
    }
    requests.push_back(ToBuffer(*input));
  }

  const pb::Descriptor* output_type = method->output_type();
  if (watch) {
    // The event stream opens at once (an EventSource waits for it; a feed's first heartbeat may
    // be seconds away). A refusal by the service then comes as an "error" event, like the end
    // of a stream whose credential ended; the edge's own refusals above are plain HTTP errors.
    Response head(bhttp::status::ok, 11);
    head.set(bhttp::field::content_type, "text/event-stream");
    exchange->StartStream(std::move(head), options_.heartbeat);
    auto cancel = Call::Start(
        *this, path, identity.metadata, std::chrono::milliseconds(0), std::move(requests),
        [exchange, output_type](const grpc::ByteBuffer& buffer) {
          std::unique_ptr<pb::Message> message = NewMessage(output_type);
          if (FromBuffer(buffer, *message)) exchange->Send(SseEvent(*message));
        },
        [exchange](const grpc::Status& status) {
          if (!status.ok()) {
            exchange->Send("event: error\ndata: " + ErrorJson(status).dump() + "\n\n");
          }
          exchange->End();
        });
    // A client that goes away ends the watch; weak so that the call does not keep the
    // connection alive.
    exchange->OnClosed([weak = std::weak_ptr<Call::Cancel>(cancel)] {
      if (auto alive = weak.lock()) (*alive)();
    });
    return;
  }
  auto replies = std::make_shared<std::vector<std::string>>();
  const bool batch = method->client_streaming();
  Call::Start(
      *this, path, identity.metadata, options_.call_deadline, std::move(requests),
      [replies, output_type](const grpc::ByteBuffer& buffer) {
        std::unique_ptr<pb::Message> message = NewMessage(output_type);
        if (FromBuffer(buffer, *message)) replies->push_back(ToJson(*message));
      },
      [exchange, replies, batch](const grpc::Status& status) {
        if (!status.ok()) return exchange->Reply(StatusResponse(status));
        if (!batch) {
          return exchange->Reply(
              JsonResponse(bhttp::status::ok, replies->empty() ? "{}" : replies->front()));
        }
        std::string body = "{\"acks\":[";
        for (size_t i = 0; i < replies->size(); ++i) {
          if (i > 0) body += ",";
          body += (*replies)[i];
        }
        exchange->Reply(JsonResponse(bhttp::status::ok, body + "]}"));
      });
}

void HttpEdge::HandleSession(const Request& request, const std::shared_ptr<Exchange>& exchange) {
  const std::string target(request.target());
  const std::string path = target.substr(0, target.find('?'));
  const auto now = options_.now();
  auto session_body = [&](const SignedIn& who, const std::string& session_id,
                          std::chrono::system_clock::time_point expires_at) {
    Json body = {{"principal", Json::parse(ToJson(who.principal))},
                 {"csrf_token", CsrfToken(session_id)},
                 {"expires_at", Rfc3339(expires_at)}};
    return JsonResponse(bhttp::status::ok, body.dump());
  };
  auto cookie_header = [&](const std::string& value, int64_t max_age) {
    return std::string(kCookieName) + "=" + value +
           "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
           std::to_string(std::max<int64_t>(0, max_age)) + (exchange->tls() ? "; Secure" : "");
  };

  // Sign-in and sign-out are written to the audit log like calls, whatever their outcome.
  auto audited = [&](std::string_view method, Response response, const grpc::Status& status,
                     int64_t principal_id) {
    if (options_.audit) options_.audit(method, principal_id, status, exchange->peer());
    exchange->Reply(std::move(response));
  };
  auto refused = [&](std::string_view method, grpc::StatusCode code, const std::string& message,
                     int64_t principal_id = 0) {
    audited(method, Refusal(code, message), grpc::Status(code, message), principal_id);
  };

  if (path == "/session" && request.method() == bhttp::verb::post) {
    constexpr std::string_view kSignIn = "/http/session/start";
    if (!IsJson(request)) {
      const std::string message = "Content-Type must be application/json";
      Response response = Refusal(grpc::StatusCode::INVALID_ARGUMENT, message);
      response.result(bhttp::status::unsupported_media_type);
      return audited(kSignIn, std::move(response),
                     grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message), 0);
    }
    const grpc::Status malformed(grpc::StatusCode::INVALID_ARGUMENT, "malformed sign-in body");
    std::string token;
    try {
      const Json body = Json::parse(request.body());
      if (body.is_object() && body.contains("token") && body["token"].is_string()) {
        token = body["token"].get<std::string>();
      }
    } catch (const Json::exception& error) {
      return audited(kSignIn, MalformedJson(error.what()), malformed, 0);
    }
    if (token.empty() || token.size() > 512) {
      return audited(kSignIn, MalformedJson("the body must be {\"token\": \"<token>\"}", "token"),
                     malformed, 0);
    }
    std::variant<SignedIn, grpc::Status> who = lookup_(Sha256Hex(token));
    if (auto* status = std::get_if<grpc::Status>(&who)) {
      return audited(kSignIn, StatusResponse(*status), *status, 0);
    }
    const SignedIn& signed_in = std::get<SignedIn>(who);
    auto expires_at = now + options_.session_lifetime;
    if (signed_in.token_expires_at && *signed_in.token_expires_at < expires_at) {
      expires_at = *signed_in.token_expires_at;
    }
    const std::string session_id = RandomHex(32);
    sessions_.Create(Sha256Hex(session_id), signed_in.token_id, Sha256Hex(CsrfToken(session_id)),
                     expires_at);
    Response response = session_body(signed_in, session_id, expires_at);
    response.set(
        bhttp::field::set_cookie,
        cookie_header(session_id,
                      std::chrono::duration_cast<std::chrono::seconds>(expires_at - now).count()));
    return audited(kSignIn, std::move(response), grpc::Status::OK, signed_in.principal.id());
  }

  const bool get = path == "/session" && request.method() == bhttp::verb::get;
  const bool end = path == "/session/end" && request.method() == bhttp::verb::post;
  if (!get && !end) {
    Response refused = Refusal(grpc::StatusCode::UNIMPLEMENTED,
                               "use POST /session, GET /session or POST /session/end");
    refused.result(bhttp::status::method_not_allowed);
    return exchange->Reply(std::move(refused));
  }
  constexpr std::string_view kSignOut = "/http/session/end";
  const std::optional<std::string> cookie = SessionCookie(request);
  const std::optional<storage::HttpSession> session =
      cookie ? sessions_.Find(Sha256Hex(*cookie), now) : std::nullopt;
  if (!session) {
    const std::string message =
        cookie ? "the session has ended or expired; sign in again" : "not signed in";
    if (end) return refused(kSignOut, grpc::StatusCode::UNAUTHENTICATED, message);
    return exchange->Reply(Refusal(grpc::StatusCode::UNAUTHENTICATED, message));
  }
  if (end) {
    // The session's holder, for the audit entry; none when its token has ended meanwhile.
    const std::variant<SignedIn, grpc::Status> holder = lookup_(session->token_sha256);
    const int64_t principal_id =
        std::holds_alternative<SignedIn>(holder) ? std::get<SignedIn>(holder).principal.id() : 0;
    if (!SameHex(Sha256Hex(Header(request, "X-CSRF-Token")), session->csrf_sha256)) {
      return refused(kSignOut, grpc::StatusCode::PERMISSION_DENIED,
                     "missing or wrong X-CSRF-Token header", principal_id);
    }
    sessions_.End(Sha256Hex(*cookie), now);
    Response response = JsonResponse(bhttp::status::ok, "{}");
    response.set(bhttp::field::set_cookie, cookie_header("", 0));
    return audited(kSignOut, std::move(response), grpc::Status::OK, principal_id);
  }
  std::variant<SignedIn, grpc::Status> who = lookup_(session->token_sha256);
  if (auto* status = std::get_if<grpc::Status>(&who)) {
    return exchange->Reply(StatusResponse(*status));
  }
  exchange->Reply(session_body(std::get<SignedIn>(who), *cookie, session->expires_at));
}

namespace {

std::string ContentType(const std::filesystem::path& file) {
  static const std::vector<std::pair<std::string, std::string>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"}};
  const std::string extension = file.extension().string();
  for (const auto& [known, type] : kTypes) {
    if (extension == known) return type;
  }
  return "application/octet-stream";
}

}  // namespace

void HttpEdge::HandleStatic(const Request& request, const std::shared_ptr<Exchange>& exchange) {
  const bool head = request.method() == bhttp::verb::head;
  if (options_.console_dir.empty() || (request.method() != bhttp::verb::get && !head)) {
    return exchange->Reply(Refusal(grpc::StatusCode::NOT_FOUND, "not found"));
  }
  const std::string target(request.target());
  std::string path = UrlDecode(target.substr(0, target.find('?')));
  // Only plain paths inside the console directory.
  if (path.empty() || path.front() != '/' || path.find("..") != std::string::npos ||
      path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) {
    return exchange->Reply(Refusal(grpc::StatusCode::NOT_FOUND, "not found"));
  }
  std::filesystem::path file = options_.console_dir / path.substr(1);
  std::error_code error;
  if (path.back() == '/' || std::filesystem::is_directory(file, error)) file /= "index.html";
  if (!std::filesystem::is_regular_file(file, error) && !file.has_extension()) {
    file = options_.console_dir / "index.html";  // the console's own routes (no extension)
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return exchange->Reply(Refusal(grpc::StatusCode::NOT_FOUND, "not found"));
  std::ostringstream content;
  content << in.rdbuf();
  Response response(bhttp::status::ok, 11);
  response.set(bhttp::field::content_type, ContentType(file));
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  // Nothing but this server: regulators' networks are closed, and no page of another host
  // may be pulled in.
  response.set("Content-Security-Policy",
               "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  response.set(bhttp::field::cache_control,
               file.filename() == "index.html" ? "no-cache" : "public, max-age=3600");
  // For HEAD too: the connection sends the head with this body's length, without the body.
  response.body() = content.str();
  exchange->Reply(std::move(response));
}

}  // namespace sitrep::http
