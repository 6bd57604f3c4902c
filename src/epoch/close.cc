#include "epoch/close.h"

#include <s2/s2cell_id.h>
#include <s2/s2latlng.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "epoch/poc_entropy.h"
#include "epoch/receipts.h"
#include "ingest/log_payload.h"
#include "ingest/report_log_reader.h"
#include "ledger/records.h"
#include "rewards/compute.h"
#include "verify/denylist.h"
#include "verify/registry.h"
#include "verify/wire_adapter.h"

namespace depin::epoch {

using util::Result;
using util::Status;

namespace {

// The centre of an S2 cell in degrees x 1e7. libs2 converts with doubles: a deterministic
// function of the 64-bit cell id (no fast-math), used only for the distance a location trust step
// compares against, as the ingest and verify layers already do for the opposite direction.
verify::Location CellCentre(uint64_t cell) {
  S2LatLng ll = S2CellId(cell).ToLatLng();
  return {static_cast<int32_t>(std::llround(ll.lat().degrees() * 1e7)),
          static_cast<int32_t>(std::llround(ll.lng().degrees() * 1e7))};
}

Result<crypto::PublicKey> KeyAt(std::string_view key, size_t offset, std::string_view what) {
  if (key.size() < offset + 32) {
    return Status::Corruption("ledger state: " + std::string(what) + " key is too short");
  }
  return crypto::PublicKey::FromBytes(util::AsBytes(key.substr(offset, 32)));
}

}  // namespace

verify::EpochWindow EpochWindowOf(const ledger::LedgerParams& params, uint64_t epoch) {
  const uint64_t start =
      static_cast<uint64_t>(params.genesis_time_ms) + epoch * params.epoch_length_ms;
  return {epoch, start, start + params.epoch_length_ms};
}

Result<EpochSnapshot> SnapshotFromState(const ledger::StateReader& state,
                                        const ledger::StateMachine& machine, uint64_t height,
                                        uint64_t end_ms, const std::vector<int64_t>& block_ms) {
  EpochSnapshot snap;
  snap.height = height;
  Status error;
  state.ScanPrefix("d/", [&](std::string_view key, util::ByteView value) {
    if (!error.ok()) return;
    auto device_key = KeyAt(key, 2, "device");
    auto device = ledger::DecodeDevice(value);
    if (!device_key.ok() || !device.ok()) {
      error = Status::Corruption("ledger state: device record is malformed");
      return;
    }
    verify::DeviceInfo info;
    info.key = *device_key;
    info.owner = device->owner;
    if (device->cell != 0 && S2CellId(device->cell).is_valid()) {
      info.has_asserted_location = true;
      info.asserted_location = CellCentre(device->cell);
    }
    // The ledger keeps a device's status, not when it changed: a device that is not active at
    // the epoch's boundary (suspended or denied by governance) earns nothing for the epoch.
    info.deactivated_at_ms = device->status == ledger::DeviceStatus::kActive
                                 ? verify::kNeverDeactivated
                                 : (end_ms > 0 ? end_ms - 1 : 0);
    info.resource_class = device->resource_class;
    const uint64_t h = device->onboarded_height;
    info.registered_at_ms = h < block_ms.size() ? static_cast<uint64_t>(block_ms[h]) : 0;
    snap.devices.push_back(info);
  });
  DEPIN_RETURN_IF_ERROR(error);
  // Keys are "d/" + 32 raw key bytes, so the scan is already in key order.

  // Cost bases "k/" + owner + delegate -> tokens burned for that delegation's DC.
  std::map<std::string, uint64_t, std::less<>> basis_of;  // by owner + delegate
  state.ScanPrefix("k/", [&](std::string_view key, util::ByteView value) {
    if (!error.ok()) return;
    auto basis = ledger::DecodeU64(value);
    if (!basis.ok()) {
      error = Status::Corruption("ledger state: delegation basis record is malformed");
      return;
    }
    basis_of.emplace(key.substr(2), *basis);
  });
  DEPIN_RETURN_IF_ERROR(error);
  // Delegations "c/" + owner + delegate -> DC. A payer delegated to by several owners gets the
  // sum; its owner (for self-dealing) is the owner of the largest delegation, lowest key first.
  // Its lots (DC and basis per owner) are in owner order, the order settle_usage debits them.
  std::map<crypto::PublicKey, std::pair<verify::PayerInfo, uint64_t>> payers;
  state.ScanPrefix("c/", [&](std::string_view key, util::ByteView value) {
    if (!error.ok()) return;
    auto owner = KeyAt(key, 2, "delegation");
    auto delegate = KeyAt(key, 34, "delegation");
    auto amount = ledger::DecodeU64(value);
    if (!owner.ok() || !delegate.ok() || !amount.ok()) {
      error = Status::Corruption("ledger state: delegation record is malformed");
      return;
    }
    if (*amount == 0) return;
    auto& [info, largest] = payers[*delegate];
    info.payer = *delegate;
    info.dc_balance =
        info.dc_balance + *amount < info.dc_balance ? UINT64_MAX : info.dc_balance + *amount;
    auto basis = basis_of.find(key.substr(2));
    info.lots.push_back({*amount, basis == basis_of.end() ? 0 : basis->second});
    if (*amount > largest) {
      largest = *amount;
      info.owner = *owner;
    }
  });
  DEPIN_RETURN_IF_ERROR(error);
  for (auto& [key, entry] : payers) snap.payers.push_back(entry.first);

  if (auto raw = state.Get(ledger::keys::Globals())) {
    DEPIN_ASSIGN_OR_RETURN(ledger::Globals g, ledger::DecodeGlobals(*raw));
    snap.supply = g.supply;
    snap.reemit_pool = g.reemit_pool;
  }
  const ledger::LedgerParams& p = machine.params();
  const uint64_t price =
      machine.ConservativePrice(state, static_cast<int64_t>(end_ms > 0 ? end_ms - 1 : 0));
  if (price == 0) {
    snap.dc_price = kNoPriceDcPrice;
  } else {
    // DC per base unit = price_e8 x 10 / (10^decimals x nanos per DC), kept as a fraction.
    uint64_t base = p.usd_nanos_per_dc;
    for (uint32_t i = 0; i < p.token_decimals; ++i) base *= 10;
    snap.dc_price = {base, price * 10};
  }
  return snap;
}

Result<EpochSnapshot> SnapshotAtEpochEnd(const ledger::Ledger& ledger, uint64_t end_ms) {
  const ledger::StateMachine& machine = ledger.machine();
  ledger::MemoryState state;
  {
    ledger::Overlay genesis(&state);
    machine.WriteGenesis(&genesis);
    state.Apply(genesis.writes());
  }
  std::vector<int64_t> block_ms = {machine.params().genesis_time_ms};
  const uint64_t tip = ledger.height();
  uint64_t height = 0;
  for (uint64_t h = 1; h <= tip; ++h) {
    DEPIN_ASSIGN_OR_RETURN(std::optional<ledger::Block> block, ledger.GetBlock(h));
    if (!block) return Status::Corruption("ledger: block " + std::to_string(h) + " is missing");
    if (block->header.timestamp_ms < 0 ||
        static_cast<uint64_t>(block->header.timestamp_ms) >= end_ms) {
      break;  // block timestamps never decrease: this and later blocks are after the boundary
    }
    ledger::Overlay writes(&state);
    const ledger::BlockContext ctx{h, block->header.timestamp_ms};
    for (const ledger::Tx& tx : block->txs) {
      if (ledger::TxError e = machine.Apply(&writes, ctx, tx); e != ledger::TxError::kOk) {
        return Status::Corruption("ledger: replaying block " + std::to_string(h) + ": tx " +
                                  std::string(ledger::TxErrorName(e)));
      }
    }
    state.Apply(writes.writes());
    block_ms.push_back(block->header.timestamp_ms);
    height = h;
  }
  return SnapshotFromState(state, machine, height, end_ms, block_ms);
}

uint64_t EpochEmission(const ledger::StateMachine& machine, uint64_t epoch,
                       const EpochSnapshot& snapshot) {
  return machine.emission().AllowanceFor(epoch, snapshot.supply, snapshot.reemit_pool).total;
}

namespace {

// Reads the epoch and calls `fn(report, receive_ms, origin)` for every record that decodes (and
// verifies, when asked); counts and logs the others.
template <typename Fn>
Status ForEachReport(util::Env* env, const std::string& data_dir, uint64_t epoch,
                     std::string_view network_id, bool verify, CloseStats* stats, Fn&& fn) {
  DEPIN_ASSIGN_OR_RETURN(auto reader, ingest::EpochReader::Open(env, data_dir, epoch));
  ingest::LogRecord record;
  for (;;) {
    Result<bool> next = reader->Next(&record);
    if (!next.ok()) {
      if (next.status().code() != util::Code::kCorruption) return next.status();
      ++stats->corrupt_records;  // the reader skips the rest of that segment
      spdlog::warn("epoch {}: skipping damaged log data: {}", epoch, next.status().ToString());
      continue;
    }
    if (!*next) break;
    ++stats->records;
    Result<ingest::LoggedReport> logged = ingest::DecodeLoggedReport(record.payload, network_id);
    Status bad =
        logged.ok() && verify ? ingest::VerifyLoggedReport(*logged, network_id) : logged.status();
    if (!bad.ok()) {
      ++stats->corrupt_records;
      spdlog::warn("epoch {}: skipping record at {} offset {}: {}", epoch,
                   ingest::SegmentFileName(record.segment), record.offset, bad.ToString());
      continue;
    }
    fn(logged->report, record.receive_ms, logged->origin);
  }
  return Status::Ok();
}

}  // namespace

namespace {

// The denylist in force and the PoC entropy published for the epoch, for the physical-proof
// verifiers the configuration runs. An entropy log or denylist that cannot be read stops the
// close with the reason (the epoch service retries it; nothing is written).
Status LoadProofInputs(const CloseInputs& in, verify::EpochInputs* out) {
  const verify::VerifierSetup& setup = in.config.verifiers;
  const bool coverage = verify::SetupRuns(setup, verify::VerifierId::kCoverage);
  const bool qod = verify::SetupRuns(setup, verify::VerifierId::kQod);
  if (!coverage && !qod) return Status::Ok();
  if (setup.denylist_operator && in.env->FileExists(DenylistPath(in.data_dir))) {
    Result<verify::Denylist> denylist = verify::Denylist::Load(
        in.env, DenylistPath(in.data_dir), in.network_id, *setup.denylist_operator);
    if (!denylist.ok()) return denylist.status().WithContext("epoch close: the denylist");
    out->denylist = std::move(denylist).value();
  }
  if (coverage) {
    Result<std::vector<verify::EntropyRecord>> entropy =
        EntropyForEpoch(in.env, in.data_dir, setup.network_id, in.window.start_ms, in.window.end_ms,
                        setup.coverage.max_entropy_age_ms);
    if (!entropy.ok()) return entropy.status().WithContext("epoch close: the PoC entropy log");
    out->entropy = std::move(entropy).value();
  }
  return Status::Ok();
}

}  // namespace

Result<rewards::Manifest> CloseEpoch(const CloseInputs& in, CloseStats* stats,
                                     verify::SpeedtestHistory* speedtests) {
  CloseStats local;
  if (stats == nullptr) stats = &local;
  *stats = {};
  if (in.snapshot == nullptr) return Status::InvalidArgument("CloseEpoch: no ledger snapshot");
  const uint64_t t0 = in.env->NowMicros();
  verify::EpochInputs proofs;
  DEPIN_RETURN_IF_ERROR(LoadProofInputs(in, &proofs));
  proofs.window = in.window;
  proofs.params = in.config.verify;
  proofs.setup = in.config.verifiers;
  proofs.devices = in.snapshot->devices;
  proofs.payers = in.snapshot->payers;
  proofs.prior_speedtests = in.prior_speedtests;
  // Receipts that appeared in earlier epochs are spent: never paid again (epoch_receipts.h).
  DEPIN_ASSIGN_OR_RETURN(proofs.prior_receipts, PriorReceipts(in.env, in.data_dir, in.window,
                                                              in.config.verify, in.network_id));
  DEPIN_ASSIGN_OR_RETURN(auto epoch, verify::ConfiguredEpoch::Create(std::move(proofs)));
  std::vector<verify::SensorSample> sensor_samples;  // reused for every sensor batch
  DEPIN_RETURN_IF_ERROR(ForEachReport(
      in.env, in.data_dir, in.window.epoch, in.network_id, in.verify_signatures, stats,
      [&](const wire::v1::Report& report, uint64_t receive_ms, uint64_t origin) {
        Result<verify::ReportView> view =
            verify::ReportViewFromWire(report, receive_ms, in.network_id, &sensor_samples);
        if (!view.ok()) {
          ++stats->corrupt_records;
          spdlog::warn("epoch {}: skipping report: {}", in.window.epoch, view.status().ToString());
          return;
        }
        view->origin = origin;  // where ingest saw it come from (origin density)
        epoch->Observe(*view);
      }));
  epoch->NoteCorruptRecords(stats->corrupt_records);
  verify::EpochWork work = epoch->Finish();
  if (speedtests != nullptr) *speedtests = std::move(work.speedtest_history);
  work.speedtest_history = {};  // not needed by the reward engine
  rewards::RewardInputs inputs;
  inputs.emission = in.emission;
  inputs.dc_price = in.snapshot->dc_price;
  inputs.prior = in.prior;
  Result<rewards::Manifest> manifest = rewards::ComputeRewards(in.config, inputs, work);
  stats->total_micros = in.env->NowMicros() - t0;
  return manifest;
}

Result<CloseStats> ScanEpoch(util::Env* env, const std::string& data_dir, uint64_t epoch,
                             std::string_view network_id) {
  CloseStats stats;
  const uint64_t t0 = env->NowMicros();
  uint64_t sink = 0;
  DEPIN_RETURN_IF_ERROR(
      ForEachReport(env, data_dir, epoch, network_id, false, &stats,
                    [&](const wire::v1::Report& r, uint64_t receive_ms, uint64_t /*origin*/) {
                      sink += r.timestamp_ms() ^ receive_ms;
                    }));
  stats.scan_micros = env->NowMicros() - t0;
  stats.total_micros = stats.scan_micros;
  if (sink == 1) spdlog::trace("scan checksum {}", sink);  // keeps the loop from being elided
  return stats;
}

std::string DenylistPath(const std::string& data_dir) {
  return util::JoinPath(data_dir, "denylist.txt");
}

}  // namespace depin::epoch
