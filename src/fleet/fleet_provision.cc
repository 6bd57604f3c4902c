// Fleet: provisioning the economy (price, owners' funding, customers' grants through
// CustomerFunding), the dev-node admin registration, and the progress/epoch monitor. See fleet.h.
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "fleet/fleet.h"

namespace depin::fleet {
namespace {

uint64_t ParseAmount(const nlohmann::json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_string()) return std::strtoull(v.get<std::string>().c_str(), nullptr, 10);
  return 0;
}

}  // namespace

util::Status Fleet::Provision(NodeApi& api) {
  std::vector<crypto::Hash256> ids;
  util::Status s =
      SubmitNext(api, &oracle_, ledger::SubmitPrice{options_.economics.price_usd_e8}, &ids);
  if (s.ok()) s = FundOwners(api, &ids);
  if (s.ok()) s = WaitAllCommitted(api, ids, &stop_);
  // Customers get their grants the way later top-ups do (funding.h).
  if (s.ok()) s = funding_->Provision(api);
  if (!s.ok()) {
    oracle_.Reset();
    governance_.Reset();
  }
  return s;
}

// Tokens from the treasury to every owner short of what its devices' onboarding costs; the
// transfers' ids go to `ids`.
util::Status Fleet::FundOwners(NodeApi& api, std::vector<crypto::Hash256>* ids) {
  const Economics& e = options_.economics;
  const uint64_t per_device =
      TokensForCredits(e, e.onboard_fee_dc + (e.first_location_free ? 0 : e.location_fee_dc));
  for (uint64_t o = 0; o < owners_.size(); ++o) {
    const uint64_t first = o * options_.devices_per_owner;
    const uint64_t n = std::min<uint64_t>(devices_.size() - first, options_.devices_per_owner);
    DEPIN_ASSIGN_OR_RETURN(AccountInfo a, api.GetAccount(owners_[o]->address()));
    if (a.nonce > 0) continue;  // a previous run already funded and used it
    const uint64_t want = per_device * n + per_device / 10;
    if (a.balance >= want) continue;
    DEPIN_RETURN_IF_ERROR(SubmitNext(
        api, &governance_, ledger::Transfer{owners_[o]->address(), want - a.balance}, ids));
  }
  return util::Status::Ok();
}

void Fleet::RegisterWithAdmin(NodeApi& api, uint64_t owner) {
  nlohmann::json devices = nlohmann::json::array();
  const uint64_t first = owner * options_.devices_per_owner;
  const uint64_t end = std::min<uint64_t>(devices_.size(), first + options_.devices_per_owner);
  for (uint64_t i = first; i < end; ++i) {
    devices.push_back({{"key", devices_[i].managed.key.public_key().ToBase58()},
                       {"class", ClassNameOf(devices_[i])},
                       {"active", true}});
  }
  util::Result<std::string> r = api.PostJson(
      "/v1/admin/devices", nlohmann::json{{"devices", devices}}.dump(), options_.admin_token);
  if (!r.ok()) SetError("admin registration: " + r.status().ToString());
}

void Fleet::Monitor(NodeApi& api) {
  const int64_t epoch_ms = std::max<int64_t>(1, options_.epoch_ms);
  auto epoch_now = [&] {
    return static_cast<uint64_t>(std::max<int64_t>(0, Now() - options_.genesis_ms) / epoch_ms);
  };
  uint64_t epoch = epoch_now();
  FleetSnapshot at_start = Snapshot();
  std::vector<EpochSummary> pending;  // ended, waiting for their manifest
  while (Sleep(1000)) {
    if (options_.on_progress) options_.on_progress(Snapshot());
    const uint64_t now_epoch = epoch_now();
    if (now_epoch != epoch) {
      EpochSummary sum;
      sum.epoch = epoch;
      sum.at_end = Snapshot();
      sum.accepted_in_epoch = sum.at_end.accepted - at_start.accepted;
      sum.rejected_in_epoch = sum.at_end.rejected - at_start.rejected;
      pending.push_back(std::move(sum));
      epoch = now_epoch;
      at_start = Snapshot();
    }
    // An epoch's line waits for its manifest (the node closes an epoch a moment after it ends),
    // but not beyond the end of the next epoch: a node may not close epochs at all.
    while (!pending.empty()) {
      EpochSummary& sum = pending.front();
      if (!ReadRewards(api, &sum) && sum.epoch + 2 > now_epoch) break;
      if (options_.on_epoch) options_.on_epoch(sum);
      pending.erase(pending.begin());
    }
  }
}

// Fills the rewards of `sum.epoch` from its manifest; false if the node has none (yet).
bool Fleet::ReadRewards(NodeApi& api, EpochSummary* sum) {
  util::Result<std::optional<std::string>> body =
      api.GetJson("/v1/epochs/" + std::to_string(sum->epoch) + "/manifest");
  if (!body.ok() || !*body) return false;
  const nlohmann::json m = nlohmann::json::parse(**body, nullptr, false);
  if (!m.is_object() || !m.contains("devices") || !m["devices"].is_array()) return false;
  if (mine_.empty()) {
    for (const EmulatedDevice& d : devices_) {
      mine_[d.managed.key.public_key().ToBase58()] = ClassNameOf(d);
    }
  }
  for (const nlohmann::json& d : m["devices"]) {
    if (!d.is_object() || !d.contains("device") || !d["device"].is_string()) continue;
    auto mine = mine_.find(d["device"].get<std::string>());
    if (mine == mine_.end()) continue;
    const uint64_t amount = d.contains("amount") ? ParseAmount(d["amount"]) : 0;
    sum->rewards_total += amount;
    sum->rewarded_devices += amount > 0 ? 1 : 0;
    EpochSummary::ClassRewards& c = sum->by_class[mine->second];
    ++c.devices;
    c.total += amount;
    c.rewarded_devices += amount > 0 ? 1 : 0;
  }
  if (m.contains("flags") && m["flags"].is_array()) {
    for (const nlohmann::json& f : m["flags"]) {
      if (!f.is_object() || !f.contains("device") || !f["device"].is_string()) continue;
      auto mine = mine_.find(f["device"].get<std::string>());
      if (mine != mine_.end()) ++sum->by_class[mine->second].flagged;
    }
  }
  sum->has_rewards = true;
  return true;
}

}  // namespace depin::fleet
