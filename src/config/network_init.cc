#include "config/network_init.h"

#include <sodium.h>

#include "config/network_config.h"
#include "config/network_template.h"
#include "crypto/ed25519.h"
#include "crypto/key_file.h"
#include "util/encoding.h"

namespace depin::config {

util::Result<InitResult> InitNetwork(util::Env* env, const std::string& dir) {
  InitResult result;
  result.config_path = util::JoinPath(dir, "network.toml");
  if (env->FileExists(result.config_path)) {
    return util::Status::AlreadyExists(result.config_path +
                                       ": already exists; refusing to overwrite a network's "
                                       "configuration (choose an empty directory)");
  }
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  const std::string key_dir = util::JoinPath(dir, "keys");
  DEPIN_RETURN_IF_ERROR(env->CreateDirs(key_dir));

  TemplateKeys keys;
  const std::pair<const char*, std::string*> roles[] = {
      {"governance", &keys.governance},
      {"producer", &keys.producer},
      {"price-oracle", &keys.price_oracle},
      {"reward-oracle", &keys.reward_oracle},
      {"maker", &keys.maker},
  };
  for (const auto& [role, slot] : roles) {
    const std::string path = util::JoinPath(key_dir, std::string(role) + ".key");
    crypto::KeyPair key = crypto::KeyPair::Generate();
    DEPIN_RETURN_IF_ERROR(crypto::WriteKeyFile(env, path, key));
    *slot = key.public_key().ToBase58();
    result.keys.push_back({role, path, *slot});
  }

  keys.admin_token_file = "keys/admin.token";
  keys.genesis_time_ms = env->NowUnixMillis();  // dev epochs count from now
  result.admin_token_path = util::JoinPath(dir, keys.admin_token_file);
  if (env->FileExists(result.admin_token_path)) {
    return util::Status::AlreadyExists(result.admin_token_path +
                                       ": already exists; refusing to overwrite a token");
  }
  util::Bytes secret(32);
  randombytes_buf(secret.data(), secret.size());
  const std::string token = util::HexEncode(secret) + "\n";
  sodium_memzero(secret.data(), secret.size());
  DEPIN_RETURN_IF_ERROR(env->WriteFileAtomic(result.admin_token_path, util::AsBytes(token), 0600));

  const std::string text = RenderNetworkTemplate(keys);
  // The template must always validate; checking here turns a template bug into a clear error.
  util::Result<NetworkConfig> check = ParseNetworkConfig(text, result.config_path);
  if (!check.ok()) return check.status().WithContext("internal error in the network template");
  DEPIN_RETURN_IF_ERROR(env->WriteFileAtomic(result.config_path, util::AsBytes(text), 0644));
  return result;
}

util::Result<std::string> ReadAdminToken(util::Env* env, const std::string& path) {
  DEPIN_ASSIGN_OR_RETURN(uint32_t mode, env->GetFileMode(path));
  if ((mode & 077) != 0) {
    return util::Status::PermissionDenied(path +
                                          ": the admin token is readable by others; chmod 600 it");
  }
  DEPIN_ASSIGN_OR_RETURN(util::Bytes raw, env->ReadFile(path));
  std::string token(util::AsChars(raw));
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (token.size() < 32 || token.find_first_of(" \t\r\n") != std::string::npos) {
    return util::Status::InvalidArgument(path + ": must hold one token of at least 32 characters");
  }
  return token;
}

}  // namespace depin::config
