# Which folder may include which: the layering of README.md's architecture, as the build checks
# it (cmake/CheckLayering.cmake, run by every build; CTest's layering_check proves it fires).
# Each list matches the folder's target_link_libraries. Besides the project's folders, a list
# may name the outside layers
#   pqxx         <pqxx/…>, <libpq-fe.h>, or pqxx:: in code: SQL is storage/'s alone
#   grpc         gRPC clients and generated stubs (<grpcpp/…>, *.grpc.pb.h)
#   grpc-server  gRPC's server types (<grpcpp/server*.h>, <grpcpp/grpcpp.h>, …): server/'s alone
# Generated protobuf messages (*.pb.h) and third-party headers may be included anywhere.
set(sitrep_layer_domain domain)
set(sitrep_layer_logging logging)
# The vulnerability base's pure domain (issue 18): version ranges, names, matching.
set(sitrep_layer_vulns vulns domain logging)
# STIX 2.1 mapping (issue 19): pure, like vulns.
set(sitrep_layer_stix stix domain)
set(sitrep_layer_proto proto grpc)
set(sitrep_layer_storage storage domain logging pqxx)
set(sitrep_layer_registry registry storage domain logging)
set(sitrep_layer_escalation escalation storage domain logging)
set(sitrep_layer_ingest ingest escalation vulns storage domain logging)
set(sitrep_layer_feeds feeds vulns storage domain logging)
set(sitrep_layer_notifications notifications feeds storage domain logging)
# STIX 2.1 mapping (issue 19): pure, records in and STIX JSON out.
set(sitrep_layer_stix stix domain)
# The HTTP edge calls the services through the server's in-process channel, with the server's
# edge key (server/authenticator.h); the server starts it.
set(sitrep_layer_http http server stix storage domain logging proto grpc)
set(sitrep_layer_server
  server http registry ingest escalation feeds notifications storage domain logging proto grpc
  grpc-server)
set(sitrep_layer_cli cli domain logging proto grpc)
set(sitrep_layer_collector collector stix vulns domain logging proto grpc)
set(sitrep_layer_bench bench collector vulns storage domain logging proto grpc)
set(sitrep_layer_fuzz fuzz collector stix ingest vulns feeds domain logging proto)
set(sitrep_layer_tests
  tests server registry ingest escalation feeds notifications stix storage domain logging collector
  cli proto grpc grpc-server)

# Test sources (*_test.cc, *_pgtest.cc) may also use the throwaway cluster of tests/support and
# stand up a gRPC server of their own.
set(sitrep_layer_test_extra tests grpc-server)

# Single files allowed one more layer, as path:layer. bench/'s COPY baseline talks libpq; the
# test cluster's operator (tests/support/database_owner.h) acts behind the server's back.
set(sitrep_layer_file_exceptions
  bench/pq_connection.h:pqxx
  bench/pq_connection.cc:pqxx
  tests/support/database_owner.cc:pqxx
  collector/reference_fixture.h:tests
  collector/reference_fixture.cc:tests
)

# Files that still break a rule while the work that removes it is under way. This list only
# shrinks: take a file off it once it keeps the rules.
set(sitrep_layer_pending
)
