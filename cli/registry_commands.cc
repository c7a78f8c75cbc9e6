#include "cli/registry_commands.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/duration_words.h"
#include "cli/enum_words.h"
#include "cli/output.h"
#include "cli/pages.h"
#include "cli/timestamps.h"
#include "cli/usage_error.h"
#include "sitrep/v1/registry.grpc.pb.h"

namespace sitrep::cli {
namespace {

namespace v1 = ::sitrep::v1;
using Stub = v1::RegistryService::Stub;

// Province 0 means "none" (ADMIN, NATIONAL, a national collector), not a code.
std::string ProvinceText(std::uint32_t province) {
  return province == 0 ? "-" : std::to_string(province);
}

Columns<v1::Enterprise> EnterpriseColumns(bool with_times) {
  Columns<v1::Enterprise> columns = {
      {"ID", [](const v1::Enterprise& e) { return std::to_string(e.id()); }},
      {"CREDIT CODE", [](const v1::Enterprise& e) { return e.credit_code(); }},
      {"NAME", [](const v1::Enterprise& e) { return e.name(); }},
      {"PROVINCE", [](const v1::Enterprise& e) { return ProvinceText(e.province()); }},
      {"SECTOR", [](const v1::Enterprise& e) { return e.sector(); }},
      {"TYPE", [](const v1::Enterprise& e) { return EnumWord(e.type()); }},
      {"SIZE", [](const v1::Enterprise& e) { return EnumWord(e.size()); }},
      {"GRADE",
       [](const v1::Enterprise& e) { return e.grade() == 0 ? "-" : std::to_string(e.grade()); }},
      {"KEY", [](const v1::Enterprise& e) { return YesNo(e.key_enterprise()); }},
      {"CII", [](const v1::Enterprise& e) { return YesNo(e.cii_operator()); }},
  };
  if (with_times) {
    columns.push_back(
        {"CREATED", [](const v1::Enterprise& e) { return FormatTimestamp(e.create_time()); }});
    columns.push_back(
        {"UPDATED", [](const v1::Enterprise& e) { return FormatTimestamp(e.update_time()); }});
  }
  return columns;
}

Columns<v1::Principal> PrincipalColumns() {
  return {
      {"ID", [](const v1::Principal& p) { return std::to_string(p.id()); }},
      {"NAME", [](const v1::Principal& p) { return p.name(); }},
      {"ROLE", [](const v1::Principal& p) { return EnumWord(p.role()); }},
      {"PROVINCE", [](const v1::Principal& p) { return ProvinceText(p.province()); }},
      {"ENTERPRISE",
       [](const v1::Principal& p) {
         return p.enterprise_id() == 0 ? "-" : std::to_string(p.enterprise_id());
       }},
      {"CREATED", [](const v1::Principal& p) { return FormatTimestamp(p.create_time()); }},
      {"DESCRIPTION", [](const v1::Principal& p) { return p.description(); }},
  };
}

std::string TokenState(const v1::Token& token) {
  if (token.has_revoke_time()) return "revoked";
  if (token.has_expire_time() &&
      token.expire_time().seconds() <= ToTimestamp(std::chrono::system_clock::now()).seconds()) {
    return "expired";
  }
  return "active";
}

Columns<v1::Token> TokenColumns() {
  return {
      {"ID", [](const v1::Token& t) { return std::to_string(t.id()); }},
      {"PRINCIPAL", [](const v1::Token& t) { return std::to_string(t.principal_id()); }},
      {"STATE", TokenState},
      {"CREATED", [](const v1::Token& t) { return FormatTimestamp(t.create_time()); }},
      {"EXPIRES",
       [](const v1::Token& t) {
         return t.has_expire_time() ? FormatTimestamp(t.expire_time()) : "never";
       }},
      {"REVOKED", [](const v1::Token& t) { return FormatTimestamp(t.revoke_time()); }},
      {"DESCRIPTION", [](const v1::Token& t) { return t.description(); }},
  };
}

// Audit entries name methods in full; within a table the package prefix is noise.
constexpr std::string_view kMethodPrefix = "/sitrep.v1.";

Columns<v1::AuditEntry> AuditColumns() {
  return {
      {"ID", [](const v1::AuditEntry& a) { return std::to_string(a.id()); }},
      {"TIME", [](const v1::AuditEntry& a) { return FormatTimestamp(a.time()); }},
      {"PRINCIPAL", [](const v1::AuditEntry& a) { return std::to_string(a.principal_id()); }},
      {"METHOD",
       [](const v1::AuditEntry& a) {
         std::string_view method = a.method();
         if (method.substr(0, kMethodPrefix.size()) == kMethodPrefix) {
           method.remove_prefix(kMethodPrefix.size());
         }
         return std::string(method);
       }},
      {"STATUS", [](const v1::AuditEntry& a) { return a.status(); }},
      {"ROWS", [](const v1::AuditEntry& a) { return std::to_string(a.rows()); }},
      {"PEER", [](const v1::AuditEntry& a) { return a.peer(); }},
      {"TARGET", [](const v1::AuditEntry& a) { return a.target(); }},
  };
}

std::unique_ptr<Stub> NewStub(Session& session) {
  return v1::RegistryService::NewStub(session.channel());
}

// Makes one unary call and prints its reply as a single record.
template <typename Reply, typename Call>
grpc::Status CallAndPrint(Session& session, const Columns<Reply>& columns, Call call) {
  grpc::ClientContext context;
  session.PrepareCall(context);
  Reply reply;
  const grpc::Status status = call(*NewStub(session), &context, &reply);
  if (status.ok()) PrintRecord(session.out(), session.json(), columns, reply);
  return status;
}

// Prints what a List call gathered; on the table path also says when pages were left out.
template <typename Record>
void PrintList(Session& session, const Columns<Record>& columns, const std::vector<Record>& records,
               const std::string& next_page_token) {
  PrintRecords(session.out(), session.json(), columns, records);
  if (!next_page_token.empty() && !session.json()) {
    session.err() << "(more records follow; add --all to list every page)\n";
  }
}

struct PageFlags {
  std::int32_t page_size = 0;  // 0: the server's default
  bool all = false;
};

void AddPageFlags(CLI::App& command, PageFlags& flags) {
  command.add_option("--page-size", flags.page_size, "records per call (server default 100)")
      ->check(CLI::Range(1, 1000));
  command.add_flag("--all", flags.all, "follow next_page_token to list every page");
}

// Registers `make_action` to be run when `command` is the one selected. `flags` is kept alive
// by the callback because CLI11 writes the parsed values into it.
template <typename Flags, typename MakeAction>
void OnSelected(CLI::App& command, Action& chosen, std::shared_ptr<Flags> flags,
                MakeAction make_action) {
  command.callback([&chosen, flags, make_action] { chosen = make_action(flags); });
}

struct EnterpriseFlags {
  std::string credit_code;
  std::string name;
  std::uint32_t province = 0;
  std::string sector;
  int type = 0;
  int size = 0;
  std::uint32_t grade = 0;
  bool key_enterprise = false;
  bool cii_operator = false;
  // Each flag with the Enterprise field it sets, for the update_mask of `update`.
  std::vector<std::pair<const CLI::Option*, std::string>> fields;

  std::int64_t id = 0;        // get, update
  std::string sector_filter;  // list
  PageFlags pages;            // list

  v1::Enterprise ToEnterprise() const {
    v1::Enterprise enterprise;
    enterprise.set_id(id);
    enterprise.set_credit_code(credit_code);
    enterprise.set_name(name);
    enterprise.set_province(province);
    enterprise.set_sector(sector);
    enterprise.set_type(static_cast<v1::EnterpriseType>(type));
    enterprise.set_size(static_cast<v1::EnterpriseSize>(size));
    enterprise.set_grade(grade);
    enterprise.set_key_enterprise(key_enterprise);
    enterprise.set_cii_operator(cii_operator);
    return enterprise;
  }

  std::vector<std::string> GivenFields() const {
    std::vector<std::string> given;
    for (const auto& [option, field] : fields) {
      if (option->count() > 0) given.push_back(field);
    }
    return given;
  }
};

// Adds the flags that set Enterprise fields: all required by `create`, all optional for
// `update`, where the booleans also get a --no-* form.
void AddEnterpriseFields(CLI::App& command, EnterpriseFlags& flags, bool for_update) {
  const auto field = [&](CLI::Option* option, std::string name) {
    if (!for_update) option->required();
    flags.fields.emplace_back(option, std::move(name));
    return option;
  };
  field(command.add_option("--credit-code", flags.credit_code,
                           "18-character unified social credit code (统一社会信用代码)"),
        "credit_code");
  field(command.add_option("--name", flags.name, "the enterprise's name"), "name");
  field(command.add_option("--province", flags.province, "GB/T 2260 province code, e.g. 440000"),
        "province");
  field(command.add_option("--sector", flags.sector, "sector code, e.g. energy"), "sector");
  field(AddEnumOption(command, "--type", *v1::EnterpriseType_descriptor(), flags.type,
                      "enterprise type (分类)"),
        "type");
  field(AddEnumOption(command, "--size", *v1::EnterpriseSize_descriptor(), flags.size,
                      "enterprise size"),
        "size");

  CLI::Option* grade = command.add_option("--grade", flags.grade, "grade 1..3 (0: not graded)")
                           ->check(CLI::Range(0, 3));
  CLI::Option* key =
      command.add_flag(for_update ? "--key-enterprise,!--no-key-enterprise" : "--key-enterprise",
                       flags.key_enterprise, "on the key-enterprise list (重点企业)");
  CLI::Option* cii =
      command.add_flag(for_update ? "--cii-operator,!--no-cii-operator" : "--cii-operator",
                       flags.cii_operator, "operates critical information infrastructure");
  // These have defaults on create, so they stay optional there.
  flags.fields.emplace_back(grade, "grade");
  flags.fields.emplace_back(key, "key_enterprise");
  flags.fields.emplace_back(cii, "cii_operator");
}

void AddEnterpriseCommands(CLI::App& app, Action& chosen) {
  CLI::App& group = *app.add_subcommand("enterprises", "the enterprise registry");
  group.require_subcommand(1);

  CLI::App& create = *group.add_subcommand("create", "register an enterprise");
  auto create_flags = std::make_shared<EnterpriseFlags>();
  AddEnterpriseFields(create, *create_flags, /*for_update=*/false);
  OnSelected(create, chosen, create_flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      v1::CreateEnterpriseRequest request;
      *request.mutable_enterprise() = flags->ToEnterprise();
      return CallAndPrint<v1::Enterprise>(session, EnterpriseColumns(true),
                                          [&](Stub& stub, auto* context, auto* reply) {
                                            return stub.CreateEnterprise(context, request, reply);
                                          });
    };
  });

  CLI::App& list = *group.add_subcommand("list", "list enterprises");
  auto list_flags = std::make_shared<EnterpriseFlags>();
  list.add_option("--province", list_flags->province, "only this province, e.g. 440000");
  list.add_option("--sector", list_flags->sector_filter, "only this sector, e.g. energy");
  AddPageFlags(list, list_flags->pages);
  OnSelected(list, chosen, list_flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      v1::ListEnterprisesRequest request;
      request.set_page_size(flags->pages.page_size);
      request.set_province(flags->province);
      request.set_sector(flags->sector_filter);
      std::unique_ptr<Stub> stub = NewStub(session);
      std::vector<v1::Enterprise> records;
      std::string next;
      const grpc::Status status = ListPages<v1::ListEnterprisesResponse>(
          session, request, flags->pages.all,
          [&](auto* context, const auto& page_request, auto* response) {
            return stub->ListEnterprises(context, page_request, response);
          },
          [](const v1::ListEnterprisesResponse& r) -> const auto& { return r.enterprises(); },
          records, next);
      if (status.ok()) PrintList(session, EnterpriseColumns(false), records, next);
      return status;
    };
  });

  CLI::App& get = *group.add_subcommand("get", "show one enterprise");
  auto get_flags = std::make_shared<EnterpriseFlags>();
  get.add_option("ID", get_flags->id, "enterprise id")->required();
  OnSelected(get, chosen, get_flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      v1::GetEnterpriseRequest request;
      request.set_id(flags->id);
      return CallAndPrint<v1::Enterprise>(session, EnterpriseColumns(true),
                                          [&](Stub& stub, auto* context, auto* reply) {
                                            return stub.GetEnterprise(context, request, reply);
                                          });
    };
  });

  CLI::App& update =
      *group.add_subcommand("update", "change the given fields of an enterprise, and only them");
  auto update_flags = std::make_shared<EnterpriseFlags>();
  update.add_option("ID", update_flags->id, "enterprise id")->required();
  AddEnterpriseFields(update, *update_flags, /*for_update=*/true);
  OnSelected(update, chosen, update_flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      // An empty update_mask means "every writable field" to the server: from a command line
      // that would blank every field not given, so it is refused here.
      const std::vector<std::string> given = flags->GivenFields();
      if (given.empty()) {
        throw UsageError("enterprises update: give at least one field to change, e.g. --name");
      }
      v1::UpdateEnterpriseRequest request;
      *request.mutable_enterprise() = flags->ToEnterprise();
      for (const std::string& path : given) request.mutable_update_mask()->add_paths(path);
      return CallAndPrint<v1::Enterprise>(session, EnterpriseColumns(true),
                                          [&](Stub& stub, auto* context, auto* reply) {
                                            return stub.UpdateEnterprise(context, request, reply);
                                          });
    };
  });
}

struct PrincipalFlags {
  std::string name;
  int role = 0;
  std::uint32_t province = 0;
  std::int64_t enterprise_id = 0;
  std::string description;
  PageFlags pages;
};

void AddPrincipalCommands(CLI::App& app, Action& chosen) {
  CLI::App& group = *app.add_subcommand("principals", "who may call the API");
  group.require_subcommand(1);

  CLI::App& create = *group.add_subcommand("create", "create a principal (its role never changes)");
  auto create_flags = std::make_shared<PrincipalFlags>();
  create.add_option("--name", create_flags->name, "unique name of [A-Za-z0-9._-]")->required();
  AddEnumOption(create, "--role", *v1::Role_descriptor(), create_flags->role, "role")->required();
  create.add_option("--province", create_flags->province,
                    "province code: required for provincial, optional for collector");
  create.add_option("--enterprise-id", create_flags->enterprise_id,
                    "the enterprise an enterprise principal speaks for");
  create.add_option("--description", create_flags->description, "free text");
  OnSelected(create, chosen, create_flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      v1::CreatePrincipalRequest request;
      v1::Principal& principal = *request.mutable_principal();
      principal.set_name(flags->name);
      principal.set_role(static_cast<v1::Role>(flags->role));
      principal.set_province(flags->province);
      principal.set_enterprise_id(flags->enterprise_id);
      principal.set_description(flags->description);
      return CallAndPrint<v1::Principal>(session, PrincipalColumns(),
                                         [&](Stub& stub, auto* context, auto* reply) {
                                           return stub.CreatePrincipal(context, request, reply);
                                         });
    };
  });

  CLI::App& list = *group.add_subcommand("list", "list principals");
  auto list_flags = std::make_shared<PrincipalFlags>();
  AddEnumOption(list, "--role", *v1::Role_descriptor(), list_flags->role, "only this role");
  AddPageFlags(list, list_flags->pages);
  OnSelected(list, chosen, list_flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      v1::ListPrincipalsRequest request;
      request.set_page_size(flags->pages.page_size);
      request.set_role(static_cast<v1::Role>(flags->role));
      std::unique_ptr<Stub> stub = NewStub(session);
      std::vector<v1::Principal> records;
      std::string next;
      const grpc::Status status = ListPages<v1::ListPrincipalsResponse>(
          session, request, flags->pages.all,
          [&](auto* context, const auto& page_request, auto* response) {
            return stub->ListPrincipals(context, page_request, response);
          },
          [](const v1::ListPrincipalsResponse& r) -> const auto& { return r.principals(); },
          records, next);
      if (status.ok()) PrintList(session, PrincipalColumns(), records, next);
      return status;
    };
  });
}

struct TokenFlags {
  std::int64_t principal_id = 0;
  std::int64_t token_id = 0;
  std::string description;
  std::string expires_in;
  PageFlags pages;
};

void AddTokenCommands(CLI::App& app, Action& chosen) {
  CLI::App& group = *app.add_subcommand("tokens", "bearer tokens of principals");
  group.require_subcommand(1);

  CLI::App& issue =
      *group.add_subcommand("issue", "issue a token for a principal; its secret is shown once");
  auto issue_flags = std::make_shared<TokenFlags>();
  issue.add_option("PRINCIPAL_ID", issue_flags->principal_id, "principal id")->required();
  issue.add_option("--description", issue_flags->description, "what the token is for");
  issue.add_option("--expires-in", issue_flags->expires_in, "lifetime, e.g. 30d, 12h, 90m")
      ->check(DurationWordValidator());
  OnSelected(issue, chosen, issue_flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      v1::IssueTokenRequest request;
      request.set_principal_id(flags->principal_id);
      request.set_description(flags->description);
      if (!flags->expires_in.empty()) {
        *request.mutable_expire_time() =
            ToTimestamp(std::chrono::system_clock::now() + *ParseDurationWord(flags->expires_in));
      }
      grpc::ClientContext context;
      session.PrepareCall(context);
      v1::IssueTokenResponse reply;
      const grpc::Status status = NewStub(session)->IssueToken(&context, request, &reply);
      if (!status.ok()) return status;
      if (session.json()) {
        session.out() << JsonLine(reply) << '\n';
      } else {
        // The secret exists nowhere else (the server keeps its hash), so the line says so.
        session.out() << "token id " << reply.token().id() << " for principal "
                      << reply.token().principal_id();
        if (reply.token().has_expire_time()) {
          session.out() << ", expires " << FormatTimestamp(reply.token().expire_time());
        }
        session.out() << " — secret (shown once): " << reply.secret() << '\n';
      }
      return status;
    };
  });

  CLI::App& list = *group.add_subcommand("list", "list tokens (never their secrets)");
  auto list_flags = std::make_shared<TokenFlags>();
  list.add_option("--principal", list_flags->principal_id, "only tokens of this principal id");
  AddPageFlags(list, list_flags->pages);
  OnSelected(list, chosen, list_flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      v1::ListTokensRequest request;
      request.set_page_size(flags->pages.page_size);
      request.set_principal_id(flags->principal_id);
      std::unique_ptr<Stub> stub = NewStub(session);
      std::vector<v1::Token> records;
      std::string next;
      const grpc::Status status = ListPages<v1::ListTokensResponse>(
          session, request, flags->pages.all,
          [&](auto* context, const auto& page_request, auto* response) {
            return stub->ListTokens(context, page_request, response);
          },
          [](const v1::ListTokensResponse& r) -> const auto& { return r.tokens(); }, records, next);
      if (status.ok()) PrintList(session, TokenColumns(), records, next);
      return status;
    };
  });

  CLI::App& revoke = *group.add_subcommand("revoke", "revoke a token at once");
  auto revoke_flags = std::make_shared<TokenFlags>();
  revoke.add_option("TOKEN_ID", revoke_flags->token_id, "token id")->required();
  OnSelected(revoke, chosen, revoke_flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      v1::RevokeTokenRequest request;
      request.set_token_id(flags->token_id);
      return CallAndPrint<v1::Token>(session, TokenColumns(),
                                     [&](Stub& stub, auto* context, auto* reply) {
                                       return stub.RevokeToken(context, request, reply);
                                     });
    };
  });
}

struct AuditFlags {
  std::int64_t principal_id = 0;
  std::string method;
  std::string since;
  PageFlags pages;
};

void AddAuditCommands(CLI::App& app, Action& chosen) {
  CLI::App& group = *app.add_subcommand("audit", "the audit log of API calls");
  group.require_subcommand(1);

  CLI::App& list = *group.add_subcommand("list", "list audit entries, newest first");
  auto flags = std::make_shared<AuditFlags>();
  list.add_option("--principal", flags->principal_id, "only calls of this principal id");
  list.add_option("--method", flags->method,
                  "only this method, e.g. RegistryService/GetEnterprise or its full name");
  list.add_option("--since", flags->since, "only the last DURATION, e.g. 24h")
      ->check(DurationWordValidator());
  AddPageFlags(list, flags->pages);
  OnSelected(list, chosen, flags, [](auto flags) -> Action {
    return [flags](Session& session) {
      v1::ListAuditEntriesRequest request;
      request.set_page_size(flags->pages.page_size);
      request.set_principal_id(flags->principal_id);
      // The table shows methods without "/sitrep.v1.", so the filter accepts that form too.
      if (!flags->method.empty() && flags->method.front() != '/') {
        request.set_method(std::string(kMethodPrefix) + flags->method);
      } else {
        request.set_method(flags->method);
      }
      if (!flags->since.empty()) {
        *request.mutable_time_range()->mutable_start_time() =
            ToTimestamp(std::chrono::system_clock::now() - *ParseDurationWord(flags->since));
      }
      std::unique_ptr<Stub> stub = NewStub(session);
      std::vector<v1::AuditEntry> records;
      std::string next;
      const grpc::Status status = ListPages<v1::ListAuditEntriesResponse>(
          session, request, flags->pages.all,
          [&](auto* context, const auto& page_request, auto* response) {
            return stub->ListAuditEntries(context, page_request, response);
          },
          [](const v1::ListAuditEntriesResponse& r) -> const auto& { return r.entries(); }, records,
          next);
      if (status.ok()) PrintList(session, AuditColumns(), records, next);
      return status;
    };
  });
}

}  // namespace

void AddRegistryCommands(CLI::App& app, Action& chosen) {
  AddEnterpriseCommands(app, chosen);
  AddPrincipalCommands(app, chosen);
  AddTokenCommands(app, chosen);
  AddAuditCommands(app, chosen);
}

}  // namespace sitrep::cli
