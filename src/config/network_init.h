// InitNetwork: creates a new network's data directory (`depin init <dir>`):
//   <dir>/network.toml      the commented development network (network_template.h)
//   <dir>/keys/*.key        one fresh Ed25519 key file per role (mode 0600; crypto/key_file.h)
//   <dir>/keys/admin.token  a random admin API token, 64 hex characters on one line (mode 0600)
// with every role's public key filled into network.toml. It refuses to overwrite an existing
// network.toml or key file (AlreadyExists naming the path) and writes network.toml last, so a
// directory with a network.toml always has its keys.
//
// Thread-safety: thread-safe; two concurrent inits of the same directory are not supported.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "util/env.h"
#include "util/result.h"

namespace depin::config {

struct InitResult {
  std::string config_path;
  // (role, key file path, base58 public key) for every key created, in template order.
  struct Key {
    std::string role;
    std::string path;
    std::string public_key;
  };
  std::vector<Key> keys;
  std::string admin_token_path;
};

util::Result<InitResult> InitNetwork(util::Env* env, const std::string& dir);

// Reads an admin token file: refuses a file readable by group or others, and anything but one
// line of at least 32 characters. Errors name the path.
util::Result<std::string> ReadAdminToken(util::Env* env, const std::string& path);

}  // namespace depin::config
