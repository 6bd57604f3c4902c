# Third-party dependencies: all Debian 12 packages (scripts/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(Protobuf REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(Boost 1.74 REQUIRED)            # Asio + Beast are header-only
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
# jemalloc for the depin executable: the ingest path allocates per request and per report from
# several threads, and glibc malloc cost ~13% of (b)'s throughput (docs/performance.md).
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
if(DEPIN_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(DEPIN_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
