#include "cli/demo_commands.h"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/usage_error.h"
#include "domain/credit_code.h"
#include "sitrep/v1/registry.grpc.pb.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;

// "Xizang (Tibet)" → "xizang-tibet": principal names and token file names.
std::string Slug(const std::string& english) {
  std::string slug;
  for (const char c : english) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

// 91 (a company) + the province's region code + a 9-digit serial, then the check character.
std::string DemoCreditCode(uint32_t province, int serial) {
  // Wide enough for any uint32 and int, so the compiler can prove nothing is cut; the codes
  // used (6-digit provinces, small serials) fill exactly 17 characters.
  char first17[32];
  std::snprintf(first17, sizeof first17, "91%06u%09d", province % 1'000'000,
                serial % 1'000'000'000);
  return std::string(first17) + *CreditCodeCheckCharacter(first17);
}

void WriteToken(const std::filesystem::path& file, const std::string& secret) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const std::string line = secret + "\n";
  const bool ok =
      fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  if (fd >= 0) ::close(fd);
  if (!ok) throw UsageError("cannot write " + file.string());
}

class Seeder {
 public:
  Seeder(Session& session, std::filesystem::path tokens_dir)
      : session_(session),
        stub_(v1::RegistryService::NewStub(session.channel())),
        tokens_dir_(std::move(tokens_dir)) {}

  grpc::Status Run() {
    v1::ListEnterprisesRequest probe;
    probe.set_page_size(1);
    v1::ListEnterprisesResponse existing;
    if (grpc::Status s = Call(&Stub::ListEnterprises, probe, existing); !s.ok()) return s;
    if (existing.enterprises_size() > 0) {
      session_.out() << "demo: the registry already has enterprises; nothing to do\n";
      return grpc::Status::OK;
    }
    v1::ListReferenceCodesResponse codes;
    if (grpc::Status s = Call(&Stub::ListReferenceCodes, {}, codes); !s.ok()) return s;
    std::error_code error;
    std::filesystem::create_directories(tokens_dir_, error);
    if (error) throw UsageError("cannot create " + tokens_dir_.string());

    if (grpc::Status s = AddPrincipal("national-centre", v1::ROLE_NATIONAL, 0, 0); !s.ok()) {
      return s;
    }
    // A national collector may push every province: the run script loads the data sets with it.
    if (grpc::Status s = AddPrincipal("national-collector", v1::ROLE_COLLECTOR, 0, 0); !s.ok()) {
      return s;
    }
    int serial = 0;
    for (const v1::Province& province : codes.provinces()) {
      const std::string slug = Slug(province.name_en());
      int64_t first_enterprise = 0;
      for (int n = 0; n < 2; ++n, ++serial) {
        const v1::Sector& sector = codes.sectors(serial % codes.sectors_size());
        v1::Enterprise created;
        if (grpc::Status s = AddEnterprise(province, sector, serial, created); !s.ok()) return s;
        if (n == 0) first_enterprise = created.id();
      }
      for (const auto& [suffix, role] : {std::pair{"-regulator", v1::ROLE_PROVINCIAL},
                                         std::pair{"-collector", v1::ROLE_COLLECTOR}}) {
        if (grpc::Status s = AddPrincipal(slug + suffix, role, province.code(), 0); !s.ok()) {
          return s;
        }
      }
      if (grpc::Status s =
              AddPrincipal(slug + "-enterprise", v1::ROLE_ENTERPRISE, 0, first_enterprise);
          !s.ok()) {
        return s;
      }
    }
    session_.out() << "demo: " << enterprises_ << " enterprises, " << principals_
                   << " principals; their tokens are in " << tokens_dir_.string() << "/\n";
    return grpc::Status::OK;
  }

 private:
  using Stub = v1::RegistryService::Stub;

  template <class Request, class Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response& response) {
    grpc::ClientContext context;
    session_.PrepareCall(context);
    return (stub_.get()->*method)(&context, request, &response);
  }

  grpc::Status AddEnterprise(const v1::Province& province, const v1::Sector& sector, int serial,
                             v1::Enterprise& created) {
    static const char* const kSuffixes[] = {"股份有限公司", "集团有限公司", "科技有限公司"};
    v1::CreateEnterpriseRequest request;
    v1::Enterprise* enterprise = request.mutable_enterprise();
    enterprise->set_credit_code(DemoCreditCode(province.code(), serial + 1));
    enterprise->set_name(province.name_zh() + sector.name_zh() + "示范" + kSuffixes[serial % 3]);
    enterprise->set_province(province.code());
    enterprise->set_sector(sector.code());
    enterprise->set_type(sector.code() == "internet_platform"
                             ? v1::ENTERPRISE_TYPE_PLATFORM
                             : v1::ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL);
    enterprise->set_size(static_cast<v1::EnterpriseSize>(1 + serial % 4));
    enterprise->set_grade(static_cast<uint32_t>(serial % 4));  // 0 = not graded
    enterprise->set_key_enterprise(enterprise->grade() == 3 || sector.key_sector());
    enterprise->set_cii_operator(enterprise->grade() == 3 &&
                                 (sector.code() == "energy" || sector.code() == "water" ||
                                  sector.code() == "gas_supply" || sector.code() == "telecom"));
    const grpc::Status status = Call(&Stub::CreateEnterprise, request, created);
    if (status.ok()) ++enterprises_;
    return status;
  }

  grpc::Status AddPrincipal(const std::string& name, v1::Role role, uint32_t province,
                            int64_t enterprise_id) {
    v1::CreatePrincipalRequest create;
    create.mutable_principal()->set_name(name);
    create.mutable_principal()->set_role(role);
    create.mutable_principal()->set_province(province);
    create.mutable_principal()->set_enterprise_id(enterprise_id);
    create.mutable_principal()->set_description("demo");
    v1::Principal principal;
    if (grpc::Status s = Call(&Stub::CreatePrincipal, create, principal); !s.ok()) return s;
    v1::IssueTokenRequest issue;
    issue.set_principal_id(principal.id());
    issue.set_description("demo token");
    v1::IssueTokenResponse token;
    if (grpc::Status s = Call(&Stub::IssueToken, issue, token); !s.ok()) return s;
    WriteToken(tokens_dir_ / (name + ".token"), token.secret());
    ++principals_;
    return grpc::Status::OK;
  }

  Session& session_;
  std::unique_ptr<Stub> stub_;
  std::filesystem::path tokens_dir_;
  int enterprises_ = 0;
  int principals_ = 0;
};

}  // namespace

void AddDemoCommands(CLI::App& app, Action& chosen) {
  CLI::App* demo = app.add_subcommand("demo", "demo data for a new installation");
  demo->require_subcommand(1);
  CLI::App* seed = demo->add_subcommand("seed",
                                        "fill an empty registry with demo enterprises, "
                                        "principals and tokens (ADMIN)");
  auto tokens_dir = std::make_shared<std::string>("var/tokens");
  seed->add_option("--tokens-dir", *tokens_dir, "where to write one token file per principal")
      ->capture_default_str();
  seed->callback([&chosen, tokens_dir] {
    chosen = [tokens_dir](Session& session) { return Seeder(session, *tokens_dir).Run(); };
  });
}

}  // namespace sitrep::cli
