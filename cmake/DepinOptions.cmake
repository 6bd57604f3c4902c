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
option(DEPIN_WERROR "Treat warnings as errors" OFF)
if(DEPIN_WERROR)
  target_compile_options(depin_warnings INTERFACE -Werror)
endif()

option(DEPIN_SANITIZE "Build with AddressSanitizer and UBSan" OFF)
if(DEPIN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
