// The default network.toml written by `depin init`: a complete, commented development network
// (30-second epochs, a halving schedule, coverage + usage reward pools, one key per role).
// Thread-safe (pure function).
#pragma once

#include <cstdint>
#include <string>

namespace depin::config {

// Public keys (base58) and paths filled into the template.
struct TemplateKeys {
  std::string governance;
  std::string producer;
  std::string price_oracle;
  std::string reward_oracle;
  std::string maker;
  std::string admin_token_file = "keys/admin.token";  // relative to the data dir
  int64_t genesis_time_ms = 0;  // written as [network] genesis_time (RFC 3339, UTC, seconds)
};

// Returns the text of network.toml with `keys` filled in; it always passes ParseNetworkConfig.
std::string RenderNetworkTemplate(const TemplateKeys& keys);

// "2026-12-06T03:18:41Z" for a Unix time in ms >= 0 (milliseconds dropped).
std::string FormatUtcTimestamp(int64_t unix_ms);

}  // namespace depin::config
