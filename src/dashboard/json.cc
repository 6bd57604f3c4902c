#include "dashboard/json.h"

#include <s2/s2cell_id.h>

#include <set>

#include "crypto/hash.h"
#include "ledger/records.h"
#include "util/encoding.h"
#include "verify/fixed_point.h"

namespace depin::dashboard {

using nlohmann::json;

namespace {

std::string U(uint64_t v) { return std::to_string(v); }

std::string U128(verify::u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return s;
}

json FlagsJson(const DeviceEpochRow& row) {
  json flags = json::array();
  for (std::string& f : FlagNames(row)) flags.push_back(std::move(f));
  return flags;
}

}  // namespace

json PageJson(uint64_t total, const Page& page, json items) {
  return json{{"total", total},
              {"offset", page.offset},
              {"limit", page.limit},
              {"items", std::move(items)}};
}

namespace {

// The fields every epoch view starts with: its window and where the emission went.
json EpochTotalsJson(const EpochSummary& s) {
  return json{{"epoch", s.epoch},
              {"start_ms", s.start_ms},
              {"end_ms", s.end_ms},
              {"emission", U(s.emission)},
              {"minted", U(s.minted)},
              {"unallocated", U(s.unallocated_total)},
              {"device_rewards", U(s.device_rewards)}};
}

}  // namespace

json HealthJson(const EpochSummary& s, uint64_t registered) {
  json reasons = json::object();
  for (size_t r = 0; r < s.invalid_by_reason.size(); ++r) {
    if (s.invalid_by_reason[r] == 0) continue;
    reasons[std::string(verify::InvalidReasonName(static_cast<verify::InvalidReason>(r)))] =
        s.invalid_by_reason[r];
  }
  const uint64_t judged = s.valid_reports + s.invalid_reports;
  const uint64_t invalid_rate_ppm =
      judged == 0 ? 0
                  : static_cast<uint64_t>(static_cast<verify::u128>(s.invalid_reports) * 1'000'000 /
                                          judged);
  // Real demand vs subsidy: value of the DC burned per token minted, ppm.
  const uint64_t demand_ppm =
      s.minted == 0 ? 0
                    : static_cast<uint64_t>(static_cast<verify::u128>(s.dc_burned_value) *
                                            1'000'000 / s.minted);
  json out = EpochTotalsJson(s);
  out.update(
      json{{"dc_burned", U(s.dc_burned)},
           {"dc_burned_value", U(s.dc_burned_value)},
           {"dc_price", {{"base_units", U(s.dc_price.base_units)}, {"dc", U(s.dc_price.dc)}}},
           {"demand_to_subsidy_ppm", demand_ppm},
           {"registered_devices", registered},
           {"active_devices", s.devices_reporting},
           {"rewarded_devices", s.devices_rewarded},
           {"flagged_devices", s.devices_flagged},
           {"reports_seen", s.reports_seen},
           {"valid_reports", s.valid_reports},
           {"invalid_reports", s.invalid_reports},
           {"unknown_device_reports", s.unknown_device_reports},
           {"corrupt_records", s.corrupt_records},
           {"invalid_rate_ppm", invalid_rate_ppm},
           {"invalid_by_reason", std::move(reasons)},
           {"top10_owner_share_ppm", s.top10_owner_share_ppm}});
  json classes = json::array();
  for (const auto& [index, c] : s.by_class) {
    json by_reason = json::object();
    for (size_t r = 0; r < c.invalid_by_reason.size(); ++r) {
      if (c.invalid_by_reason[r] == 0) continue;
      by_reason[std::string(verify::InvalidReasonName(static_cast<verify::InvalidReason>(r)))] =
          c.invalid_by_reason[r];
    }
    classes.push_back({{"resource_class", index},
                       {"devices", c.devices},
                       {"active_devices", c.reporting},
                       {"rewarded_devices", c.rewarded},
                       {"flagged_devices", c.flagged},
                       {"proof_flagged_devices", c.proof_flagged},
                       {"device_rewards", U(c.reward)},
                       {"valid_reports", c.valid_reports},
                       {"invalid_reports", c.invalid_reports},
                       {"invalid_by_reason", std::move(by_reason)}});
  }
  out["by_class"] = std::move(classes);
  return out;
}

json DeviceEpochJson(const EpochSummary& s, const DeviceEpochRow& row) {
  json out{{"epoch", s.epoch},
           {"amount", U(row.amount)},
           {"cumulative", U(row.cumulative)},
           {"valid_reports", row.valid_reports},
           {"invalid_reports", row.invalid_reports},
           {"flags", FlagsJson(row)}};
  if (row.units_from_proofs || row.beacons + row.witnesses + row.sensor_batches > 0) {
    out["proofs"] = {{"units_from_proofs", row.units_from_proofs},
                     {"availability_units", U(row.availability_units)},
                     {"beacons", row.beacons},
                     {"witnesses", row.witnesses},
                     {"sensor_batches", row.sensor_batches},
                     {"qod_ppm", row.qod_ppm}};
  }
  if (row.flags & kFlagProofFlagged) {
    out["proof_flag"] = {
        {"reason", std::string(verify::InvalidReasonName(
                       static_cast<verify::InvalidReason>(row.proof_flag_reason)))},
        {"evidence", row.proof_flag_evidence}};
  }
  return out;
}

json DeviceJson(const DeviceRow& d, const EpochSummary* latest) {
  json out = {{"key", d.key.ToBase58()},
              {"owner", d.owner.ToBase58()},
              {"maker", d.maker.ToBase58()},
              {"resource_class", d.resource_class},
              {"status", d.status == 1   ? "active"
                         : d.status == 2 ? "suspended"
                         : d.status == 3 ? "denied"
                                         : "unknown"},
              {"cell", U(d.cell)},
              {"onboarded_height", d.onboarded_height},
              {"onboarded_ms", d.onboarded_ms}};
  if (d.located) {
    out["cell_token"] = S2CellId(d.cell).ToToken();
    out["lat"] = d.lat;
    out["lng"] = d.lng;
  } else {
    out["lat"] = nullptr;
    out["lng"] = nullptr;
  }
  const DeviceEpochRow* row = latest ? latest->FindDevice(d.key) : nullptr;
  out["latest"] = row ? DeviceEpochJson(*latest, *row) : json(nullptr);
  // The newest closed epoch even when the device has no entry in it (it sent nothing), so a
  // page can say "nothing in epoch N" rather than "no closed epoch yet".
  out["latest_epoch"] = latest ? json(latest->epoch) : json(nullptr);
  return out;
}

json CellJson(uint64_t cell, const std::vector<ledger::Address>& devices,
              const EpochSummary* latest) {
  S2CellId id(cell);
  json corners = json::array();
  for (const auto& [lat, lng] : CellCorners(cell)) corners.push_back({lat, lng});
  uint64_t reward = 0, flagged = 0, rewarded = 0;
  for (const ledger::Address& d : devices) {
    const DeviceEpochRow* row = latest ? latest->FindDevice(d) : nullptr;
    if (!row) continue;
    reward += row->amount;
    rewarded += row->amount > 0 ? 1 : 0;
    flagged += row->flags != 0 ? 1 : 0;
  }
  std::optional<std::pair<double, double>> centre = CellLatLng(cell);
  return json{{"cell", U(cell)},
              {"token", id.ToToken()},
              {"level", id.level()},
              {"lat", centre ? centre->first : 0.0},
              {"lng", centre ? centre->second : 0.0},
              {"corners", std::move(corners)},
              {"devices", devices.size()},
              {"rewarded_devices", rewarded},
              {"flagged_devices", flagged},
              {"reward", U(reward)}};
}

util::Result<uint64_t> ClaimedOf(const ledger::Ledger& ledger, const ledger::Address& device) {
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw,
                         ledger.ReadState(ledger::keys::Claimed(device)));
  if (!raw) return uint64_t{0};
  return ledger::DecodeU64(*raw);
}

util::Result<EpochClaims> CountEpochClaims(const EpochSummary& s, const ledger::Ledger& ledger) {
  std::set<verify::Key> recipients;
  for (const rewards::RecipientEntry& r : s.recipients) recipients.insert(r.recipient);
  EpochClaims out;
  for (const rewards::RewardLeaf& leaf : s.leaves) {
    if (recipients.count(leaf.key) > 0 && !s.FindDevice(leaf.key)) continue;
    ++out.device_leaves;
    DEPIN_ASSIGN_OR_RETURN(const uint64_t claimed, ClaimedOf(ledger, leaf.key));
    out.claimed += claimed >= leaf.cumulative ? 1 : 0;
  }
  return out;
}

util::Result<json> EpochJson(const EpochSummary& s, const ledger::Ledger& ledger,
                             const EpochClaims& claims, bool full) {
  json out = EpochTotalsJson(s);
  out.update(json{{"root", crypto::ToHex(s.root)},
                  {"manifest_hash", crypto::ToHex(s.manifest_hash)},
                  {"devices", s.devices.size()},
                  {"rewarded_devices", s.devices_rewarded}});
  // Claim status: the posted root, and how many device leaves the ledger has paid out.
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw,
                         ledger.ReadState(ledger::keys::RewardRoot(s.epoch)));
  std::optional<ledger::RewardRoot> posted;
  if (raw) {
    util::Result<ledger::RewardRoot> r = ledger::DecodeRewardRoot(*raw);
    if (r.ok()) posted = *r;
  }
  const uint64_t device_leaves = claims.device_leaves, claimed = claims.claimed;
  const char* status = !posted                    ? "computed"
                       : posted->root != s.root   ? "root_mismatch"
                       : claimed == device_leaves ? "claimed"
                                                  : "posted";
  out["claim"] = {{"status", status},
                  {"posted", posted.has_value()},
                  {"posted_root", posted ? json(crypto::ToHex(posted->root)) : json(nullptr)},
                  {"device_leaves", device_leaves},
                  {"claimed_leaves", claimed}};
  json pools = json::array();
  for (const rewards::PoolEntry& p : s.pools) {
    json pool = {{"name", p.name},           {"kind", std::string(rewards::PoolKindName(p.kind))},
                 {"share_ppm", p.share_ppm}, {"budget", U(p.budget)},
                 {"paid", U(p.paid)},        {"unallocated", U(p.unallocated)}};
    if (full) {
      pool["overflow_in"] = U(p.overflow_in);
      pool["overflow_out"] = U(p.overflow_out);
      pool["total_shares"] = U128(p.total_shares);
      if (p.kind == rewards::PoolKind::kRecipient) pool["recipient"] = p.recipient.ToBase58();
    }
    pools.push_back(std::move(pool));
  }
  out["pools"] = std::move(pools);
  if (!full) return out;
  json unallocated = json::array();
  for (const rewards::UnallocatedEntry& u : s.unallocated) {
    unallocated.push_back({{"pool", u.pool}, {"reason", u.reason}, {"amount", U(u.amount)}});
  }
  out["unallocated_entries"] = std::move(unallocated);
  json recipients = json::array();
  for (const rewards::RecipientEntry& r : s.recipients) {
    recipients.push_back(
        {{"pool", r.pool}, {"recipient", r.recipient.ToBase58()}, {"amount", U(r.amount)}});
  }
  out["recipients"] = std::move(recipients);
  // The ten largest device rewards ("who earned most").
  std::vector<const DeviceEpochRow*> top;
  for (const DeviceEpochRow& d : s.devices) top.push_back(&d);
  const size_t n = std::min<size_t>(10, top.size());
  std::partial_sort(top.begin(), top.begin() + static_cast<long>(n), top.end(),
                    [](const DeviceEpochRow* a, const DeviceEpochRow* b) {
                      return a->amount != b->amount ? a->amount > b->amount : a->key < b->key;
                    });
  json top_json = json::array();
  for (size_t i = 0; i < n; ++i) {
    top_json.push_back({{"device", top[i]->key.ToBase58()}, {"amount", U(top[i]->amount)}});
  }
  out["top_devices"] = std::move(top_json);
  return out;
}

}  // namespace depin::dashboard
