#include "registry/registry.h"

#include <optional>
#include <set>

#include "domain/enterprise_checks.h"
#include "domain/field_checks.h"
#include "domain/page_token.h"
#include "domain/principal_checks.h"
#include "domain/time_convert.h"
#include "registry/token_secret.h"

namespace sitrep::registry {
namespace {

// Enterprise fields an update may name; everything else is identity or output only.
const std::set<std::string> kUpdatableEnterpriseFields = {
    "credit_code", "name",  "province",       "sector",      "type",
    "size",        "grade", "key_enterprise", "cii_operator"};

Error BadPageToken(const std::string& field = "page_token") {
  return InvalidArgument(
      {{field, "INVALID_PAGE_TOKEN", "page_token is not a token this list returned."}});
}

Error BadPageSize() {
  return InvalidArgument({{"page_size", "OUT_OF_RANGE", "page_size must be 0..1000."}});
}

// Copies the fields named by `paths` (all writable ones when empty) from `change` onto `base`.
void MergeEnterprise(const v1::Enterprise& change, const google::protobuf::FieldMask& mask,
                     v1::Enterprise& base) {
  const auto wants = [&](const std::string& field) {
    if (mask.paths().empty()) return true;
    for (const std::string& path : mask.paths()) {
      if (path == field) return true;
    }
    return false;
  };
  if (wants("credit_code")) base.set_credit_code(change.credit_code());
  if (wants("name")) base.set_name(change.name());
  if (wants("province")) base.set_province(change.province());
  if (wants("sector")) base.set_sector(change.sector());
  if (wants("type")) base.set_type(change.type());
  if (wants("size")) base.set_size(change.size());
  if (wants("grade")) base.set_grade(change.grade());
  if (wants("key_enterprise")) base.set_key_enterprise(change.key_enterprise());
  if (wants("cii_operator")) base.set_cii_operator(change.cii_operator());
}

}  // namespace

bool Registry::MaySee(const Principal& caller, const v1::Enterprise& enterprise) {
  switch (caller.role) {
    case v1::ROLE_ADMIN:
    case v1::ROLE_NATIONAL:
      return true;
    case v1::ROLE_PROVINCIAL:
      return enterprise.province() == caller.province;
    case v1::ROLE_ENTERPRISE:
      return enterprise.id() == caller.enterprise_id;
    default:
      return false;
  }
}

Outcome<v1::Enterprise> Registry::CreateEnterprise(const Principal& caller,
                                                   const v1::Enterprise& enterprise) {
  FieldViolations violations = CheckEnterprise(enterprise, codes_);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  std::optional<v1::Enterprise> created = enterprises_.Create(caller, enterprise);
  if (!created) {
    return Error{
        ErrorCode::kAlreadyExists,
        "an enterprise with credit code " + enterprise.credit_code() + " is already registered.",
        {}};
  }
  return std::move(*created);
}

Outcome<v1::Enterprise> Registry::GetEnterprise(const Principal& caller, int64_t id) {
  FieldViolations violations;
  if (!CheckId(id, "id", violations)) return InvalidArgument(std::move(violations));
  std::optional<v1::Enterprise> enterprise = enterprises_.Get(caller, id);
  // Hidden and missing look the same, so ids of other provinces cannot be probed.
  if (!enterprise || !MaySee(caller, *enterprise)) {
    return NotFound("enterprise " + std::to_string(id) + " not found.");
  }
  return std::move(*enterprise);
}

Outcome<v1::ListEnterprisesResponse> Registry::ListEnterprises(
    const Principal& caller, const v1::ListEnterprisesRequest& request) {
  const std::optional<int> limit = PageSize(request.page_size());
  if (!limit) return BadPageSize();
  const std::optional<int64_t> after = DecodePageToken("enterprises", request.page_token());
  if (!after) return BadPageToken();
  if (!request.sector().empty() && !codes_.HasSector(request.sector())) {
    return InvalidArgument({{"sector", "UNKNOWN_SECTOR", "sector is not a seeded sector code."}});
  }
  if (request.province() != 0 && !codes_.HasProvince(request.province())) {
    return InvalidArgument(
        {{"province", "UNKNOWN_PROVINCE", "province is not a GB/T 2260 provincial code."}});
  }

  storage::EnterpriseQuery query;
  query.province = request.province();
  query.sector = request.sector();
  query.after_id = *after;
  query.limit = *limit;
  if (caller.role == v1::ROLE_PROVINCIAL) {
    if (query.province != 0 && query.province != caller.province) {
      return PermissionDenied("a provincial regulator lists only its own province's enterprises.");
    }
    query.province = caller.province;
  }
  v1::ListEnterprisesResponse response;
  if (caller.role == v1::ROLE_ENTERPRISE) {
    // An enterprise sees itself only; one Get keeps the rule in one place.
    if (*after == 0) {
      std::optional<v1::Enterprise> own = enterprises_.Get(caller, caller.enterprise_id);
      if (own) *response.add_enterprises() = std::move(*own);
    }
    return response;
  }
  storage::Page<v1::Enterprise> page = enterprises_.List(caller, query);
  for (v1::Enterprise& enterprise : page.items) *response.add_enterprises() = std::move(enterprise);
  if (page.last_key != 0)
    response.set_next_page_token(EncodePageToken("enterprises", page.last_key));
  return response;
}

Outcome<v1::Enterprise> Registry::UpdateEnterprise(const Principal& caller,
                                                   const v1::UpdateEnterpriseRequest& request) {
  for (const std::string& path : request.update_mask().paths()) {
    if (!kUpdatableEnterpriseFields.contains(path)) {
      return InvalidArgument({{"update_mask", "UNKNOWN_FIELD",
                               "update_mask names " + path + ", which cannot be updated."}});
    }
  }
  FieldViolations id_violations;
  if (!CheckId(request.enterprise().id(), "enterprise.id", id_violations)) {
    return InvalidArgument(std::move(id_violations));
  }
  std::optional<v1::Enterprise> current = enterprises_.Get(caller, request.enterprise().id());
  if (!current) {
    return NotFound("enterprise " + std::to_string(request.enterprise().id()) + " not found.");
  }
  v1::Enterprise merged = *current;
  MergeEnterprise(request.enterprise(), request.update_mask(), merged);
  FieldViolations violations = CheckEnterprise(merged, codes_);
  if (!violations.empty()) return InvalidArgument(std::move(violations));

  v1::Enterprise updated;
  switch (enterprises_.Update(caller, merged, updated)) {
    case storage::UpdateEnterpriseResult::kUpdated:
      return updated;
    case storage::UpdateEnterpriseResult::kNotFound:
      return NotFound("enterprise " + std::to_string(merged.id()) + " not found.");
    case storage::UpdateEnterpriseResult::kCreditCodeTaken:
      break;
  }
  return Error{ErrorCode::kAlreadyExists,
               "another enterprise has credit code " + merged.credit_code() + ".",
               {}};
}

Outcome<v1::Principal> Registry::CreatePrincipal(const Principal& caller,
                                                 const v1::Principal& principal) {
  FieldViolations violations = CheckNewPrincipal(principal, codes_);
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  v1::Principal created;
  switch (principals_.Create(caller, principal, created)) {
    case storage::CreatePrincipalResult::kCreated:
      return created;
    case storage::CreatePrincipalResult::kNameTaken:
      return Error{ErrorCode::kAlreadyExists,
                   "a principal named " + principal.name() + " already exists.",
                   {}};
    case storage::CreatePrincipalResult::kNoSuchEnterprise:
      break;
  }
  return InvalidArgument(
      {{"principal.enterprise_id", "UNKNOWN_ENTERPRISE",
        "enterprise " + std::to_string(principal.enterprise_id()) + " is not registered."}});
}

Outcome<v1::ListPrincipalsResponse> Registry::ListPrincipals(
    const Principal& caller, const v1::ListPrincipalsRequest& request) {
  const std::optional<int> limit = PageSize(request.page_size());
  if (!limit) return BadPageSize();
  const std::optional<int64_t> after = DecodePageToken("principals", request.page_token());
  if (!after) return BadPageToken();
  if (!v1::Role_IsValid(request.role())) {
    return InvalidArgument({{"role", "INVALID_ENUM", "role is not a known role."}});
  }
  storage::Page<v1::Principal> page =
      principals_.List(caller, {.role = request.role(), .after_id = *after, .limit = *limit});
  v1::ListPrincipalsResponse response;
  for (v1::Principal& principal : page.items) *response.add_principals() = std::move(principal);
  if (page.last_key != 0)
    response.set_next_page_token(EncodePageToken("principals", page.last_key));
  return response;
}

Outcome<v1::IssueTokenResponse> Registry::IssueToken(const Principal& caller,
                                                     const v1::IssueTokenRequest& request) {
  FieldViolations violations;
  CheckId(request.principal_id(), "principal_id", violations);
  CheckText(request.description(), "description", 0, 500, violations);
  std::optional<google::protobuf::Timestamp> expire_time;
  if (request.has_expire_time() &&
      CheckTimestamp(request.expire_time(), "expire_time", violations)) {
    expire_time = request.expire_time();
    if (FromTimestamp(*expire_time) <= clock_.Now()) {
      violations.push_back({"expire_time", "IN_THE_PAST", "expire_time must be in the future."});
    }
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));

  const std::string secret = NewTokenSecret();
  std::optional<v1::Token> token = principals_.InsertToken(
      caller, request.principal_id(), Sha256Hex(secret), request.description(), expire_time);
  if (!token) {
    return NotFound("principal " + std::to_string(request.principal_id()) + " not found.");
  }
  v1::IssueTokenResponse response;
  *response.mutable_token() = std::move(*token);
  response.set_secret(secret);
  return response;
}

Outcome<v1::ListTokensResponse> Registry::ListTokens(const Principal& caller,
                                                     const v1::ListTokensRequest& request) {
  const std::optional<int> limit = PageSize(request.page_size());
  if (!limit) return BadPageSize();
  const std::optional<int64_t> after = DecodePageToken("tokens", request.page_token());
  if (!after) return BadPageToken();
  FieldViolations violations;
  if (!CheckId(request.principal_id(), "principal_id", violations, /*zero_means_none=*/true)) {
    return InvalidArgument(std::move(violations));
  }
  storage::Page<v1::Token> page = principals_.ListTokens(
      caller, {.principal_id = request.principal_id(), .after_id = *after, .limit = *limit});
  v1::ListTokensResponse response;
  for (v1::Token& token : page.items) *response.add_tokens() = std::move(token);
  if (page.last_key != 0) response.set_next_page_token(EncodePageToken("tokens", page.last_key));
  return response;
}

Outcome<v1::Token> Registry::RevokeToken(const Principal& caller, int64_t token_id) {
  FieldViolations violations;
  if (!CheckId(token_id, "token_id", violations)) return InvalidArgument(std::move(violations));
  std::optional<v1::Token> token = principals_.RevokeToken(caller, token_id);
  if (!token) return NotFound("token " + std::to_string(token_id) + " not found.");
  return std::move(*token);
}

Outcome<v1::ListAuditEntriesResponse> Registry::ListAuditEntries(
    const Principal& caller, const v1::ListAuditEntriesRequest& request) {
  const std::optional<int> limit = PageSize(request.page_size());
  if (!limit) return BadPageSize();
  const std::optional<int64_t> before = DecodePageToken("audit", request.page_token());
  if (!before) return BadPageToken();
  FieldViolations violations;
  CheckId(request.principal_id(), "principal_id", violations, /*zero_means_none=*/true);
  CheckText(request.method(), "method", 0, 200, violations);
  const v1::TimeRange& range = request.time_range();
  if (range.has_start_time()) {
    CheckTimestamp(range.start_time(), "time_range.start_time", violations);
  }
  if (range.has_end_time()) CheckTimestamp(range.end_time(), "time_range.end_time", violations);
  if (!violations.empty()) return InvalidArgument(std::move(violations));

  storage::AuditQuery query;
  query.principal_id = request.principal_id();
  query.method = request.method();
  // Checked above; saturating at system_clock's limits selects the same entries (every entry
  // was written at a time near now).
  if (range.has_start_time()) query.start_time = FromTimestamp(range.start_time());
  if (range.has_end_time()) query.end_time = FromTimestamp(range.end_time());
  query.before_id = *before;
  query.limit = *limit;
  storage::Page<v1::AuditEntry> page = audit_.List(caller, query);
  v1::ListAuditEntriesResponse response;
  for (v1::AuditEntry& entry : page.items) *response.add_entries() = std::move(entry);
  if (page.last_key != 0) response.set_next_page_token(EncodePageToken("audit", page.last_key));
  return response;
}

v1::ListReferenceCodesResponse Registry::ListReferenceCodes() const {
  v1::ListReferenceCodesResponse response;
  for (const auto& [code, province] : codes_.provinces) *response.add_provinces() = province;
  for (const auto& [code, sector] : codes_.sectors) *response.add_sectors() = sector;
  return response;
}

}  // namespace sitrep::registry
