// Node's admin routes (admin_routes.h): the token, the operator key, the stored denylist.
#include <spdlog/spdlog.h>

#include "config/epoch_config.h"
#include "node/node.h"

namespace depin::node {

util::Status Node::StartAdmin() {
  AdminDeps deps;
  deps.env = options_.env;
  deps.data_dir = options_.data_dir;
  util::Result<std::string> token = LoadAdminToken(options_.env, config_, options_.data_dir);
  if (token.ok()) {
    deps.token = std::move(token).value();
  } else {
    spdlog::warn("admin: {}; every /v1/admin/ request will get 401", token.status().ToString());
  }
  util::Result<crypto::PublicKey> op = crypto::PublicKey::FromBase58(config_.keys.governance);
  if (!op.ok()) return op.status().WithContext("keys.governance");
  deps.operator_key = *op;
  deps.network_id = config_.network.id;
  deps.ledger = ledger_.get();
  DEPIN_ASSIGN_OR_RETURN(deps.reward_config, config::RewardConfigFromNetwork(config_));
  deps.devices = device_sync_.get();
  admin_ = std::make_unique<AdminRoutes>(std::move(deps));
  DEPIN_RETURN_IF_ERROR(admin_->LoadDenylist());
  admin_->AddRoutes(&router_);
  return util::Status::Ok();
}

}  // namespace depin::node
