# depin_library(NAME layer SOURCES ... DEPS ... [PUBLIC_DEPS ...])
#   Defines static library depin_<layer> whose headers are included as "<layer>/foo.h".
# depin_tests(layer SOURCES ... DEPS ...)
#   Defines depin_<layer>_tests (GoogleTest) and registers every test case with CTest.
function(depin_library layer)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(depin_${layer} STATIC ${ARG_SOURCES})
  target_include_directories(depin_${layer} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(depin_${layer} PRIVATE depin_warnings ${ARG_DEPS} PUBLIC ${ARG_PUBLIC_DEPS})
endfunction()

function(depin_tests layer)
  if(NOT DEPIN_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(depin_${layer}_tests ${ARG_SOURCES})
  target_link_libraries(depin_${layer}_tests PRIVATE depin_warnings depin_${layer} ${ARG_DEPS}
                        GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(depin_${layer}_tests PRIVATE
    DEPIN_SOURCE_DIR="${PROJECT_SOURCE_DIR}" DEPIN_BINARY_DIR="${CMAKE_BINARY_DIR}")
  gtest_discover_tests(depin_${layer}_tests DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS ${layer})
endfunction()
