// The default network.toml written by `depin init`: a complete, commented development network
// (30-second epochs, a halving schedule, coverage + usage reward pools, one key per role).
// Thread-safe (pure function).
#pragma once

#include <string>

namespace depin::node {

// Public keys (base58) and paths filled into the template.
struct TemplateKeys {
  std::string governance;
  std::string producer;
  std::string price_oracle;
  std::string reward_oracle;
  std::string maker;
  std::string admin_token_file = "keys/admin.token";  // relative to the data dir
};

// Returns the text of network.toml with `keys` filled in; it always passes ParseNetworkConfig.
std::string RenderNetworkTemplate(const TemplateKeys& keys);

}  // namespace depin::node
