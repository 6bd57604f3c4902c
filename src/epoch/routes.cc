// GET /v1/epochs/{epoch}/manifest and GET /v1/epochs/{epoch}/devices/{key} (docs/api.md): the
// manifest files the epoch service wrote, served read-only from <data dir>/rewards.
#include <charconv>
#include <nlohmann/json.hpp>

#include "epoch/files.h"
#include "epoch/service.h"
#include "http/json_error.h"
#include "rewards/explain.h"
#include "rewards/manifest_json.h"
#include "util/encoding.h"

namespace depin::epoch {

namespace {

util::Result<uint64_t> ParseEpoch(std::string_view text) {
  uint64_t epoch = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), epoch);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return util::Status::InvalidArgument("epoch \"" + std::string(text) +
                                         "\" is not a non-negative integer");
  }
  return epoch;
}

util::Result<std::string> DeviceJson(util::Env* env, const std::string& data_dir,
                                     std::string_view epoch_text, std::string_view key_text) {
  DEPIN_ASSIGN_OR_RETURN(uint64_t epoch, ParseEpoch(epoch_text));
  DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey key, crypto::PublicKey::FromBase58(key_text));
  DEPIN_ASSIGN_OR_RETURN(std::string text, LoadManifestText(env, data_dir, epoch));
  DEPIN_ASSIGN_OR_RETURN(rewards::Manifest m, rewards::ManifestFromJsonForDevice(text, key));
  nlohmann::json out = {{"epoch", epoch},
                        {"device", key.ToBase58()},
                        {"root", util::HexEncode(m.root)},
                        {"explanation", rewards::ExplainDevice(m, key)}};
  if (const rewards::DeviceEntry* d = rewards::FindDevice(m, key)) {
    out["amount"] = std::to_string(d->amount);
    out["availability_amount"] = std::to_string(d->availability_amount);
    out["usage_amount"] = std::to_string(d->usage_amount);
    out["valid_reports"] = d->valid_reports;
  }
  util::Result<crypto::MerkleProof> proof = rewards::RewardProof(m, key);
  if (proof.ok()) {
    for (const rewards::RewardLeaf& leaf : m.leaves) {
      if (leaf.key == key) out["cumulative"] = std::to_string(leaf.cumulative);
    }
    nlohmann::json siblings = nlohmann::json::array();
    for (const crypto::Hash256& h : proof->siblings) siblings.push_back(util::HexEncode(h));
    out["proof"] = {{"leaf_index", proof->leaf_index},
                    {"leaf_count", proof->leaf_count},
                    {"siblings", std::move(siblings)}};
  } else {
    out["cumulative"] = "0";
  }
  return out.dump();
}

}  // namespace

void AddEpochRoutes(http::Router* router, util::Env* env, std::string data_dir) {
  router->Get("/v1/epochs/{epoch}/manifest",
              [env, data_dir](const http::Request& req, http::Responder respond) {
                util::Result<uint64_t> epoch = ParseEpoch(req.params.at("epoch"));
                if (!epoch.ok()) {
                  respond(http::JsonError(epoch.status()));
                  return;
                }
                util::Result<std::string> text = LoadManifestText(env, data_dir, *epoch);
                if (!text.ok()) {
                  respond(http::JsonError(text.status()));
                  return;
                }
                respond(http::Response::Json(200, std::move(text).value()));
              });
  router->Get("/v1/epochs/{epoch}/devices/{key}",
              [env, data_dir](const http::Request& req, http::Responder respond) {
                util::Result<std::string> body =
                    DeviceJson(env, data_dir, req.params.at("epoch"), req.params.at("key"));
                if (!body.ok()) {
                  respond(http::JsonError(body.status()));
                  return;
                }
                respond(http::Response::Json(200, std::move(body).value()));
              });
}

}  // namespace depin::epoch
