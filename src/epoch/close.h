// Epoch close, the deterministic part: from (the epoch's records in the report log, the ledger
// state at the epoch boundary, the reward parameters) to the epoch's reward manifest.
//
//   DEPIN_ASSIGN_OR_RETURN(EpochSnapshot snap, SnapshotAtEpochEnd(ledger, window.end_ms));
//   CloseInputs in{env, data_dir, window, config, &snap, prior_leaves};
//   DEPIN_ASSIGN_OR_RETURN(rewards::Manifest m, CloseEpoch(in));
//
// Snapshot rule (docs/rewards.md, "Epoch close"): the ledger state an epoch is judged against is
// the state after the last block whose timestamp is < the epoch's end (genesis if none). It is
// rebuilt by replaying blocks 1..H from genesis, so it does not depend on when the close runs.
// From it come the device registry (key order), the payers (delegations of DC), the supply and
// re-emission pool for the emission allowance, and the DC price (the ledger's conservative price
// at end_ms - 1).
//
// A corrupt or undecodable log record never stops a close: it is logged with its reason and
// position and counted in the manifest's corrupt_records.
//
// Thread-safety: pure functions of their inputs (the log and ledger are only read); thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/state.h"
#include "ledger/state_machine.h"
#include "rewards/config.h"
#include "rewards/manifest.h"
#include "util/env.h"
#include "util/result.h"
#include "verify/report_view.h"
#include "verify/speedtest_history.h"

namespace depin::epoch {

struct EpochSnapshot {
  uint64_t height = 0;                      // the boundary block (0 = genesis)
  std::vector<verify::DeviceInfo> devices;  // sorted by key
  std::vector<verify::PayerInfo> payers;    // sorted by payer key
  uint64_t supply = 0;
  uint64_t reemit_pool = 0;
  rewards::DcPrice dc_price;
};

// The DC price used when the ledger has no fresh price at the epoch's end: 1 base unit buys
// 2^64 - 1 DC, which makes every usage cap 0 (no usage reward without a trusted price; the usage
// budget overflows as configured).
inline constexpr rewards::DcPrice kNoPriceDcPrice{1, UINT64_MAX};

// The window of epoch `epoch` under `params` (genesis_time_ms + e x epoch_length_ms, ...).
verify::EpochWindow EpochWindowOf(const ledger::LedgerParams& params, uint64_t epoch);

// Builds the snapshot from a complete state at height `height`. `block_ms(h)` gives the timestamp
// of block h (devices' registered_at_ms). Corruption when a record fails to decode.
util::Result<EpochSnapshot> SnapshotFromState(const ledger::StateReader& state,
                                              const ledger::StateMachine& machine, uint64_t height,
                                              uint64_t end_ms,
                                              const std::vector<int64_t>& block_ms);

// Replays `ledger`'s blocks up to the boundary of `end_ms` and builds the snapshot.
util::Result<EpochSnapshot> SnapshotAtEpochEnd(const ledger::Ledger& ledger, uint64_t end_ms);

// The epoch's emission: the ledger's allowance (the one EmissionSchedule) at the snapshot.
uint64_t EpochEmission(const ledger::StateMachine& machine, uint64_t epoch,
                       const EpochSnapshot& snapshot);

struct CloseInputs {
  util::Env* env = nullptr;
  std::string data_dir;  // the node's data directory (log in <data_dir>/reports)
  verify::EpochWindow window;
  rewards::RewardConfig config;
  uint64_t emission = 0;
  const EpochSnapshot* snapshot = nullptr;
  std::vector<rewards::RewardLeaf> prior;     // previous epoch's leaves, sorted by key
  verify::SpeedtestHistory prior_speedtests;  // previous epoch's window of speedtests
  // Check every record's signatures (an auditor recomputing from a copied log). The node skips
  // it: ingest verified each report before appending it, and frames are CRC-checked.
  bool verify_signatures = false;
  // The network the log's reports are signed for (report ids and signatures are bound to it).
  std::string network_id;
};

struct CloseStats {
  uint64_t records = 0;          // log records read
  uint64_t corrupt_records = 0;  // frames, payloads or signatures that failed
  uint64_t scan_micros = 0;      // reading + decoding (included in total)
  uint64_t total_micros = 0;
};

// Reads the epoch's records, runs the verifiers the configuration's resource classes name
// (config.verifiers, verify/registry.h; with coverage or QoD also the denylist in
// <data_dir>/denylist.txt and the PoC entropy in <data_dir>/poc/entropy.log) and computes the
// manifest. Errors are I/O failures of the log (not corrupt records), an entropy log or denylist
// that cannot be read, and invalid parameters.
// `speedtests`, when given, receives the speedtests inside the rolling window at the epoch's end
// (the next epoch's CloseInputs::prior_speedtests).
util::Result<rewards::Manifest> CloseEpoch(const CloseInputs& in, CloseStats* stats = nullptr,
                                           verify::SpeedtestHistory* speedtests = nullptr);

// <data_dir>/denylist.txt: the signed denylist the close reads; the admin routes write it.
std::string DenylistPath(const std::string& data_dir);

// Only reads and decodes the epoch's records (the baseline the close is measured against).
util::Result<CloseStats> ScanEpoch(util::Env* env, const std::string& data_dir, uint64_t epoch,
                                   std::string_view network_id);

}  // namespace depin::epoch
