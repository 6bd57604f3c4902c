// Ledger: the chain — the state machine over the SQLite store, producing and applying blocks.
//
// ProduceBlock applies candidate transactions (signatures already verified by the mempool) in
// order, leaves out the rejected ones, updates the LtHash from the block's changed entries only,
// signs the header and commits block + state in one SQLite transaction. ApplyBlock validates a
// block produced elsewhere (parent, producer key, signature, tx root, every tx signature in
// parallel, every tx applies, state hash) and commits it. VerifyChain replays a database from
// genesis and checks every block's state hash, then the stored state itself.
//
// Self-healing: after a store error (a failed commit, a read error while computing a block or
// answering a query) the SQLite connection is not trusted again: the next ProduceBlock/ApplyBlock
// or Read* query first reopens the database (a fresh connection recovers from the WAL what was
// committed, nothing else), and fails with the cause until the reopen succeeds. The failed block
// changed nothing (its SQLite transaction rolled back), so the caller simply retries (BlockProducer
// does, with backoff).
//
// Thread-safe: one internal mutex serializes block production/application and queries.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/block.h"
#include "ledger/params.h"
#include "ledger/records.h"
#include "ledger/state_machine.h"
#include "ledger/store.h"
#include "util/mutex.h"
#include "util/result.h"

namespace depin::ledger {

struct ProducedBlock {
  bool committed = false;  // false when no candidate applied (no block is made)
  Block block;             // the committed block (only included txs)
  Hash256 hash{};
  std::vector<TxError> results;  // one per candidate, in candidate order
};

class Ledger {
 public:
  // Opens (or creates, writing genesis) the ledger database at `path`. FailedPrecondition if the
  // database was created for a different chain id or genesis.
  static util::Result<std::unique_ptr<Ledger>> Open(const std::string& path, LedgerParams params);
  // Opens an existing ledger database for reading only (offline commands beside a running node:
  // SQLite's WAL lets them read while it writes): nothing is created or written, genesis
  // included. NotFound if there is no ledger there; ProduceBlock and ApplyBlock answer
  // FailedPrecondition.
  static util::Result<std::unique_ptr<Ledger>> OpenReadOnly(const std::string& path,
                                                            LedgerParams params);

  util::Result<ProducedBlock> ProduceBlock(const std::vector<const Tx*>& candidates,
                                           int64_t timestamp_ms, const crypto::KeyPair& producer);
  util::Status ApplyBlock(const Block& block);

  const StateMachine& machine() const { return machine_; }
  uint64_t height() const;
  Hash256 tip_hash() const;
  Hash256 state_hash() const;
  int64_t tip_timestamp_ms() const;

  // Queries of the committed state that say when the store cannot answer: Unavailable
  // ("ledger store unavailable: <cause>") while SQLite fails to read, never an absent entry or a
  // zero balance. A failed read marks the store for reopening, and the next query (or block)
  // reopens it first, so reads heal by themselves once the storage works. What the API and the
  // mempool's admission read.
  util::Result<std::optional<util::Bytes>> ReadState(std::string_view key) const;
  util::Result<Account> ReadAccount(const Address& a) const;
  util::Result<std::optional<Device>> ReadDevice(const Address& d) const;
  // The DC `owner` has delegated to `delegate` and not yet spent (0: none).
  util::Result<uint64_t> ReadDelegation(const Address& owner, const Address& delegate) const;
  util::Result<std::vector<Address>> ReadDevicesOfOwner(const Address& owner) const;
  util::Result<Globals> ReadGlobals() const;
  // How many queries failed because the store could not be read (for metrics and tests).
  uint64_t store_read_errors() const;

  // Calls fn for every committed state entry whose key starts with `prefix`, in key order,
  // holding the ledger's lock (fn must not call back into the ledger). Unavailable, as the Read*
  // queries, when the store cannot be read (fn may have seen some entries by then).
  util::Status ScanState(std::string_view prefix, const ScanFn& fn) const;
  util::Result<std::optional<Block>> GetBlock(uint64_t height) const;
  util::Result<std::optional<Block>> GetBlockByHash(const Hash256& hash) const;
  util::Result<std::optional<TxLocation>> FindTx(const Hash256& id) const;
  // How often the store was reopened after an error (self-healing; for metrics and tests).
  uint64_t store_reopens() const;

 private:
  Ledger(std::string path, std::unique_ptr<Store> store, LedgerParams params, bool read_only);
  // Reopens the store if a store error marked it; the cause of a failed reopen otherwise.
  // Const because queries heal too: reopening changes which connection reads, not the state.
  util::Status ReopenStoreIfFailedLocked() const REQUIRES(mu_);
  // Marks the store for reopening when `status` (from the store) is an error; returns it.
  util::Status NoteStoreStatusLocked(util::Status status) REQUIRES(mu_);
  // A query's store failure: counted, the store marked for reopening, Unavailable naming it.
  util::Status StoreUnavailableLocked(const util::Status& cause) const REQUIRES(mu_);
  // Applies the block's own changes to the LtHash: O(changed entries).
  LtHash HashAfter(const Overlay::Writes& writes) const REQUIRES(mu_);

  static util::Result<std::unique_ptr<Ledger>> OpenStore(const std::string& path,
                                                         LedgerParams params, bool read_only);
  util::Status CheckWritable() const;

  const std::string path_;
  const bool read_only_;
  mutable util::Mutex mu_;
  // Mutable: a query may reopen the store (ReopenStoreIfFailedLocked) or mark it for reopening.
  mutable std::unique_ptr<Store> store_ PT_GUARDED_BY(mu_);
  mutable bool reopen_store_ GUARDED_BY(mu_) = false;  // a store error since it was opened
  mutable uint64_t store_reopens_ GUARDED_BY(mu_) = 0;
  mutable uint64_t store_read_errors_ GUARDED_BY(mu_) = 0;
  StateMachine machine_;
};

// Checks every tx's signatures using up to `threads` threads (0 = all cores). Thread-safe.
std::vector<TxError> CheckStatelessParallel(const StateMachine& machine,
                                            const std::vector<const Tx*>& txs,
                                            unsigned threads = 0);

// Replays the database at `path` (opened read-only) from genesis with `params`, checking each
// block's parent hash, producer, signatures, tx root and state hash, then that the stored state
// hashes to the tip's state hash. `progress(height, tip_height)` is called after every block.
util::Status VerifyChain(const std::string& path, const LedgerParams& params,
                         const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace depin::ledger
