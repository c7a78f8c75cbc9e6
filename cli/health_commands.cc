#include "cli/health_commands.h"

#include <CLI/CLI.hpp>

#include "cli/output.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace sitrep::cli {

void AddHealthCommands(CLI::App& app, Action& chosen) {
  CLI::App* health = app.add_subcommand("health", "is the server serving? (no token needed)");
  health->callback([&chosen] {
    chosen = [](Session& session) {
      auto stub = grpc::health::v1::Health::NewStub(session.channel());
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::milliseconds(
                               static_cast<int64_t>(session.options().timeout_seconds * 1000)));
      grpc::health::v1::HealthCheckResponse response;
      const grpc::Status status = stub->Check(&context, {}, &response);
      if (!status.ok()) return status;
      const std::string name =
          grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
      if (session.json()) {
        session.out() << JsonLine(response) << '\n';
      } else {
        session.out() << name << '\n';
      }
      if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server reports " + name);
      }
      return grpc::Status::OK;
    };
  });
}

}  // namespace sitrep::cli
