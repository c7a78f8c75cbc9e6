# cmake -DWORK_DIR=<empty scratch dir> -P cmake/CheckLayeringTest.cmake
# Proves that cmake/CheckLayering.cmake fires: each case writes one source file into a fresh
# tree and expects the check to pass or to fail naming that file.
cmake_minimum_required(VERSION 3.25)

# path | the line it holds | PASS or FAIL [| another file's path | the line it holds]...
set(cases
  "domain/ok.h|#include \"domain/outcome.h\"|PASS"
  "domain/bad.h|#include \"storage/pool.h\"|FAIL"
  "domain/bad.cc|#include <pqxx/pqxx>|FAIL"
  "domain/rpc.h|#include \"sitrep/v1/feed.grpc.pb.h\"|FAIL"
  "domain/messages.h|#include \"sitrep/v1/records.pb.h\"|PASS"
  "storage/ok.cc|#include <pqxx/pqxx>|PASS"
  "storage/bad.cc|#include \"ingest/reports.h\"|FAIL"
  "storage/up.h|#include \"server/status_mapping.h\"|FAIL"
  "storage/fixture_pgtest.cc|#include \"tests/support/test_cluster.h\"|PASS"
  "storage/fixture.cc|#include \"tests/support/test_cluster.h\"|FAIL"
  "ingest/ok.cc|#include \"storage/transaction.h\"|PASS"
  "ingest/bad.cc|#include \"server/rpc_runner.h\"|FAIL"
  "ingest/sql.cc|#include <pqxx/pqxx>|FAIL"
  "ingest/work.cc|void Write(pqxx::work& tx) {}|FAIL"
  "ingest/comment.cc|// once took a pqxx::work|PASS"
  "feeds/bad.cc|#include <grpcpp/server_context.h>|FAIL"
  "notifications/bad.cc|#include \"server/app.h\"|FAIL"
  "registry/bad.cc|#include \"feeds/feeds.h\"|FAIL"
  "escalation/bad.cc|#include \"ingest/group_commit_writer.h\"|FAIL"
  "server/ok.cc|#include <grpcpp/server_builder.h>|PASS"
  "server/sql.cc|#include <pqxx/pqxx>|FAIL"
  "cli/ok.cc|#include <grpcpp/create_channel.h>|PASS"
  "cli/server.cc|#include <grpcpp/server.h>|FAIL"
  "cli/fake_server_test.cc|#include <grpcpp/server.h>|PASS"
  "collector/storage.cc|#include \"storage/pool.h\"|FAIL"
  "bench/pq_connection.h|#include <libpq-fe.h>|PASS"
  "bench/feeds_bench.cc|#include <libpq-fe.h>|FAIL"
  "tests/flow_pgtest.cc|#include \"server/app.h\"|PASS"
  "tests/flow2_pgtest.cc|#include <pqxx/pqxx>|FAIL"
  # libpqxx through a storage header, directly or through another: storage/'s alone.
  "storage/inside.cc|#include \"storage/lease.h\"|PASS|storage/lease.h|#include <pqxx/pqxx>"
  "ingest/through.cc|#include \"storage/lease.h\"|FAIL|storage/lease.h|#include <pqxx/pqxx>"
  "feeds/deep.h|#include \"storage/store.h\"|FAIL|storage/store.h|#include \"storage/lease.h\"|storage/lease.h|#include <pqxx/pqxx>"
  "feeds/clean.h|#include \"storage/store.h\"|PASS|storage/store.h|#include \"domain/outcome.h\""
  "bench/copy.cc|#include \"bench/pq_connection.h\"|PASS|bench/pq_connection.h|#include <libpq-fe.h>"
)

set(failures "")
set(n 0)
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" fields "${case}")
  list(GET fields 0 path)
  list(GET fields 1 line)
  list(GET fields 2 expected)
  math(EXPR n "${n} + 1")
  set(tree ${WORK_DIR}/case${n})
  file(REMOVE_RECURSE ${tree})
  file(WRITE ${tree}/${path} "${line}\n")
  list(LENGTH fields count)
  foreach(i RANGE 3 ${count} 2)
    if(i LESS count)
      math(EXPR j "${i} + 1")
      list(GET fields ${i} other_path)
      list(GET fields ${j} other_line)
      file(WRITE ${tree}/${other_path} "${other_line}\n")
    endif()
  endforeach()
  execute_process(
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${tree} -P ${CMAKE_CURRENT_LIST_DIR}/CheckLayering.cmake
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(expected STREQUAL "PASS" AND NOT result EQUAL 0)
    string(APPEND failures "  ${path} (${line}): expected to pass, failed:\n${output}\n")
  elseif(expected STREQUAL "FAIL")
    if(result EQUAL 0)
      string(APPEND failures "  ${path} (${line}): expected to fail, passed\n")
    elseif(NOT output MATCHES "${path}")
      string(APPEND failures "  ${path} (${line}): failed without naming the file:\n${output}\n")
    endif()
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})
if(NOT failures STREQUAL "")
  message(FATAL_ERROR "The layering check does not hold:\n${failures}")
endif()
message(STATUS "layering check: ${n} cases hold")
