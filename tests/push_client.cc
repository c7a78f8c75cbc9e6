#include "tests/push_client.h"

#include <thread>

namespace sitrep::testing {

PushResult PushAll(grpc::Channel& channel, const std::string& token,
                   const std::vector<v1::PushBatch>& batches) {
  auto stub = v1::IngestService::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](auto*) {}));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto stream = stub->Push(&context);
  PushResult result;
  // Acks are read concurrently: a server that stops reading until acks are taken must not
  // deadlock the test.
  std::thread reader([&] {
    v1::PushAck ack;
    while (stream->Read(&ack)) result.acks.push_back(ack);
  });
  for (const v1::PushBatch& batch : batches) {
    if (!stream->Write(batch)) break;
  }
  stream->WritesDone();
  reader.join();
  result.status = stream->Finish();
  return result;
}

}  // namespace sitrep::testing
