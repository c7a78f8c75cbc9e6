# sitrep_add_tests([NAME binary] LIBRARIES lib... SOURCES a_test.cc b_pgtest.cc ...)
# One test binary per folder (<folder>_tests unless NAME says otherwise): linking is most of a
# sanitizer build's time, so a folder's sources share one link. Each source stays its own CTest
# entry, named after it and running the binary on that source's test suites
# (--gtest_filter), so ctest still runs them in parallel and `ctest -R feed_pgtest` still
# works. Each *_pgtest entry is its own process and so starts its own throwaway PostgreSQL
# cluster for all its cases (STYLE.md, Tests). Per-source settings go on the source
# (set_source_files_properties), per-binary ones on the target the NAME gives.
function(sitrep_add_tests)
  cmake_parse_arguments(ARG "" "NAME" "LIBRARIES;SOURCES" ${ARGN})
  if(NOT ARG_NAME)
    get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
    set(ARG_NAME ${folder}_tests)
  endif()
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${ARG_NAME} PRIVATE ${SITREP_WARNINGS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBRARIES} GTest::gtest GTest::gmock
                                            GTest::gtest_main)
  set(seen_suites "")
  foreach(source IN LISTS ARG_SOURCES)
    get_filename_component(name ${source} NAME_WE)
    # The suites this source defines; a suite split over two sources would run twice (and two
    # fixtures of one name break gtest), so each suite has one source.
    file(STRINGS ${source} test_lines REGEX "^[ \t]*(TEST|TEST_F|TEST_P|TYPED_TEST)\\(")
    set(suites "")
    foreach(line IN LISTS test_lines)
      if(line MATCHES "^[ \t]*[A-Z_]+\\([ \t]*([A-Za-z0-9_]+)")
        list(APPEND suites ${CMAKE_MATCH_1})
      endif()
    endforeach()
    list(REMOVE_DUPLICATES suites)
    if(NOT suites)
      message(FATAL_ERROR "${source}: no TEST, TEST_F or TEST_P found")
    endif()
    set(filter "")
    foreach(suite IN LISTS suites)
      if(suite IN_LIST seen_suites)
        message(FATAL_ERROR "${source}: suite ${suite} is also defined by another source of "
                            "${ARG_NAME}; give it a name of its own")
      endif()
      list(APPEND seen_suites ${suite})
      # Parameterized suites run as <instantiation>/<suite>.
      string(APPEND filter "${suite}.*:*/${suite}.*:")
    endforeach()
    add_test(NAME ${name} COMMAND ${ARG_NAME} --gtest_filter=${filter})
    if(name MATCHES "_pgtest$")
      set_tests_properties(${name} PROPERTIES LABELS "postgres" TIMEOUT 900)
    else()
      set_tests_properties(${name} PROPERTIES LABELS "unit" TIMEOUT 300)
    endif()
  endforeach()
endfunction()
