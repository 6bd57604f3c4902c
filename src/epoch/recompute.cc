#include "epoch/recompute.h"

#include "epoch/files.h"
#include "epoch/receipts.h"
#include "ingest/report_log_reader.h"

namespace depin::epoch {

util::Result<RecomputeResult> RecomputeEpoch(util::Env* env, const std::string& data_dir,
                                             const ledger::Ledger& ledger,
                                             const rewards::RewardConfig& config, uint64_t epoch,
                                             bool verify_signatures) {
  DEPIN_ASSIGN_OR_RETURN(uint64_t retained_from, ingest::RetainedFrom(env, data_dir));
  if (epoch < retained_from) {
    return util::Status::FailedPrecondition("epoch " + std::to_string(epoch) +
                                            ": its reports were deleted by retention ([ingest] "
                                            "retain_epochs; the log keeps epochs from " +
                                            std::to_string(retained_from) +
                                            "), so it can no longer be recomputed");
  }
  const verify::EpochWindow lookback_window = EpochWindowOf(ledger.machine().params(), epoch);
  if (FirstLookbackEpoch(lookback_window, config.verify) < retained_from) {
    return util::Status::FailedPrecondition(
        "epoch " + std::to_string(epoch) +
        ": the usage receipts it must check against earlier epochs were deleted by retention "
        "(the log keeps epochs from " +
        std::to_string(retained_from) + "), so it can no longer be recomputed");
  }
  CloseInputs in;
  if (epoch > 0) {
    util::Result<EpochLeaves> prior = LoadEpochLeaves(env, data_dir, epoch - 1);
    if (!prior.ok() && prior.status().code() != util::Code::kNotFound) return prior.status();
    if (prior.ok()) in.prior = std::move(prior->leaves);
    DEPIN_ASSIGN_OR_RETURN(in.prior_speedtests, LoadSpeedtestHistory(env, data_dir, epoch - 1));
  }
  const ledger::LedgerParams& params = ledger.machine().params();
  const verify::EpochWindow window = EpochWindowOf(params, epoch);
  DEPIN_ASSIGN_OR_RETURN(EpochSnapshot snap, SnapshotAtEpochEnd(ledger, window.end_ms));
  in.env = env;
  in.data_dir = data_dir;
  in.window = window;
  in.config = config;
  in.snapshot = &snap;
  in.emission = EpochEmission(ledger.machine(), epoch, snap);
  in.verify_signatures = verify_signatures;
  in.network_id = params.chain_id;
  RecomputeResult out;
  out.epoch = epoch;
  DEPIN_ASSIGN_OR_RETURN(rewards::Manifest m, CloseEpoch(in, &out.stats));
  out.devices = snap.devices.size();
  out.height = snap.height;
  out.root = m.root;
  out.total_minted = TotalMinted(m);
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw,
                         ledger.ReadState(ledger::keys::RewardRoot(epoch)));
  if (raw) {
    DEPIN_ASSIGN_OR_RETURN(out.posted, ledger::DecodeRewardRoot(*raw));
  }
  return out;
}

}  // namespace depin::epoch
