#pragma once

#include <grpcpp/support/status.h>

#include "cli/reference_words.h"
#include "cli/session.h"

namespace sitrep::cli {

// Fetches the server's province and sector names (RegistryService.ListReferenceCodes) into
// `words`; leaves `words` as it was and returns the call's status when the call fails.
[[nodiscard]] grpc::Status LoadReferenceWords(Session& session, ReferenceWords& words);

}  // namespace sitrep::cli
