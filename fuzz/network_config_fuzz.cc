// Fuzz target: the network file (network.toml) loader: TOML parsing (toml++) and every section's
// validation. Operators write this file by hand, so any text must give a config or a Status
// naming file and line, never a crash or an exception.
#include "config/network_config.h"
#include "fuzz/fuzz_util.h"

using namespace depin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::InitOnce();
  auto config = config::ParseNetworkConfig(fuzz::Text(data, size), "network.toml");
  if (!config.ok()) {
    fuzz::Check(!config.status().message().empty(), "network config: an error says what");
  }
  return 0;
}
