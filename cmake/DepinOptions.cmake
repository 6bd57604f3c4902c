# Compiler settings shared by every target.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_library(depin_warnings INTERFACE)
target_compile_options(depin_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
  -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
# scripts/build.sh turns this on (CI builds with it); a plain `cmake` keeps it off so a newer
# compiler's new warning does not stop someone else's build.
option(DEPIN_WERROR "Treat warnings as errors" OFF)
if(DEPIN_WERROR)
  target_compile_options(depin_warnings INTERFACE -Werror)
endif()

# Clang's thread-safety analysis: GUARDED_BY / REQUIRES / EXCLUDES (util/thread_annotations.h, on
# util::Mutex and util::SharedMutex) checked at compile time, as errors under DEPIN_WERROR. The
# sanitizer configuration (scripts/fuzz.sh, clang) turns it on, so CI pays for no extra build.
option(DEPIN_THREAD_SAFETY "Check thread-safety annotations (clang -Wthread-safety)" OFF)
if(DEPIN_THREAD_SAFETY)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DEPIN_THREAD_SAFETY needs clang (CC=clang CXX=clang++)")
  endif()
  target_compile_options(depin_warnings INTERFACE -Wthread-safety)
endif()

# Sanitizers for the whole build (libraries, tests, tools), as a comma-separated list:
#   -DDEPIN_SANITIZE=address,undefined   (ON means the same; scripts/test.sh's build-asan)
#   -DDEPIN_SANITIZE=thread              (scripts/test.sh's build-tsan, concurrent tests only)
# UBSan findings abort (-fno-sanitize-recover) so a test cannot pass with one in its output.
set(DEPIN_SANITIZE "" CACHE STRING "Sanitizers to build with: address,undefined | thread | empty")
if(DEPIN_SANITIZE STREQUAL "ON" OR DEPIN_SANITIZE STREQUAL "TRUE" OR DEPIN_SANITIZE STREQUAL "1")
  set(DEPIN_SANITIZE "address,undefined")
elseif(DEPIN_SANITIZE STREQUAL "OFF" OR DEPIN_SANITIZE STREQUAL "FALSE" OR
       DEPIN_SANITIZE STREQUAL "0")
  set(DEPIN_SANITIZE "")
endif()
if(DEPIN_SANITIZE)
  add_compile_options(-fsanitize=${DEPIN_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${DEPIN_SANITIZE})
  if(DEPIN_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()

# libFuzzer targets (fuzz/, scripts/fuzz.sh): clang only. Every library is instrumented for
# coverage (-fsanitize=fuzzer-no-link) with ASan and UBSan; only the fuzz targets link libFuzzer's
# main. The same build runs the test suite under ASan+UBSan (scripts/test.sh, build-sanitize/), so
# CI compiles the sources once for the fuzzers, the sanitizers and the thread-safety analysis.
option(DEPIN_FUZZ "Build the libFuzzer targets in fuzz/ (clang only)" OFF)
if(DEPIN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DEPIN_FUZZ needs clang (CC=clang CXX=clang++; scripts/fuzz.sh does this)")
  endif()
  if(DEPIN_SANITIZE)
    message(FATAL_ERROR "DEPIN_FUZZ brings its own sanitizers; leave DEPIN_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
