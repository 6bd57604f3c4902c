// `depin admin denylist`: the operator's denylist, written, signed and installed without code.
//   depin admin denylist --data DIR --version N [--device KEY]... [--edge KEY,KEY]...
//        [--key FILE] [--out FILE] [--node URL [--token-file FILE]]
//     builds the list (keys in base58 or 64 hex digits), signs it for the network's id with the
//     governance key (default DIR/keys/governance.key), writes the signed text to --out (or
//     stdout), and with --node POSTs it to /v1/admin/denylist with the admin token (default
//     [api] admin_token_file). The node refuses a version that is not newer than the one in force.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "config/network_config.h"
#include "config/network_init.h"
#include "crypto/key_file.h"
#include "http/client.h"
#include "util/encoding.h"
#include "util/env.h"
#include "verify/denylist.h"

namespace depin::cli {
namespace {

struct DenylistArgs {
  std::string data;
  uint64_t version = 0;
  std::vector<std::string> devices;
  std::vector<std::string> edges;
  std::string key_file;
  std::string out;
  std::string node;
  std::string token_file;
};

// A device key as the dashboard shows it (base58) or as the denylist file writes it (hex).
util::Result<verify::Key> ParseKey(const std::string& text) {
  util::Result<crypto::PublicKey> key =
      text.size() == 64 ? crypto::PublicKey::FromHex(text) : crypto::PublicKey::FromBase58(text);
  if (!key.ok()) return key.status().WithContext("key " + text);
  return *key;
}

util::Status Post(const DenylistArgs& a, const config::NetworkConfig& nc, const std::string& text) {
  util::Env* env = util::Env::Default();
  std::string token_file = a.token_file;
  if (token_file.empty()) {
    if (nc.api.admin_token_file.empty()) {
      return util::Status::InvalidArgument("--token-file: network.toml names no admin token");
    }
    token_file = util::JoinPath(a.data, nc.api.admin_token_file);
  }
  DEPIN_ASSIGN_OR_RETURN(std::string token, config::ReadAdminToken(env, token_file));
  std::string host;
  uint16_t port = 0;
  DEPIN_RETURN_IF_ERROR(http::ParseServerUrl(a.node, &host, &port));
  DEPIN_ASSIGN_OR_RETURN(auto client, http::DeviceClient::Connect(host, port));
  DEPIN_ASSIGN_OR_RETURN(
      http::HttpReply reply,
      client->Post("/v1/admin/denylist", "text/plain", util::AsBytes(text), "Bearer " + token));
  if (reply.status != 200) {
    return util::Status::FailedPrecondition("node answered " + std::to_string(reply.status) + ": " +
                                            reply.body);
  }
  std::fprintf(stderr, "installed: %s\n", reply.body.c_str());
  return util::Status::Ok();
}

util::Status Denylist(const DenylistArgs& a) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  util::Env* env = util::Env::Default();
  if (a.version == 0) return util::Status::InvalidArgument("--version: must be at least 1");
  DEPIN_ASSIGN_OR_RETURN(config::NetworkConfig nc,
                         config::LoadNetworkConfig(env, util::JoinPath(a.data, "network.toml")));
  std::vector<verify::Key> devices;
  for (const std::string& d : a.devices) {
    DEPIN_ASSIGN_OR_RETURN(verify::Key key, ParseKey(d));
    devices.push_back(key);
  }
  std::vector<std::pair<verify::Key, verify::Key>> edges;
  for (const std::string& e : a.edges) {
    const size_t comma = e.find(',');
    if (comma == std::string::npos) {
      return util::Status::InvalidArgument("--edge " + e + ": give two keys, KEY,KEY");
    }
    DEPIN_ASSIGN_OR_RETURN(verify::Key first, ParseKey(e.substr(0, comma)));
    DEPIN_ASSIGN_OR_RETURN(verify::Key second, ParseKey(e.substr(comma + 1)));
    edges.emplace_back(first, second);
  }
  const std::string key_file =
      a.key_file.empty() ? util::JoinPath(a.data, "keys/governance.key") : a.key_file;
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair governance, crypto::ReadKeyFile(env, key_file));
  if (governance.public_key().ToBase58() != nc.keys.governance) {
    return util::Status::PermissionDenied(key_file + " is not the network's governance key " +
                                          nc.keys.governance);
  }
  const verify::Denylist list(a.version, std::move(devices), std::move(edges));
  const std::string text = list.SignToText(nc.network.id, governance);
  if (!a.out.empty()) {
    DEPIN_RETURN_IF_ERROR(env->WriteFileAtomic(a.out, util::AsBytes(text)));
  } else if (a.node.empty()) {
    std::fputs(text.c_str(), stdout);
  }
  if (!a.node.empty()) return Post(a, nc, text);
  return util::Status::Ok();
}

}  // namespace

void RegisterAdminCommands(CLI::App& app, Selected& selected) {
  CLI::App* admin = app.add_subcommand("admin", "The operator's tools for a running network");
  admin->require_subcommand(1, 1);
  auto args = std::make_shared<DenylistArgs>();
  CLI::App* deny = AddCommand(*admin, selected, "denylist",
                              "Write and sign a denylist (devices and witness edges that earn "
                              "nothing), and install it on a node",
                              [args] { return [args] { return Denylist(*args); }; });
  deny->add_option("--data", args->data, "Network data directory (network.toml, keys/)")
      ->required();
  deny->add_option("--version", args->version, "The list's version: newer than the one in force")
      ->required();
  deny->add_option("--device", args->devices, "A device key (base58 or hex); repeat for more");
  deny->add_option("--edge", args->edges, "A witness edge KEY,KEY; repeat for more");
  deny->add_option("--key", args->key_file, "Governance key file (default keys/governance.key)");
  deny->add_option("--out", args->out, "Write the signed list here (default: stdout)");
  deny->add_option("--node", args->node, "Install it on this node (POST /v1/admin/denylist)");
  deny->add_option("--token-file", args->token_file,
                   "Admin token file (default: [api] admin_token_file)");
}

}  // namespace depin::cli
