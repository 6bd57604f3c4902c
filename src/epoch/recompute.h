// RecomputeEpoch: closes epoch `epoch` again from the node's report log, its ledger and the
// previous epoch's files, without writing or posting anything, and compares the result with the
// root posted on the ledger — the auditor's check behind `depin rewards recompute` and the
// operator's POST /v1/admin/epochs/{n}/rerun.
//
// Thread-safety: a pure read of the log, the ledger (thread-safe) and the reward files; safe to
// run beside a running node's epoch service.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "epoch/close.h"
#include "ledger/ledger.h"
#include "ledger/records.h"
#include "rewards/config.h"
#include "util/env.h"
#include "util/result.h"

namespace depin::epoch {

struct RecomputeResult {
  uint64_t epoch = 0;
  CloseStats stats;
  size_t devices = 0;                        // in the boundary snapshot
  uint64_t height = 0;                       // the boundary block
  crypto::Hash256 root{};                    // recomputed
  uint64_t total_minted = 0;                 // recomputed
  std::optional<ledger::RewardRoot> posted;  // nullopt: the epoch has no posted root
  bool matches() const {
    return posted && posted->root == root && posted->total_minted == total_minted;
  }
};

// Errors: the log or ledger cannot be read, or a previous epoch's file is damaged. A missing
// previous manifest means the network's first rewarded epoch (a wrong guess shows up as a root
// that does not match).
util::Result<RecomputeResult> RecomputeEpoch(util::Env* env, const std::string& data_dir,
                                             const ledger::Ledger& ledger,
                                             const rewards::RewardConfig& config, uint64_t epoch,
                                             bool verify_signatures);

}  // namespace depin::epoch
