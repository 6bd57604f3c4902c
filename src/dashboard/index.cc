#include "dashboard/index.h"

#include <s2/s2cell.h>
#include <s2/s2cell_id.h>
#include <s2/s2latlng.h>

#include <algorithm>
#include <concepts>
#include <map>
#include <variant>

namespace depin::dashboard {

namespace {

// Every address a transaction names, the signer first (each once).
std::vector<ledger::Address> AddressesOf(const ledger::Tx& tx) {
  std::vector<ledger::Address> out{tx.signer};
  auto add = [&out](const std::optional<ledger::Address>& a) {
    if (a) out.push_back(*a);
  };
  std::visit(
      [&](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ledger::Transfer>) out.push_back(b.to);
        if constexpr (std::is_same_v<T, ledger::BurnForCredits>) add(b.recipient);
        if constexpr (std::is_same_v<T, ledger::DelegateCredits>) out.push_back(b.delegate);
        if constexpr (std::is_same_v<T, ledger::SpendCredits>) out.push_back(b.owner);
        if constexpr (std::is_same_v<T, ledger::RegisterMaker>) out.push_back(b.maker);
        if constexpr (std::is_same_v<T, ledger::OnboardDevice>) {
          out.push_back(b.device);
          out.push_back(b.maker);
          add(b.owner);
        }
        if constexpr (std::is_same_v<T, ledger::AssertLocation>) out.push_back(b.device);
        if constexpr (std::is_same_v<T, ledger::TransferDevice>) {
          out.push_back(b.device);
          out.push_back(b.new_owner);
        }
        if constexpr (std::is_same_v<T, ledger::Stake> || std::is_same_v<T, ledger::Unstake>) {
          add(b.device);
        }
        if constexpr (std::is_same_v<T, ledger::ClaimRewards>) out.push_back(b.device);
        if constexpr (std::is_same_v<T, ledger::Slash>) {
          out.push_back(b.staker);
          add(b.device);
        }
        if constexpr (std::is_same_v<T, ledger::SetDeviceStatus>) out.push_back(b.device);
        if constexpr (std::is_same_v<T, ledger::SettleUsage>) {
          for (const ledger::UsageDebit& d : b.debits) out.push_back(d.payer);
        }
      },
      tx.body);
  std::sort(out.begin() + 1, out.end());
  out.erase(std::unique(out.begin() + 1, out.end()), out.end());
  out.erase(std::remove(out.begin() + 1, out.end(), tx.signer), out.end());
  return out;
}

// The device whose record a transaction may change (onboarding, location, transfer, status):
// every kind naming one device by key; claims are skipped (they change balances only).
std::optional<ledger::Address> DeviceChangedBy(const ledger::Tx& tx) {
  return std::visit(
      [](const auto& b) -> std::optional<ledger::Address> {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ledger::ClaimRewards>) {
          return std::nullopt;
        } else if constexpr (requires {
                               { b.device } -> std::convertible_to<ledger::Address>;
                             }) {
          return b.device;
        } else {
          return std::nullopt;
        }
      },
      tx.body);
}

}  // namespace

std::optional<std::pair<double, double>> CellLatLng(uint64_t cell) {
  if (cell == 0) return std::nullopt;
  S2CellId id(cell);
  if (!id.is_valid()) return std::nullopt;
  S2LatLng ll = id.ToLatLng();
  return std::make_pair(ll.lat().degrees(), ll.lng().degrees());
}

std::vector<std::pair<double, double>> CellCorners(uint64_t cell) {
  std::vector<std::pair<double, double>> out;
  S2CellId id(cell);
  if (cell == 0 || !id.is_valid()) return out;
  S2Cell c(id);
  for (int k = 0; k < 4; ++k) {
    S2LatLng ll(c.GetVertex(k));
    out.emplace_back(ll.lat().degrees(), ll.lng().degrees());
  }
  return out;
}

util::Status LedgerIndex::Sync() {
  if (ledger_->height() == height()) return util::Status::Ok();
  util::MutexLock sync_lock(sync_mu_);
  const uint64_t tip = ledger_->height();
  for (uint64_t h = height() + 1; h <= tip; ++h) {
    DEPIN_ASSIGN_OR_RETURN(std::optional<ledger::Block> block, ledger_->GetBlock(h));
    if (!block) return util::Status::NotFound("ledger block " + std::to_string(h) + " is missing");
    // Device records as the ledger has them now, read before the block is indexed (and outside
    // our lock: the ledger locks too): a failed read stops the sync with the block not indexed,
    // so the next Sync reads it again, and no device is recorded absent because the store failed.
    std::vector<std::pair<ledger::Address, std::optional<ledger::Device>>> records;
    for (const ledger::Tx& tx : block->txs) {
      std::optional<ledger::Address> d = DeviceChangedBy(tx);
      if (!d) continue;
      DEPIN_ASSIGN_OR_RETURN(std::optional<ledger::Device> record, ledger_->ReadDevice(*d));
      records.emplace_back(*d, std::move(record));
    }
    util::WriterLock lock(mu_);
    DEPIN_RETURN_IF_ERROR(IndexBlock(*block, ledger::BlockHash(block->header)));
    for (auto& [key, record] : records) {
      if (!record) continue;
      auto [it, inserted] = devices_.try_emplace(key);
      DeviceRow& row = it->second;
      row.key = key;
      row.owner = record->owner;
      row.maker = record->maker;
      row.resource_class = record->resource_class;
      row.cell = record->cell;
      row.status = static_cast<uint8_t>(record->status);
      row.onboarded_height = record->onboarded_height;
      // A device is first indexed from its onboarding block, which is then held; later updates
      // keep the time found then.
      if (const BlockRow* onboarded = HeldBlock(record->onboarded_height)) {
        row.onboarded_ms = onboarded->timestamp_ms;
      }
      std::optional<std::pair<double, double>> ll = CellLatLng(record->cell);
      row.located = ll.has_value();
      if (ll) std::tie(row.lat, row.lng) = *ll;
      if (inserted) InsertSorted(&row);  // rows never move: unordered_map nodes are stable
    }
    height_.store(h, std::memory_order_release);
  }
  return util::Status::Ok();
}

util::Status LedgerIndex::IndexBlock(const ledger::Block& block, const crypto::Hash256& hash) {
  const ledger::BlockHeader& h = block.header;
  if (h.height != indexed_height_ + 1) {
    return util::Status::Internal("dashboard index: block " + std::to_string(h.height) +
                                  " out of order");
  }
  blocks_.push_back(BlockRow{h.height, hash, h.timestamp_ms, h.tx_count, h.producer});
  if (blocks_.size() > recent_blocks_) blocks_.pop_front();
  indexed_height_ = h.height;
  for (uint32_t i = 0; i < block.txs.size(); ++i) {
    const ledger::Tx& tx = block.txs[i];
    TxRow row{ledger::TxId(tx), h.height, i, tx.kind()};
    for (const ledger::Address& a : AddressesOf(tx)) Touch(a, row);
  }
  return util::Status::Ok();
}

void LedgerIndex::Touch(const ledger::Address& a, const TxRow& row) {
  std::deque<TxRow>& q = txs_of_[a];
  q.push_front(row);
  if (q.size() > kTxsPerAddress) q.pop_back();
}

void LedgerIndex::InsertSorted(const DeviceRow* row) {
  auto at =
      std::lower_bound(sorted_.begin(), sorted_.end(), row,
                       [](const DeviceRow* a, const DeviceRow* b) { return a->key < b->key; });
  sorted_.insert(at, row);
}

const BlockRow* LedgerIndex::HeldBlock(uint64_t height) const {
  if (blocks_.empty() || height < blocks_.front().height || height > blocks_.back().height) {
    return nullptr;
  }
  return &blocks_[height - blocks_.front().height];
}

std::optional<BlockRow> LedgerIndex::RowFromLedger(uint64_t height) const {
  util::Result<std::optional<ledger::Block>> block = ledger_->GetBlock(height);
  if (!block.ok() || !block->has_value()) return std::nullopt;
  const ledger::BlockHeader& h = (*block)->header;
  return BlockRow{h.height, ledger::BlockHash(h), h.timestamp_ms, h.tx_count, h.producer};
}

size_t LedgerIndex::blocks_held() const {
  util::ReaderLock lock(mu_);
  return blocks_.size();
}

std::vector<BlockRow> LedgerIndex::LatestBlocks(uint64_t offset, uint64_t limit) const {
  std::vector<BlockRow> out;
  uint64_t next;  // the next (older) height wanted; 0: none left
  {
    util::ReaderLock lock(mu_);
    next = offset < indexed_height_ ? indexed_height_ - offset : 0;
    for (; next > 0 && out.size() < limit; --next) {
      const BlockRow* row = HeldBlock(next);
      if (row == nullptr) break;
      out.push_back(*row);
    }
  }
  // Pages past the held blocks come from the ledger.
  for (; next > 0 && out.size() < limit; --next) {
    std::optional<BlockRow> row = RowFromLedger(next);
    if (!row) break;
    out.push_back(*row);
  }
  return out;
}

std::optional<BlockRow> LedgerIndex::Block(uint64_t height) const {
  {
    util::ReaderLock lock(mu_);
    if (height == 0 || height > indexed_height_) return std::nullopt;
    if (const BlockRow* row = HeldBlock(height)) return *row;
  }
  return RowFromLedger(height);
}

size_t LedgerIndex::device_count() const {
  util::ReaderLock lock(mu_);
  return devices_.size();
}

std::vector<DeviceRow> LedgerIndex::Devices(uint64_t offset, uint64_t limit) const {
  util::ReaderLock lock(mu_);
  std::vector<DeviceRow> out;
  for (uint64_t i = offset; i < sorted_.size() && out.size() < limit; ++i) {
    out.push_back(*sorted_[i]);
  }
  return out;
}

std::optional<DeviceRow> LedgerIndex::Device(const ledger::Address& key) const {
  util::ReaderLock lock(mu_);
  auto it = devices_.find(key);
  if (it == devices_.end()) return std::nullopt;
  return it->second;
}

std::unordered_map<ledger::Address, ledger::Address, crypto::PublicKeyHash> LedgerIndex::Owners()
    const {
  util::ReaderLock lock(mu_);
  std::unordered_map<ledger::Address, ledger::Address, crypto::PublicKeyHash> out;
  for (const auto& [key, row] : devices_) out.emplace(key, row.owner);
  return out;
}

uint64_t LedgerIndex::RegisteredBefore(int64_t end_ms) const {
  util::ReaderLock lock(mu_);
  uint64_t n = 0;
  for (const auto& [key, row] : devices_) n += row.onboarded_ms < end_ms ? 1 : 0;
  return n;
}

std::vector<std::pair<uint64_t, std::vector<ledger::Address>>> LedgerIndex::Cells(int level) const {
  util::ReaderLock lock(mu_);
  std::map<uint64_t, std::vector<ledger::Address>> cells;
  for (const DeviceRow* row : sorted_) {
    if (!row->located) continue;
    S2CellId id(row->cell);
    const uint64_t cell = id.level() > level ? id.parent(level).id() : id.id();
    cells[cell].push_back(row->key);
  }
  return {cells.begin(), cells.end()};
}

std::vector<TxRow> LedgerIndex::TxsOf(const ledger::Address& address) const {
  util::ReaderLock lock(mu_);
  auto it = txs_of_.find(address);
  if (it == txs_of_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

}  // namespace depin::dashboard
