#include "fleet/fraud_table.h"

#include <algorithm>
#include <set>

#include "verify/fixed_point.h"

namespace depin::fleet {
namespace {

using json = nlohmann::json;
using verify::u128;

// Manifest integers are decimal strings (u64 may exceed a double); small ones are numbers.
uint64_t U64(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key)) return 0;
  const json& v = obj[key];
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) return static_cast<uint64_t>(std::max<int64_t>(0, v.get<int64_t>()));
  if (v.is_string()) return std::strtoull(v.get<std::string>().c_str(), nullptr, 10);
  return 0;
}

bool Bool(const json& obj, const char* key) {
  return obj.is_object() && obj.contains(key) && obj[key].is_boolean() && obj[key].get<bool>();
}

uint64_t Ppm(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0 : static_cast<uint64_t>(static_cast<u128>(part) * 1'000'000 / whole);
}

std::string LimitName(FraudLimit limit) {
  switch (limit) {
    case FraudLimit::kShare:
      return "share <= 1 %";
    case FraudLimit::kProfit:
      return "profit <= 0";
    case FraudLimit::kHonestFlagged:
      return "flagged <= 0.5 %";
  }
  return "";
}

std::string Reasons(const std::map<std::string, uint64_t>& reasons) {
  std::string out;
  for (const auto& [r, n] : reasons) {
    out += (out.empty() ? "" : ", ") + r + " " + std::to_string(n);
  }
  return out.empty() ? "-" : out;
}

}  // namespace

bool IsReportRejection(const std::string& reason) {
  static const std::set<std::string> kPerReport = {
      "stale_entropy",     "beacon_too_frequent",  "bad_payload",
      "unknown_beacon",    "duplicate_witness",    "self_witness",
      "witness_too_late",  "frequency_mismatch",   "witness_too_close",
      "witness_too_far",   "signal_too_strong",    "implausible_snr",
      "sensor_no_samples", "sensor_bad_timestamp", "sensor_too_many_samples"};
  return kPerReport.count(reason) > 0;
}

std::vector<std::string> DeviceFlags(const json& d) {
  std::vector<std::string> out;
  if (Bool(d, "deactivated")) out.emplace_back("deactivated");
  if (U64(d, "heartbeats") > 0 && !Bool(d, "uptime_ok")) out.emplace_back("uptime_not_met");
  if (U64(d, "heartbeats") > 0 && !Bool(d, "units_from_proofs") &&
      U64(d, "location_trust_ppm") < 1'000'000) {
    out.emplace_back("location_untrusted");
  }
  if (U64(d, "speedtests") > 0 && d.value("speedtest_tier_name", "") == "fail") {
    out.emplace_back("speedtest_fail");
  }
  if (U64(d, "self_paid_dc") > 0) out.emplace_back("self_paid");
  if (d.contains("invalid") && d["invalid"].is_object()) {
    for (const auto& [reason, n] : d["invalid"].items()) {
      if (reason != kBoundaryReason && !IsReportRejection(reason) &&
          U64(d["invalid"], reason.c_str()) > 0) {
        out.push_back(reason);
      }
    }
  }
  if (d.contains("flags") && d["flags"].is_array()) {
    for (const json& f : d["flags"]) {
      if (f.is_string()) out.push_back(f.get<std::string>());
    }
  }
  return out;
}

FraudTable MeasureFraud(const std::vector<json>& manifests,
                        const std::vector<MeasuredPopulation>& populations) {
  FraudTable t;
  std::map<std::string, size_t> owner;  // device key -> population index
  for (size_t i = 0; i < populations.size(); ++i) {
    for (const std::string& k : populations[i].keys) owner[k] = i;
  }
  std::vector<ClassRow> rows(populations.size());
  std::vector<std::map<std::string, std::set<std::string>>> reasons(populations.size());
  std::vector<std::set<std::string>> flagged(populations.size()), reporting(populations.size());
  std::vector<u128> cost(populations.size(), 0);
  std::vector<std::set<std::string>> reduced(populations.size());
  std::map<std::string, uint64_t> fleet_rewards;  // honest "fleet" device -> rewards
  for (const json& m : manifests) {
    t.epochs.push_back(U64(m, "epoch"));
    t.emission += U64(m, "emission");
    std::map<std::string, uint64_t> burned;  // payer -> DC burned this epoch
    if (m.contains("payer_burns") && m["payer_burns"].is_array()) {
      for (const json& b : m["payer_burns"]) burned[b.value("payer", "")] += U64(b, "dc_burned");
    }
    for (size_t i = 0; i < populations.size(); ++i) {
      for (const MeasuredPopulation::Paid& p : populations[i].paid) {
        auto it = burned.find(p.payer);
        if (it != burned.end() && p.dc > 0) {
          cost[i] += static_cast<u128>(it->second) * p.tokens / p.dc;
        }
      }
    }
    if (!m.contains("devices") || !m["devices"].is_array()) continue;
    for (const json& d : m["devices"]) {
      const uint64_t amount = U64(d, "amount");
      t.device_rewards += amount;
      auto it = owner.find(d.value("device", ""));
      if (it == owner.end()) continue;
      const size_t i = it->second;
      rows[i].rewards += amount;
      rows[i].usage_rewards += U64(d, "usage_amount");
      rows[i].receipts += U64(d, "receipts");
      if (d.contains("invalid") && d["invalid"].is_object()) {
        rows[i].boundary_rejects += U64(d["invalid"], kBoundaryReason);
        for (const auto& [reason, n] : d["invalid"].items()) {
          if (IsReportRejection(reason))
            rows[i].report_rejects[reason] += U64(d["invalid"], reason.c_str());
        }
      }
      reporting[i].insert(it->first);
      if (populations[i].name == "fleet") fleet_rewards[it->first] += amount;
      if (d.contains("origin") && d["origin"].is_object() &&
          U64(d["origin"], "multiplier_ppm") < 1'000'000) {
        reduced[i].insert(it->first);
      }
      for (const std::string& r : DeviceFlags(d)) {
        flagged[i].insert(it->first);
        reasons[i][r].insert(it->first);
      }
    }
  }
  std::vector<uint64_t> fleet_amounts;
  for (const auto& [key, amount] : fleet_rewards) fleet_amounts.push_back(amount);
  if (!fleet_amounts.empty()) {
    std::nth_element(fleet_amounts.begin(), fleet_amounts.begin() + fleet_amounts.size() / 2,
                     fleet_amounts.end());
    t.median_honest_reward = fleet_amounts[fleet_amounts.size() / 2];
  }
  bool pass = true;
  std::set<std::string> honest_reporting, honest_flagged;
  std::map<std::string, std::set<std::string>> honest_reasons;
  for (size_t i = 0; i < populations.size(); ++i) {
    const MeasuredPopulation& p = populations[i];
    ClassRow& r = rows[i];
    r.name = p.name;
    r.honest = p.honest;
    r.limit = p.honest ? FraudLimit::kHonestFlagged : p.limit;
    r.devices = p.honest ? reporting[i].size() : p.keys.size();
    r.share_ppm = Ppm(r.rewards, t.device_rewards);
    r.cost = cost[i] > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(cost[i]);
    r.flagged = flagged[i].size();
    r.flagged_ppm = Ppm(r.flagged, r.devices);
    for (const auto& [reason, keys] : reasons[i]) r.reasons[reason] = keys.size();
    r.origin_reduced = reduced[i].size();
    r.origins = p.origins;
    r.device_equivalents_permille = Ppm(r.rewards, t.median_honest_reward) / 1'000;
    r.sent = p.sent;
    r.accepted = p.accepted;
    r.rejected = p.rejected;
    r.reject_reasons = p.reject_reasons;
    switch (r.limit) {
      case FraudLimit::kShare:
        r.pass = r.share_ppm <= kAttackerShareLimitPpm;
        break;
      case FraudLimit::kProfit:
        r.pass = r.rewards <= r.cost;
        break;
      case FraudLimit::kHonestFlagged:
        r.pass = r.flagged_ppm <= kHonestFlaggedLimitPpm;
        break;
    }
    pass = pass && r.pass;
    if (p.honest) {
      honest_reporting.insert(reporting[i].begin(), reporting[i].end());
      honest_flagged.insert(flagged[i].begin(), flagged[i].end());
      for (const auto& [reason, keys] : reasons[i]) {
        honest_reasons[reason].insert(keys.begin(), keys.end());
      }
    }
  }
  // Attacker classes first (file order), then the honest populations.
  for (bool honest : {false, true}) {
    for (ClassRow& r : rows) {
      if (r.honest == honest) t.rows.push_back(std::move(r));
    }
  }
  t.honest_devices = honest_reporting.size();
  t.honest_flagged = honest_flagged.size();
  t.honest_flagged_ppm = Ppm(t.honest_flagged, t.honest_devices);
  for (const auto& [reason, keys] : honest_reasons) t.honest_reasons[reason] = keys.size();
  t.pass = pass && t.honest_flagged_ppm <= kHonestFlaggedLimitPpm && !manifests.empty();
  return t;
}

std::string PpmPercent(uint64_t ppm) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%02llu %%", static_cast<unsigned long long>(ppm / 10'000),
                static_cast<unsigned long long>(ppm % 10'000 / 100));
  return buf;
}

json FraudTableJson(const FraudTable& t) {
  json rows = json::array();
  for (const ClassRow& r : t.rows) {
    json row = {{"class", r.name},
                {"role", r.honest ? "honest" : "attacker"},
                {"limit", LimitName(r.limit)},
                {"devices", r.devices},
                {"rewards", std::to_string(r.rewards)},
                {"usage_rewards", std::to_string(r.usage_rewards)},
                {"receipts", r.receipts},
                {"outside_epoch_reports", r.boundary_rejects},
                {"rejected_proof_reports", r.report_rejects},
                {"share_ppm", r.share_ppm},
                {"flagged", r.flagged},
                {"flagged_ppm", r.flagged_ppm},
                {"reasons", r.reasons},
                {"origin_reduced", r.origin_reduced},
                {"device_equivalents_permille", r.device_equivalents_permille},
                {"pass", r.pass}};
    if (r.origins > 0) row["origins"] = r.origins;
    if (r.limit == FraudLimit::kProfit) {
      row["cost"] = std::to_string(r.cost);
      row["profit"] = r.rewards >= r.cost ? std::to_string(r.rewards - r.cost)
                                          : "-" + std::to_string(r.cost - r.rewards);
    }
    if (!r.honest) {
      row["honest_flagged_ppm"] = t.honest_flagged_ppm;
      row["reports"] = {{"sent", r.sent},
                        {"accepted", r.accepted},
                        {"rejected", r.rejected},
                        {"rejected_by_reason", r.reject_reasons}};
    }
    rows.push_back(std::move(row));
  }
  return {{"bench", "fraud"},
          {"epochs", t.epochs},
          {"emission", std::to_string(t.emission)},
          {"device_rewards", std::to_string(t.device_rewards)},
          {"median_honest_device_rewards", std::to_string(t.median_honest_reward)},
          {"limits",
           {{"attacker_share_ppm", kAttackerShareLimitPpm},
            {"honest_flagged_ppm", kHonestFlaggedLimitPpm},
            {"self_dealing", "profit <= 0 (rewards <= tokens burned for the DC spent)"}}},
          {"classes", rows},
          {"honest",
           {{"devices", t.honest_devices},
            {"flagged", t.honest_flagged},
            {"flagged_ppm", t.honest_flagged_ppm},
            {"reasons", t.honest_reasons}}},
          {"pass", t.pass}};
}

std::string FraudTableText(const FraudTable& t) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-22s %-8s %7s %10s %-17s %9s %9s %4s  %s\n", "class", "role",
                "devices", "share", "limit", "flagged", "honest fl", "pass", "reasons / answers");
  out += line;
  for (const ClassRow& r : t.rows) {
    std::string share = PpmPercent(r.share_ppm);
    std::string extra = "flags: " + Reasons(r.reasons);
    extra += " | worth " + std::to_string(r.device_equivalents_permille / 1000) + "." +
             std::to_string(r.device_equivalents_permille % 1000 / 100) + " devices";
    if (r.origins > 0) extra += " from " + std::to_string(r.origins) + " origins";
    if (r.origin_reduced > 0)
      extra += ", " + std::to_string(r.origin_reduced) + " reduced by origin";
    if (r.boundary_rejects > 0) {
      extra += " | outside_epoch reports " + std::to_string(r.boundary_rejects);
    }
    if (!r.report_rejects.empty()) extra += " | rejected proofs: " + Reasons(r.report_rejects);
    if (r.receipts > 0) {
      extra += " | receipts paid " + std::to_string(r.receipts) + ", usage " +
               std::to_string(r.usage_rewards);
    }
    if (!r.honest)
      extra += " | ingest: accepted " + std::to_string(r.accepted) + ", rejected " +
               Reasons(r.reject_reasons);
    if (r.limit == FraudLimit::kProfit) {
      extra += " | earned " + std::to_string(r.rewards) + " vs cost " + std::to_string(r.cost);
    }
    std::snprintf(
        line, sizeof line, "%-22s %-8s %7llu %10s %-17s %9s %9s %4s  ", r.name.c_str(),
        r.honest ? "honest" : "attacker", static_cast<unsigned long long>(r.devices),
        r.honest ? "-" : share.c_str(), LimitName(r.limit).c_str(),
        (std::to_string(r.flagged) + "/" + std::to_string(r.devices)).c_str(),
        r.honest ? PpmPercent(r.flagged_ppm).c_str() : PpmPercent(t.honest_flagged_ppm).c_str(),
        r.pass ? "yes" : "NO");
    out += line + extra + "\n";
  }
  std::string epochs;
  for (uint64_t e : t.epochs) epochs += (epochs.empty() ? "" : ",") + std::to_string(e);
  out += "epochs " + epochs + ": device rewards " + std::to_string(t.device_rewards) +
         " of emission " + std::to_string(t.emission) + "; honest devices flagged " +
         std::to_string(t.honest_flagged) + "/" + std::to_string(t.honest_devices) + " (" +
         PpmPercent(t.honest_flagged_ppm) + ", limit 0.50 %): " + Reasons(t.honest_reasons) + "\n";
  out += std::string("overall: ") + (t.pass ? "PASS" : "FAIL") + "\n";
  return out;
}

}  // namespace depin::fleet
