#include "cli/reference_words_call.h"

#include "sitrep/v1/registry.grpc.pb.h"

namespace sitrep::cli {

grpc::Status LoadReferenceWords(Session& session, ReferenceWords& words) {
  grpc::ClientContext context;
  session.PrepareCall(context);
  v1::ListReferenceCodesResponse codes;
  const grpc::Status status =
      v1::RegistryService::NewStub(session.channel())->ListReferenceCodes(&context, {}, &codes);
  if (status.ok()) words = ReferenceWords(codes);
  return status;
}

}  // namespace sitrep::cli
