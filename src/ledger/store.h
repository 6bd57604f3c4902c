// Store: the ledger's durable state in one SQLite database (SQLiteCpp), WAL mode,
// synchronous=FULL, so a committed block survives power loss and kill -9.
//
// Tables: state(key BLOB PRIMARY KEY, value BLOB) — the key/value state;
//         blocks(height PRIMARY KEY, hash UNIQUE, header, body);
//         txs(id PRIMARY KEY, height, idx) — where each committed tx sits;
//         meta(name PRIMARY KEY, value) — chain_id, genesis hash, tip, the LtHash lanes, and the
//         format version (kLedgerFormat; absent in databases written before it was recorded).
// A block, its state writes, its tx index rows and the new tip/LtHash are written in ONE SQLite
// transaction: after a crash the database holds exactly the last committed block. Recovery is
// just opening the file.
//
// Committed values are cached in memory (a read cache of entries the state machine touched), so
// the hot path rarely reaches SQLite. For the state machine, errors reading the database are
// sticky: Get() reports the entry as absent and status() turns non-OK; callers check status()
// before committing, and clear it (ClearReadError) before computing a new block, so a transient
// error (EMFILE, EIO) fails only the blocks computed while it lasts. Queries use Read()/Scan(),
// which return the error itself. A failed commit rolls back and changes nothing.
//
// Format versions: version 2 databases hold blocks and transactions signed under wire v2 (every
// signature names its network); version 1 ones, wire v1's. Open refuses any other version than
// kLedgerFormat (older or newer) with Unsupported naming the version found and what to do, before
// anything is written (`depin` exits 2 on it). A database without the "format" entry is identified
// by block 1's stored hash (each wire version hashes headers differently) and, when it is version
// 2, gets the entry.
//
// Not thread-safe: one owner (the Ledger serializes access with its own mutex).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/block.h"
#include "ledger/lthash.h"
#include "ledger/state.h"
#include "util/result.h"

namespace depin::ledger {

inline constexpr uint32_t kLedgerFormat = 2;

struct TxLocation {
  uint64_t height = 0;
  uint32_t index = 0;
};

class Store : public StateReader {
 public:
  // Opens (creating if missing) the database at `path`. `read_only` opens without writing.
  static util::Result<std::unique_ptr<Store>> Open(const std::string& path, bool read_only = false);
  ~Store() override;

  // The committed value of `key` (nullopt: absent), or IOError when SQLite cannot read it. Not
  // sticky: status() is unchanged. For readers that must not mistake a failing store for an
  // absent entry (Ledger::ReadState).
  util::Result<std::optional<util::Bytes>> Read(std::string_view key) const;
  // Calls fn for each entry under `prefix` in key order; IOError when a read fails (fn may have
  // seen some entries by then). Not sticky.
  util::Status Scan(std::string_view prefix, const ScanFn& fn) const;
  // StateReader: Read and Scan with the error made sticky (status()) and the entry reported
  // absent, for the state machine, whose callers check status() before committing.
  std::optional<util::Bytes> Get(std::string_view key) const override;
  void ScanPrefix(std::string_view prefix, const ScanFn& fn) const override;
  const util::Status& status() const { return status_; }
  void ClearReadError() { status_ = util::Status::Ok(); }

  bool initialized() const { return initialized_; }
  uint64_t height() const { return height_; }
  const Hash256& tip_hash() const { return tip_hash_; }
  int64_t tip_timestamp_ms() const { return tip_timestamp_ms_; }
  const LtHash& lthash() const { return lthash_; }
  const std::string& chain_id() const { return chain_id_; }

  // Writes the genesis state (height 0). FailedPrecondition if already initialized.
  util::Status InitGenesis(const std::string& chain_id, const Overlay::Writes& writes,
                           const LtHash& lthash, const Hash256& genesis_hash);
  // Atomically appends `block` (whose hash is `hash`) with the state `writes` and `lthash` after
  // them. The block must be height()+1.
  util::Status CommitBlock(const Block& block, const Hash256& hash,
                           const std::vector<Hash256>& tx_ids, const Overlay::Writes& writes,
                           const LtHash& lthash);

  util::Result<std::optional<Block>> GetBlock(uint64_t height) const;
  util::Result<std::optional<uint64_t>> HeightOfHash(const Hash256& hash) const;
  util::Result<std::optional<TxLocation>> FindTx(const Hash256& id) const;
  // Recomputes the LtHash from every stored entry (for verification; O(state)).
  util::Result<LtHash> RecomputeLtHash() const;

  // Drops cached values (tests use it to force reads from SQLite).
  void ClearCache() { cache_.clear(); }

 private:
  explicit Store(std::unique_ptr<SQLite::Database> db);
  util::Status LoadMeta();
  // Refuses a database of another format version; records the version when it is missing and
  // `record` (a writable open).
  util::Status CheckFormat(const std::string& path, bool record);
  void Remember(std::string_view key, std::optional<util::Bytes> value) const;

  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> get_stmt_;
  mutable std::unordered_map<std::string, std::optional<util::Bytes>> cache_;
  mutable util::Status status_;
  bool initialized_ = false;
  uint64_t height_ = 0;
  Hash256 tip_hash_{};
  int64_t tip_timestamp_ms_ = 0;
  LtHash lthash_;
  std::string chain_id_;
  uint32_t format_ = 0;  // meta "format"; 0: not recorded
};

}  // namespace depin::ledger
