#include "twin/output.h"

#include <nlohmann/json.hpp>

#include "twin/fixed.h"
#include "util/encoding.h"

namespace depin::twin {

namespace {

std::string U(uint64_t v) { return std::to_string(v); }
std::string Ppm(uint64_t v) { return FormatDecimal(v, kPpmDigits); }
std::string Ratio(uint64_t num, uint64_t den) {
  return den == 0 ? std::string() : FormatDecimal(MulDiv(num, kPpm, den), kPpmDigits);
}

void AppendRow(std::string& out, const EpochRow& r, uint64_t subset, uint64_t run, uint64_t substep,
               uint64_t timestep) {
  const uint64_t organic = r.tokens_burned - r.tokens_burned_wash;
  const std::string cells[] = {"0",
                               U(subset),
                               U(run + 1),
                               U(substep),
                               U(timestep),
                               U(r.epoch),
                               U(r.registered),
                               U(r.active),
                               U(r.earning),
                               U(r.joined),
                               U(r.left),
                               U(r.attackers_active),
                               FormatDecimal(r.price_usd_e8, kPriceDigits),
                               FormatDecimal(r.demand_nanousd, kNanoDigits),
                               U(r.dc_burned),
                               U(r.tokens_burned),
                               U(r.tokens_burned_wash),
                               U(r.emission_base),
                               U(r.emission),
                               U(r.minted),
                               U(r.unallocated),
                               U(r.supply),
                               U(r.reemit_pool),
                               U(r.device_rewards),
                               U(r.recipient_rewards),
                               U(r.attacker_rewards),
                               Ratio(r.attacker_rewards, r.device_rewards),
                               Ratio(r.tokens_burned, r.minted),
                               Ratio(organic, r.minted),
                               FormatDecimal(r.mean_income_nanousd, kNanoDigits),
                               Ppm(r.profitable_ppm),
                               Ppm(r.paid_back_ppm),
                               Ratio(r.active, r.registered),
                               Ppm(r.top10_owner_ppm),
                               U(r.nakamoto),
                               U(r.owners_earning),
                               timestep == 0 ? std::string() : util::HexEncode(r.root)};
  bool first = true;
  for (const std::string& c : cells) {
    if (!first) out += ',';
    out += c;
    first = false;
  }
  out += '\n';
}

}  // namespace

std::string CsvHeader() {
  return "simulation,subset,run,substep,timestep,epoch,registered,active,earning,joined,left,"
         "attackers_active,price_usd,demand_usd,dc_burned,tokens_burned,tokens_burned_wash,"
         "emission_base,emission,minted,unallocated,supply,reemit_pool,device_rewards,"
         "recipient_rewards,attacker_rewards,attacker_share,burn_mint_ratio,"
         "organic_burn_mint_ratio,mean_income_usd,profitable_share,paid_back_share,active_share,"
         "top10_owner_share,nakamoto,owners_earning,manifest_root\n";
}

std::string CsvRows(const RunResult& run, uint64_t subset) {
  std::string out;
  out.reserve((run.rows.size() + 1) * 320);
  AppendRow(out, run.initial, subset, run.run, 0, 0);
  for (size_t i = 0; i < run.rows.size(); ++i) {
    AppendRow(out, run.rows[i], subset, run.run, 1, i + 1);
  }
  return out;
}

std::string SummaryJson(const SummaryInput& in) {
  using nlohmann::ordered_json;
  const Scenario& s = *in.scenario;
  ordered_json j;
  j["scenario"] = s.name;
  j["scenario_file"] = s.source;
  j["network_file"] = in.network_file;
  j["fidelity"] = "aggregated";
  j["horizon_epochs"] = s.horizon_epochs;
  j["seed"] = s.seed;
  j["runs"] = in.runs->size();
  j["csv"] = "sim.csv";
  j["csv_sha256"] = in.csv_sha256;
  ordered_json runs = ordered_json::array();
  std::vector<std::vector<VerdictItem>> verdicts;
  for (const RunResult& r : *in.runs) {
    verdicts.push_back(JudgeRun(s, r));
    const EpochRow& last = r.rows.back();
    ordered_json run;
    run["run"] = r.run + 1;
    run["seed"] = std::to_string(r.seed);
    run["final"] = {{"epoch", last.epoch},
                    {"registered", last.registered},
                    {"active", last.active},
                    {"price_usd", FormatDecimal(last.price_usd_e8, kPriceDigits)},
                    {"supply", std::to_string(last.supply)},
                    {"manifest_root", util::HexEncode(last.root)}};
    ordered_json items = ordered_json::object();
    for (const VerdictItem& v : verdicts.back()) {
      ordered_json item;
      item["value"] = v.is_count                  ? std::to_string(v.value_ppm)
                      : v.value_ppm == UINT64_MAX ? std::string("no mint")
                                                  : FormatDecimal(v.value_ppm, kPpmDigits);
      item["epoch"] = v.epoch ? ordered_json(*v.epoch) : ordered_json(nullptr);
      item["holds"] = v.holds;
      item["text"] = v.text;
      items[v.name] = item;
    }
    run["verdict"] = items;
    runs.push_back(run);
  }
  ordered_json across = ordered_json::object();
  if (!verdicts.empty()) {
    for (size_t k = 0; k < verdicts[0].size(); ++k) {
      uint64_t holds = 0;
      for (const auto& v : verdicts) holds += v[k].holds ? 1 : 0;
      across[verdicts[0][k].name] = {{"holds_in_runs", holds}, {"runs", verdicts.size()}};
    }
  }
  j["verdict"] = across;
  j["per_run"] = runs;
  j["not_modelled"] = {
      "the ledger state machine (claims, stakes, transfers): supply and burns are tracked with "
      "the ledger's formulas, not by applying transactions",
      "full fidelity (signed reports through the real verifiers and the node's close)",
      "proof of coverage; QoD per-cell capacity and statistical flags",
      "the oracle's conservative price (EMA - 2 x confidence): the twin uses its own price",
      "attackers deciding by their own profit: they arrive as a share of joiners and in waves",
  };
  return j.dump(2) + "\n";
}

std::string VerdictText(const Scenario& s, const std::vector<RunResult>& runs) {
  std::string out;
  for (const RunResult& r : runs) {
    out += "run " + std::to_string(r.run + 1) + " (" + s.name + ", " +
           std::to_string(r.rows.size()) + " epochs):\n";
    for (const VerdictItem& v : JudgeRun(s, r)) {
      out += std::string(v.holds ? "  holds  " : "  FAILS  ") + v.name + ": " + v.text + "\n";
    }
  }
  return out;
}

util::Status WriteOutputs(util::Env* env, const std::string& dir, const std::string& csv,
                          const std::string& summary, const std::string& html) {
  DEPIN_RETURN_IF_ERROR(env->CreateDirs(dir));
  const std::string summary_path = util::JoinPath(dir, "summary.json");
  if (env->FileExists(summary_path)) DEPIN_RETURN_IF_ERROR(env->RemoveFile(summary_path));
  auto bytes = [](const std::string& s) {
    return util::ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  DEPIN_RETURN_IF_ERROR(env->WriteFileAtomic(util::JoinPath(dir, "sim.csv"), bytes(csv)));
  if (!html.empty()) {
    DEPIN_RETURN_IF_ERROR(env->WriteFileAtomic(util::JoinPath(dir, "report.html"), bytes(html)));
  }
  return env->WriteFileAtomic(summary_path, bytes(summary));
}

}  // namespace depin::twin
