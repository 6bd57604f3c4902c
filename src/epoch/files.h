// The files an epoch close leaves in <data dir>/rewards/:
//   epoch-<epoch:20 digits>.json    the canonical manifest (opendepin/reward-manifest/v1), the
//                                   file the API serves and `depin rewards explain` reads;
//   epoch-<epoch:20 digits>.leaves  its reward leaves in binary, written after the JSON, so its
//                                   presence marks a complete manifest; the next epoch's prior
//                                   cumulative totals are read from it without parsing JSON;
//   epoch-<epoch:20 digits>.speedtests  the speedtests inside the rolling window at the epoch's
//                                   end (verify/speedtest_history.h), the next close's prior;
//                                   written before the leaves file.
//   epoch-<epoch:20 digits>.burns   the manifest's payer_burns (DC each payer burned on paid
//                                   usage), what settle_usage debits; written before the leaves
//                                   file. "DPUB" | u32 version 1 | u64 count | count x (payer 32
//                                   bytes | u64 LE dc), payers strictly ascending.
// Leaves file: "DPRL" | u32 version 1 | u64 total minted (emission - unallocated) | u64 count |
// count x (key 32 bytes | u64 LE cumulative) | root 32 bytes. Load checks that the leaves hash to
// the stored root (Corruption otherwise). Both files are written atomically (temporary file, fsync,
// rename, directory fsync), streaming the JSON so a large manifest is never held as text.
//
// Thread-safety: pure functions over files; two writers of one epoch are not supported.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rewards/manifest.h"
#include "util/env.h"
#include "util/result.h"
#include "verify/speedtest_history.h"

namespace depin::epoch {

std::string ManifestPath(const std::string& data_dir, uint64_t epoch);
std::string LeavesPath(const std::string& data_dir, uint64_t epoch);

// Writes the JSON, then the leaves file.
util::Status WriteEpochFiles(util::Env* env, const std::string& data_dir,
                             const rewards::Manifest& manifest);

struct EpochLeaves {
  std::vector<rewards::RewardLeaf> leaves;
  crypto::Hash256 root{};
  uint64_t total_minted = 0;  // what the epoch's post_reward_root mints
};
// emission - unallocated_total: the tokens the manifest pays out (posted as total_minted).
uint64_t TotalMinted(const rewards::Manifest& manifest);
// NotFound when the epoch has no complete manifest.
util::Result<EpochLeaves> LoadEpochLeaves(util::Env* env, const std::string& data_dir,
                                          uint64_t epoch);
std::string SpeedtestsPath(const std::string& data_dir, uint64_t epoch);
util::Status WriteSpeedtestHistory(util::Env* env, const std::string& data_dir, uint64_t epoch,
                                   const verify::SpeedtestHistory& history);
// An empty history when the file does not exist (no epoch before, or an epoch closed before
// histories were kept); Corruption naming the file when it does not decode.
util::Result<verify::SpeedtestHistory> LoadSpeedtestHistory(util::Env* env,
                                                            const std::string& data_dir,
                                                            uint64_t epoch);
std::string PayerBurnsPath(const std::string& data_dir, uint64_t epoch);
util::Status WritePayerBurns(util::Env* env, const std::string& data_dir, uint64_t epoch,
                             const std::vector<verify::PayerBurn>& burns);
// The epoch's payer burns from its .burns file, or, for an epoch closed before those files were
// written, from its manifest JSON; NotFound when the epoch has neither; Corruption naming the file
// when it does not decode.
util::Result<std::vector<verify::PayerBurn>> LoadPayerBurns(util::Env* env,
                                                            const std::string& data_dir,
                                                            uint64_t epoch);
// The manifest text; NotFound when missing.
util::Result<std::string> LoadManifestText(util::Env* env, const std::string& data_dir,
                                           uint64_t epoch);

}  // namespace depin::epoch
