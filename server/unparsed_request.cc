#include "server/unparsed_request.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "logging/log.h"
#include "server/status_mapping.h"

namespace sitrep {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;

// Protobuf reports a string that is not UTF-8 only through its log, on the parsing thread:
// "String field 'sitrep.v1.Incident.title' contains invalid UTF-8 data when parsing …".
// gRPC parses a request and then runs the interceptors on the same thread, so the handler
// keeps the thread's last complaint here and the interceptor takes it.
thread_local std::string last_utf8_complaint;

constexpr std::string_view kUtf8ComplaintHead = "String field '";
constexpr std::string_view kUtf8ComplaintTail = "' contains invalid UTF-8 data when parsing";

bool IsUtf8Complaint(std::string_view message) {
  return message.starts_with(kUtf8ComplaintHead) &&
         message.find(kUtf8ComplaintTail) != std::string_view::npos;
}

LogLevel LevelOf(google::protobuf::LogLevel level) {
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      return LogLevel::kInfo;
    case google::protobuf::LOGLEVEL_WARNING:
      return LogLevel::kWarn;
    default:
      return LogLevel::kError;
  }
}

void HandleProtobufLog(google::protobuf::LogLevel level, const char* file, int line,
                       const std::string& message) {
  if (IsUtf8Complaint(message)) {
    last_utf8_complaint = message;
    Log(LogLevel::kDebug, "protobuf.invalid_utf8", {{"message", message}});
    return;
  }
  Log(LevelOf(level), "protobuf.log",
      {{"message", message}, {"source", std::string(file) + ":" + std::to_string(line)}});
}

// The request type of "/package.Service/Method", or nullptr for a method protobuf does not know.
const Descriptor* RequestType(std::string_view method) {
  if (!method.starts_with('/')) return nullptr;
  std::string name(method.substr(1));
  std::replace(name.begin(), name.end(), '/', '.');
  const google::protobuf::MethodDescriptor* found =
      DescriptorPool::generated_pool()->FindMethodByName(name);
  return found ? found->input_type() : nullptr;
}

// The path of fields from `root` to the nearest message of type `target`, each name followed
// by a dot ("" when `target` is `root`); nullopt when `root` holds no such message.
std::optional<std::string> PathTo(const Descriptor* root, const Descriptor* target) {
  std::deque<std::pair<const Descriptor*, std::string>> queue{{root, ""}};
  std::set<const Descriptor*> seen{root};
  while (!queue.empty()) {
    auto [type, path] = std::move(queue.front());
    queue.pop_front();
    if (type == target) return path;
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      const Descriptor* child = field->message_type();
      if (child != nullptr && seen.insert(child).second) {
        queue.emplace_back(child, path + field->name() + ".");
      }
    }
  }
  return std::nullopt;
}

// The field a UTF-8 complaint names, as a path in `request`; nullopt for any other text.
std::optional<std::string> Utf8FieldPath(const Descriptor* request, std::string_view complaint) {
  if (request == nullptr || !IsUtf8Complaint(complaint)) return std::nullopt;
  complaint.remove_prefix(kUtf8ComplaintHead.size());
  const std::string full_name(complaint.substr(0, complaint.find('\'')));
  const FieldDescriptor* field = DescriptorPool::generated_pool()->FindFieldByName(full_name);
  if (field == nullptr) return std::nullopt;
  std::optional<std::string> path = PathTo(request, field->containing_type());
  if (!path) return std::nullopt;
  return *path + field->name();
}

class UnparsedRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  UnparsedRequestInterceptor(grpc::experimental::ServerRpcInfo& info, RpcRunner& rpc)
      : info_(info), rpc_(rpc), start_(std::chrono::steady_clock::now()) {
    // The sync server makes the interceptor, parses the request and runs POST_RECV_MESSAGE on
    // one thread, in that order: a complaint left from earlier work is gone before the parse.
    last_utf8_complaint.clear();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Taken on every request, so that no complaint outlives the parse it came from.
      const std::string complaint = std::exchange(last_utf8_complaint, {});
      // No message: protobuf could not parse it (or the client sent none).
      if (methods->GetRecvMessage() == nullptr) {
        violation_ = UnparsedRequestViolation(info_.method(), complaint);
      }
    }
    // Only gRPC's own answer to the failed parse is replaced; a refusal for another reason
    // (no thread free: RESOURCE_EXHAUSTED) goes out as it is.
    if (violation_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        methods->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL) {
      const grpc::Status status = InvalidArgumentStatus({*violation_});
      methods->ModifySendStatus(status);
      rpc_.FinishWithoutBody(*info_.server_context(), info_.method(), status, start_);
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo& info_;
  RpcRunner& rpc_;
  const std::chrono::steady_clock::time_point start_;
  std::optional<FieldViolation> violation_;
};

}  // namespace

void RouteProtobufLogToJson() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&HandleProtobufLog); });
}

FieldViolation UnparsedRequestViolation(std::string_view method, std::string_view complaint) {
  const Descriptor* request = RequestType(method);
  if (std::optional<std::string> path = Utf8FieldPath(request, complaint)) {
    return {*path, "INVALID_UTF8", *path + " is not valid UTF-8."};
  }
  const std::string type = request ? request->full_name() : "request message";
  return {"request", "MALFORMED_REQUEST",
          "the request is not a " + type +
              " that protobuf can parse (truncated, a field of the wrong wire type, or missing)."};
}

grpc::experimental::Interceptor* UnparsedRequestInterceptors::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  using Type = grpc::experimental::ServerRpcInfo::Type;
  const bool parsed_by_grpc = info->type() == Type::UNARY || info->type() == Type::SERVER_STREAMING;
  if (!parsed_by_grpc || !std::string_view(info->method()).starts_with("/sitrep.v1.")) {
    return nullptr;  // no interceptor at all: these calls pay nothing
  }
  return new UnparsedRequestInterceptor(*info, rpc_);
}

}  // namespace sitrep
