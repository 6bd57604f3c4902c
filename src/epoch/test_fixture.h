// Test fixture for the epoch close: a small ledger (ledger::testing::TestNet with zero fees and a
// genesis maker) with registered, located devices, and a report log holding one epoch of signed
// heartbeats and speedtests plus damaged and out-of-window records; optionally (paid_usage) a
// payer key holding DC delegated by alice and bob, and data-transfer receipts it co-signed.
// Also the steps the epoch tests share: onboarding devices (AddOnboardTxs), committing a block
// whose every transaction must pass (CommitBlock), and closing an epoch with the fixture's reward
// configuration (FixtureCloseInputs, CloseFixtureEpoch). Deterministic: the same calls build
// byte-identical ledgers and logs. For tests and the crash child only; not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "epoch/close.h"
#include "ingest/log_payload.h"
#include "ingest/report_builder.h"
#include "ingest/report_log.h"
#include "ledger/ledger.h"
#include "ledger/test_util.h"
#include "rewards/config.h"
#include "verify/s2_cells.h"
#include "wire/report.h"

namespace depin::epoch::testing {

using ledger::testing::TestKey;
using ledger::testing::TestNet;

inline constexpr int kDevices = 6;
inline constexpr uint64_t kEpochMs = 24ull * 3600 * 1000;        // 24 one-hour slots
inline constexpr int32_t kLat = 473'000'000, kLon = 85'000'000;  // Zurich-ish

inline ledger::LedgerParams FixtureParams() {
  TestNet net;
  ledger::LedgerParams p = net.params;
  p.epoch_length_ms = kEpochMs;
  p.onboard_fee_dc = 0;
  p.location_fee_dc = 0;
  p.genesis_makers = {net.maker.public_key()};
  return p;
}

inline crypto::KeyPair DeviceKey(int i) { return TestKey(static_cast<uint8_t>(100 + i)); }

inline rewards::RewardConfig FixtureRewardConfig() {
  TestNet net;
  return rewards::DefaultRewardConfig(net.bob.public_key(), net.carol.public_key());
}

// The paid-usage payer (a router key) and what it holds: alice and bob delegate to it.
inline crypto::KeyPair UsagePayerKey() { return TestKey(90); }
inline constexpr uint64_t kAliceDelegatedDc = 3'000, kBobDelegatedDc = 2'000;
// Receipts BuildLog(paid_usage) writes: device i < 2 carries receipts of these DC amounts.
inline constexpr uint64_t kReceiptDc[2] = {2'400, 1'600};

// At $1 per token alice and bob each buy 100,000 DC and delegate some to the payer.
inline void AddPaidUsageTxs(const TestNet& net, uint64_t* alice_nonce,
                            std::vector<ledger::Tx>* txs) {
  const crypto::PublicKey payer = UsagePayerKey().public_key();
  txs->push_back(ledger::testing::MakeTx(net.price1, 0, ledger::SubmitPrice{100'000'000}));
  txs->push_back(ledger::testing::MakeTx(net.alice, (*alice_nonce)++,
                                         ledger::BurnForCredits{ledger::testing::kToken}));
  txs->push_back(ledger::testing::MakeTx(net.alice, (*alice_nonce)++,
                                         ledger::DelegateCredits{payer, kAliceDelegatedDc}));
  txs->push_back(
      ledger::testing::MakeTx(net.bob, 0, ledger::BurnForCredits{ledger::testing::kToken}));
  txs->push_back(
      ledger::testing::MakeTx(net.bob, 1, ledger::DelegateCredits{payer, kBobDelegatedDc}));
}

// Alice onboards each of `devices` (co-signed by the genesis maker and the device) and asserts it
// at the fixture's location.
inline void AddOnboardTxs(const TestNet& net, const std::vector<crypto::KeyPair>& devices,
                          uint64_t* alice_nonce, std::vector<ledger::Tx>* txs) {
  const uint64_t cell = verify::S2CellAt({kLat, kLon}, 30);
  for (const crypto::KeyPair& d : devices) {
    txs->push_back(ledger::testing::MakeCosignedTx(
        net.alice, (*alice_nonce)++,
        ledger::OnboardDevice{d.public_key(), net.maker.public_key(), 0}, {&net.maker, &d}));
    txs->push_back(ledger::testing::MakeTx(net.alice, (*alice_nonce)++,
                                           ledger::AssertLocation{d.public_key(), cell}));
  }
}

// Produces a block of `txs` at genesis + `after_genesis_ms`; Internal unless every one passed.
inline util::Status CommitBlock(ledger::Ledger& ledger, const std::vector<ledger::Tx>& txs,
                                int64_t after_genesis_ms) {
  TestNet net;
  std::vector<const ledger::Tx*> ptrs;
  for (const ledger::Tx& t : txs) ptrs.push_back(&t);
  DEPIN_ASSIGN_OR_RETURN(
      ledger::ProducedBlock b,
      ledger.ProduceBlock(ptrs, ledger::testing::kGenesisMs + after_genesis_ms, net.producer));
  for (size_t i = 0; i < b.results.size(); ++i) {
    if (b.results[i] != ledger::TxError::kOk) {
      return util::Status::Internal("fixture tx " + std::to_string(i) + ": " +
                                    std::string(ledger::TxErrorName(b.results[i])));
    }
  }
  return util::Status::Ok();
}

inline std::vector<crypto::KeyPair> FixtureDeviceKeys() {
  std::vector<crypto::KeyPair> keys;
  for (int i = 0; i < kDevices; ++i) keys.push_back(DeviceKey(i));
  return keys;
}

// Onboards kDevices devices owned by alice, asserts their location, in block(s) at genesis + 1 s.
inline util::Status BuildLedger(const std::string& db, bool paid_usage = false) {
  TestNet net;
  DEPIN_ASSIGN_OR_RETURN(auto l, ledger::Ledger::Open(db, FixtureParams()));
  if (l->height() > 0) return util::Status::Ok();
  std::vector<ledger::Tx> txs;
  uint64_t nonce = 0;
  AddOnboardTxs(net, FixtureDeviceKeys(), &nonce, &txs);
  if (paid_usage) AddPaidUsageTxs(net, &nonce, &txs);
  return CommitBlock(*l, txs, 1000);
}

// The inputs of closing `window`'s epoch over `data_dir`'s log against `snapshot` (which must
// outlive them): the fixture's reward configuration, the test network id, the ledger's emission.
inline CloseInputs FixtureCloseInputs(const ledger::Ledger& ledger, const std::string& data_dir,
                                      const verify::EpochWindow& window,
                                      const EpochSnapshot& snapshot) {
  CloseInputs in;
  in.env = util::Env::Default();
  in.data_dir = data_dir;
  in.window = window;
  in.config = FixtureRewardConfig();
  in.network_id = ledger::testing::kTestChainId;
  in.snapshot = &snapshot;
  in.emission = EpochEmission(ledger.machine(), window.epoch, snapshot);
  return in;
}

// Snapshots the ledger at the end of `epoch` (of `params`) and closes it (FixtureCloseInputs).
inline util::Result<rewards::Manifest> CloseFixtureEpoch(
    const ledger::Ledger& ledger, const std::string& data_dir, uint64_t epoch,
    const ledger::LedgerParams& params = FixtureParams()) {
  const verify::EpochWindow window = EpochWindowOf(params, epoch);
  DEPIN_ASSIGN_OR_RETURN(EpochSnapshot snapshot, SnapshotAtEpochEnd(ledger, window.end_ms));
  return CloseEpoch(FixtureCloseInputs(ledger, data_dir, window, snapshot));
}

// Epoch `epoch`'s log: device i sends a heartbeat in each of (8 + 2i) hours and two good
// speedtests; plus one undecodable payload and one heartbeat stamped in the next epoch.
// With paid_usage, devices 0 and 1 also carry one receipt each (kReceiptDc) co-signed by
// UsagePayerKey().
inline util::Status BuildLog(const std::string& data_dir, uint64_t epoch, bool paid_usage = false) {
  const uint64_t start = ledger::testing::kGenesisMs + epoch * kEpochMs;
  ingest::ReportLogOptions o;
  o.data_dir = data_dir;
  DEPIN_ASSIGN_OR_RETURN(auto log, ingest::ReportLog::Open(o));
  std::vector<util::Bytes> payloads;
  std::vector<uint64_t> times;
  auto add = [&](const wire::v1::Report& r, const crypto::KeyPair& k, uint64_t at) -> util::Status {
    DEPIN_ASSIGN_OR_RETURN(util::Bytes signed_bytes,
                           ingest::SignReportToBytes(r, ledger::testing::kTestChainId, k));
    util::Bytes payload;
    ingest::EncodeSignedReportPayload(signed_bytes, &payload);
    payloads.push_back(std::move(payload));
    times.push_back(at);
    return util::Status::Ok();
  };
  for (int i = 0; i < kDevices; ++i) {
    crypto::KeyPair k = DeviceKey(i);
    for (int h = 0; h < 8 + 2 * i && h < 24; ++h) {
      const uint64_t at = start + static_cast<uint64_t>(h) * 3'600'000 + 1000;
      DEPIN_RETURN_IF_ERROR(
          add(ingest::MakeHeartbeat(k.public_key(), at, kLat + 100, kLon), k, at));
    }
    for (int s = 0; s < 2; ++s) {
      const uint64_t at = start + 7'200'000 + static_cast<uint64_t>(s) * 60'000;
      DEPIN_RETURN_IF_ERROR(
          add(ingest::MakeSpeedtest(k.public_key(), at, 150'000'000, 20'000'000, 20), k, at));
    }
  }
  for (int i = 0; paid_usage && i < 2; ++i) {
    const crypto::PublicKey device = DeviceKey(i).public_key();
    const uint64_t at = start + 3 * 3'600'000 + static_cast<uint64_t>(i) * 1000;
    wire::v1::UsageReceipt u;
    const crypto::PublicKey payer = UsagePayerKey().public_key();
    u.set_payer_key(payer.bytes.data(), payer.bytes.size());
    u.set_device_key(device.bytes.data(), device.bytes.size());
    u.set_session_id(7);
    u.set_sequence(static_cast<uint64_t>(i));
    u.set_bytes_up(1'000);
    u.set_bytes_down(20'000);
    u.set_dc_amount(kReceiptDc[i]);
    u.set_timestamp_ms(at);
    DEPIN_ASSIGN_OR_RETURN(
        wire::v1::SignedUsageReceipt receipt,
        wire::SignUsageReceipt(u, ledger::testing::kTestChainId, UsagePayerKey()));
    wire::v1::Report r = ingest::MakeHeartbeat(device, at, kLat, kLon);
    *r.mutable_data_transfer() = std::move(receipt);
    DEPIN_RETURN_IF_ERROR(add(r, DeviceKey(i), at));
  }
  // A heartbeat whose times lie in the next epoch (outside_epoch), and a payload that is not a
  // LoggedReport at all (corrupt).
  crypto::KeyPair k0 = DeviceKey(0);
  const uint64_t late = start + kEpochMs + 5;
  DEPIN_RETURN_IF_ERROR(add(ingest::MakeHeartbeat(k0.public_key(), late, kLat, kLon), k0, late));
  payloads.push_back(util::Bytes{0xff, 0xff, 0x01});
  times.push_back(start + 10);
  std::vector<ingest::AppendRecord> records;
  for (size_t i = 0; i < payloads.size(); ++i) records.push_back({times[i], payloads[i]});
  DEPIN_RETURN_IF_ERROR(log->AppendAndWait(epoch, records));
  DEPIN_RETURN_IF_ERROR(log->AdvanceEpoch(epoch + 1));
  return log->Close();
}

}  // namespace depin::epoch::testing
