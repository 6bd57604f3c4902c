// LedgerIndex: the dashboard's read model of the embedded ledger — block headers, the device
// registry with each device's location (lat/lng from its S2 cell), and the most recent
// transactions touching each address. The ledger has no "list devices" or "latest blocks" query,
// so the index follows the chain: Sync() reads the blocks committed since the last call (each one
// once), and re-reads the device records those blocks' onboard/assert/transfer transactions
// touched. A Sync with no new block costs one Ledger::height() call. Memory follows the state, not
// the history: it keeps the newest `recent_blocks` block rows (older ones are read back from the
// ledger when asked for), every device, and the newest kTxsPerAddress transactions per address.
//
// Thread-safety: every method may be called from any thread. Sync serializes itself; readers take
// a shared lock and copy what they return, so they never see a half-applied block.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include "ledger/ledger.h"
#include "util/mutex.h"
#include "util/result.h"

namespace depin::dashboard {

struct BlockRow {
  uint64_t height = 0;
  crypto::Hash256 hash{};
  int64_t timestamp_ms = 0;
  uint32_t tx_count = 0;
  ledger::Address producer;
};

struct DeviceRow {
  ledger::Address key;
  ledger::Address owner;
  ledger::Address maker;
  uint32_t resource_class = 0;
  uint8_t status = 1;  // ledger::DeviceStatus: 1 active, 2 suspended, 3 denied
  uint64_t cell = 0;   // 0: no asserted location (lat/lng are then absent)
  bool located = false;
  double lat = 0, lng = 0;  // the centre of `cell`, degrees (display only)
  uint64_t onboarded_height = 0;
  int64_t onboarded_ms = 0;  // timestamp of the onboarding block
};

struct TxRow {
  crypto::Hash256 id{};
  uint64_t height = 0;
  uint32_t index = 0;
  ledger::TxKind kind = ledger::TxKind::kTransfer;
};

class LedgerIndex {
 public:
  static constexpr size_t kTxsPerAddress = 50;  // recent transactions kept per address
  static constexpr size_t kRecentBlocks = 10'000;

  explicit LedgerIndex(const ledger::Ledger* ledger, size_t recent_blocks = kRecentBlocks)
      : ledger_(ledger), recent_blocks_(recent_blocks == 0 ? 1 : recent_blocks) {}

  // Indexes the blocks committed since the last call. Errors are ledger read failures (the index
  // then stays at the last good block and the next call retries).
  util::Status Sync();

  uint64_t height() const { return height_.load(std::memory_order_acquire); }
  // Blocks newest first, skipping `offset` from the tip; at most `limit`.
  std::vector<BlockRow> LatestBlocks(uint64_t offset, uint64_t limit) const;
  std::optional<BlockRow> Block(uint64_t height) const;
  // Block rows held in memory (at most recent_blocks).
  size_t blocks_held() const;

  size_t device_count() const;
  // Devices in key order.
  std::vector<DeviceRow> Devices(uint64_t offset, uint64_t limit) const;
  std::optional<DeviceRow> Device(const ledger::Address& key) const;
  // key -> owner of every device (for owner concentration).
  std::unordered_map<ledger::Address, ledger::Address, crypto::PublicKeyHash> Owners() const;
  // Devices onboarded in a block with timestamp < end_ms.
  uint64_t RegisteredBefore(int64_t end_ms) const;
  // Every device's cell ancestor at `level` with the devices in it, in cell id order.
  std::vector<std::pair<uint64_t, std::vector<ledger::Address>>> Cells(int level) const;

  // The most recent transactions (newest first) signed by or naming `address`.
  std::vector<TxRow> TxsOf(const ledger::Address& address) const;

 private:
  util::Status IndexBlock(const ledger::Block& block, const crypto::Hash256& hash) REQUIRES(mu_);
  // The row of a block older than the ones held, read from the ledger.
  std::optional<BlockRow> RowFromLedger(uint64_t height) const;
  // The held row of `height`, or nullptr.
  const BlockRow* HeldBlock(uint64_t height) const REQUIRES_SHARED(mu_);
  void Touch(const ledger::Address& a, const TxRow& row) REQUIRES(mu_);
  void InsertSorted(const DeviceRow* row) REQUIRES(mu_);

  const ledger::Ledger* ledger_;
  const size_t recent_blocks_;
  util::Mutex sync_mu_;  // one Sync at a time
  std::atomic<uint64_t> height_{0};

  mutable util::SharedMutex mu_;
  // The newest recent_blocks_ blocks, oldest first.
  std::deque<BlockRow> blocks_ GUARDED_BY(mu_);
  uint64_t indexed_height_ GUARDED_BY(mu_) = 0;  // the last block indexed
  std::unordered_map<ledger::Address, DeviceRow, crypto::PublicKeyHash> devices_ GUARDED_BY(mu_);
  std::vector<const DeviceRow*> sorted_ GUARDED_BY(mu_);  // devices_ values in key order
  std::unordered_map<ledger::Address, std::deque<TxRow>, crypto::PublicKeyHash> txs_of_
      GUARDED_BY(mu_);
};

// The centre of S2 cell `cell` in degrees; nullopt for 0 or an invalid id.
std::optional<std::pair<double, double>> CellLatLng(uint64_t cell);
// The four corners of S2 cell `cell` as (lat, lng) degrees, counter-clockwise.
std::vector<std::pair<double, double>> CellCorners(uint64_t cell);

}  // namespace depin::dashboard
