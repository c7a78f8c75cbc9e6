#pragma once

#include "domain/clock.h"
#include "domain/outcome.h"
#include "domain/principal.h"
#include "domain/reference_codes.h"
#include "sitrep/v1/registry.pb.h"
#include "storage/audit_store.h"
#include "storage/enterprise_store.h"
#include "storage/principal_store.h"

namespace sitrep::registry {

// The rules of RegistryService (SPEC §1): which caller may see or change which enterprise,
// principal, token or audit entry, and the checks on every field. The server's edge has
// already allowed the caller's role for the method; this class narrows by binding (a
// provincial regulator sees only its province's enterprises, an enterprise only itself).
// Stateless apart from its collaborators; thread-safe. Throws only when PostgreSQL fails.
class Registry final {
 public:
  Registry(storage::EnterpriseStore& enterprises, storage::PrincipalStore& principals,
           storage::AuditStore& audit, const ReferenceCodes& codes, const Clock& clock)
      : enterprises_(enterprises),
        principals_(principals),
        audit_(audit),
        codes_(codes),
        clock_(clock) {}

  [[nodiscard]] Outcome<v1::Enterprise> CreateEnterprise(const Principal& caller,
                                                         const v1::Enterprise& enterprise);
  [[nodiscard]] Outcome<v1::Enterprise> GetEnterprise(const Principal& caller, int64_t id);
  [[nodiscard]] Outcome<v1::ListEnterprisesResponse> ListEnterprises(
      const Principal& caller, const v1::ListEnterprisesRequest& request);
  [[nodiscard]] Outcome<v1::Enterprise> UpdateEnterprise(
      const Principal& caller, const v1::UpdateEnterpriseRequest& request);

  [[nodiscard]] Outcome<v1::Principal> CreatePrincipal(const Principal& caller,
                                                       const v1::Principal& principal);
  [[nodiscard]] Outcome<v1::ListPrincipalsResponse> ListPrincipals(
      const Principal& caller, const v1::ListPrincipalsRequest& request);

  // The response holds the secret, which exists nowhere else afterwards.
  [[nodiscard]] Outcome<v1::IssueTokenResponse> IssueToken(const Principal& caller,
                                                           const v1::IssueTokenRequest& request);
  [[nodiscard]] Outcome<v1::ListTokensResponse> ListTokens(const Principal& caller,
                                                           const v1::ListTokensRequest& request);
  [[nodiscard]] Outcome<v1::Token> RevokeToken(const Principal& caller, int64_t token_id);

  [[nodiscard]] Outcome<v1::ListAuditEntriesResponse> ListAuditEntries(
      const Principal& caller, const v1::ListAuditEntriesRequest& request);

  [[nodiscard]] v1::ListReferenceCodesResponse ListReferenceCodes() const;

 private:
  // True when `caller` may read `enterprise` (its own province or itself, or everything).
  [[nodiscard]] static bool MaySee(const Principal& caller, const v1::Enterprise& enterprise);

  storage::EnterpriseStore& enterprises_;
  storage::PrincipalStore& principals_;
  storage::AuditStore& audit_;
  const ReferenceCodes& codes_;
  const Clock& clock_;
};

}  // namespace sitrep::registry
