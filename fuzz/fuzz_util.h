// Helpers shared by the libFuzzer targets in fuzz/ (one *_fuzz.cc per decoder of untrusted bytes;
// docs/security.md lists them). A target's LLVMFuzzerTestOneInput must never crash, leak, hang or
// trip a sanitizer on any input: every rejection is a util::Status. The helpers here are for
// fuzz targets only. Thread-safety: libFuzzer calls a target from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <spdlog/spdlog.h>

#include "crypto/ed25519.h"
#include "util/bytes.h"
#include "util/status.h"
#include "wire/test_samples.h"

namespace depin::fuzz {

// The network every target verifies signatures for: the seeds (make_seeds.cc) are signed for it,
// so the fuzzer starts from inputs that pass the signature checks and reach the code behind them.
inline constexpr std::string_view kNetwork = wire::testing::kSampleNetwork;

inline util::ByteView View(const uint8_t* data, size_t size) { return util::ByteView(data, size); }
inline std::string_view Text(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// An invariant of the code under test failed (not a rejected input: that is a Status). Abort so
// libFuzzer records the input as a crash.
[[noreturn]] inline void Fail(std::string_view what) {
  std::fprintf(stderr, "fuzz invariant failed: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}
inline void Check(bool condition, std::string_view what) {
  if (!condition) Fail(what);
}

// Once per process: libsodium, and no log lines (a fuzzer prints only its own findings).
inline void InitOnce() {
  static const bool done = [] {
    spdlog::set_level(spdlog::level::off);
    if (!crypto::InitCrypto().ok()) Fail("libsodium did not initialize");
    return true;
  }();
  (void)done;
}

}  // namespace depin::fuzz
