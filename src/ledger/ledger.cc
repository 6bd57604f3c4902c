#include "ledger/ledger.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>

#include "util/env.h"

namespace depin::ledger {
namespace {

using util::Status;

struct Tip {
  uint64_t height = 0;
  Hash256 hash{};
  int64_t timestamp_ms = 0;
};

std::string H(uint64_t height) { return "block " + std::to_string(height); }

// Adds the changes in `writes` (relative to `base`) to `hash`: O(changed entries).
void UpdateHash(const StateReader& base, const Overlay::Writes& writes, LtHash* hash) {
  for (const auto& [k, v] : writes) {
    std::optional<util::Bytes> old = base.Get(k);
    if (old == v) continue;
    if (old) hash->Remove(k, *old);
    if (v) hash->Add(k, *v);
  }
}

// Everything a follower checks before accepting `b` on top of `tip`; applies the txs into
// `block_state` and updates `hash`.
Status CheckAndApplyBlock(const StateMachine& sm, const Tip& tip, const Block& b,
                          Overlay* block_state, LtHash* hash) {
  const BlockHeader& h = b.header;
  if (h.network_id != sm.params().chain_id) {
    return Status::InvalidArgument(H(h.height) + ": network_id \"" + h.network_id +
                                   "\" is not this chain's \"" + sm.params().chain_id + "\"");
  }
  if (h.height != tip.height + 1) {
    return Status::InvalidArgument(H(h.height) + ": expected height " +
                                   std::to_string(tip.height + 1));
  }
  if (h.prev_hash != tip.hash) {
    return Status::InvalidArgument(H(h.height) + ": prev_hash does not match the tip " +
                                   crypto::ToHex(tip.hash));
  }
  const auto& producers = sm.params().producer_keys;
  if (std::find(producers.begin(), producers.end(), h.producer) == producers.end()) {
    return Status::PermissionDenied(H(h.height) + ": producer " + h.producer.ToBase58() +
                                    " is not an authorized producer key");
  }
  if (!VerifyBlockSignature(h)) {
    return Status::Unauthenticated(H(h.height) + ": producer signature does not verify");
  }
  if (h.timestamp_ms < tip.timestamp_ms) {
    return Status::InvalidArgument(H(h.height) + ": timestamp goes backwards");
  }
  if (h.tx_count != b.txs.size() || b.txs.empty()) {
    return Status::InvalidArgument(H(h.height) + ": tx_count does not match the body");
  }
  std::vector<Hash256> ids;
  std::vector<const Tx*> ptrs;
  ids.reserve(b.txs.size());
  for (const Tx& tx : b.txs) {
    ids.push_back(TxId(tx));
    ptrs.push_back(&tx);
  }
  if (TxRoot(ids) != h.tx_root) {
    return Status::InvalidArgument(H(h.height) + ": tx_root does not match the body");
  }
  std::vector<TxError> checks = CheckStatelessParallel(sm, ptrs);
  BlockContext ctx{h.height, h.timestamp_ms};
  for (size_t i = 0; i < b.txs.size(); ++i) {
    TxError e = checks[i] != TxError::kOk ? checks[i] : sm.Apply(block_state, ctx, b.txs[i]);
    if (e != TxError::kOk) {
      return Status::InvalidArgument(H(h.height) + " tx " + std::to_string(i) + " (" +
                                     crypto::ToHex(ids[i]) + "): " + std::string(TxErrorName(e)));
    }
  }
  UpdateHash(*block_state->base(), block_state->writes(), hash);
  if (hash->Digest() != h.state_hash) {
    return Status::Corruption(H(h.height) + ": state hash " + crypto::ToHex(hash->Digest()) +
                              " after replay differs from the header's " +
                              crypto::ToHex(h.state_hash));
  }
  return Status::Ok();
}

// Genesis state and its hash for `sm`'s parameters.
void Genesis(const StateMachine& sm, Overlay* state, LtHash* hash) {
  sm.WriteGenesis(state);
  for (const auto& [k, v] : state->writes()) {
    if (v) hash->Add(k, *v);
  }
}

}  // namespace

std::vector<TxError> CheckStatelessParallel(const StateMachine& machine,
                                            const std::vector<const Tx*>& txs, unsigned threads) {
  std::vector<TxError> out(txs.size(), TxError::kOk);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, (txs.size() + 63) / 64));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < txs.size();) out[i] = machine.CheckStateless(*txs[i]);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return out;
}

Ledger::Ledger(std::string path, std::unique_ptr<Store> store, LedgerParams params, bool read_only)
    : path_(std::move(path)),
      read_only_(read_only),
      store_(std::move(store)),
      machine_(std::move(params)) {}

Status Ledger::CheckWritable() const {
  if (!read_only_) return Status::Ok();
  return Status::FailedPrecondition(path_ + ": the ledger is open read-only");
}

Status Ledger::ReopenStoreIfFailedLocked() const {
  if (!reopen_store_) return Status::Ok();
  // The new connection first: if it cannot open, the old one keeps serving reads meanwhile.
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<Store> fresh, Store::Open(path_, read_only_));
  if (!fresh->initialized() || fresh->chain_id() != store_->chain_id() ||
      fresh->height() < store_->height()) {
    return Status::Corruption(path_ + ": reopened ledger database is not the one that was open");
  }
  store_ = std::move(fresh);
  reopen_store_ = false;
  ++store_reopens_;
  return Status::Ok();
}

Status Ledger::NoteStoreStatusLocked(Status status) {
  if (!status.ok()) reopen_store_ = true;
  return status;
}

uint64_t Ledger::store_reopens() const {
  util::MutexLock lock(mu_);
  return store_reopens_;
}

Status Ledger::StoreUnavailableLocked(const Status& cause) const {
  reopen_store_ = true;
  ++store_read_errors_;
  // The cause's message names the database file: callers pass this status on to clients
  // (JsonError), so it carries only the cause's code.
  return Status::Unavailable("ledger store unavailable (" +
                             std::string(util::CodeName(cause.code())) +
                             "); it is reopened on the next query, retry later");
}

uint64_t Ledger::store_read_errors() const {
  util::MutexLock lock(mu_);
  return store_read_errors_;
}

util::Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& path, LedgerParams params) {
  return OpenStore(path, std::move(params), /*read_only=*/false);
}

util::Result<std::unique_ptr<Ledger>> Ledger::OpenReadOnly(const std::string& path,
                                                           LedgerParams params) {
  return OpenStore(path, std::move(params), /*read_only=*/true);
}

util::Result<std::unique_ptr<Ledger>> Ledger::OpenStore(const std::string& path,
                                                        LedgerParams params, bool read_only) {
  DEPIN_RETURN_IF_ERROR(ValidateLedgerParams(params));
  if (read_only && !util::Env::Default()->FileExists(path)) {
    return Status::NotFound(path + ": no ledger database");
  }
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(path, read_only));
  std::unique_ptr<Ledger> ledger(new Ledger(path, std::move(store), std::move(params), read_only));
  MemoryState empty;
  Overlay genesis(&empty);
  LtHash hash;
  Genesis(ledger->machine_, &genesis, &hash);
  const LedgerParams& p = ledger->machine_.params();
  const Hash256 genesis_hash = GenesisHash(p.chain_id, hash.Digest());
  // Nobody else holds the ledger yet; the lock only keeps the analysis whole.
  util::MutexLock lock(ledger->mu_);
  Store& s = *ledger->store_;
  if (!s.initialized()) {
    if (read_only) return Status::NotFound(path + ": no ledger here (never initialized)");
    DEPIN_RETURN_IF_ERROR(s.InitGenesis(p.chain_id, genesis.writes(), hash, genesis_hash));
  } else if (s.chain_id() != p.chain_id) {
    return Status::FailedPrecondition(path + ": ledger database is for chain '" + s.chain_id() +
                                      "', not '" + p.chain_id + "'");
  } else if (s.height() == 0 && s.tip_hash() != genesis_hash) {
    return Status::FailedPrecondition(path + ": ledger database has a different genesis");
  } else if (s.height() > 0) {
    auto first = s.GetBlock(1);
    if (!first.ok()) return first.status();
    if (!*first || (*first)->header.prev_hash != genesis_hash) {
      return Status::FailedPrecondition(path + ": ledger database has a different genesis");
    }
  }
  return ledger;
}

LtHash Ledger::HashAfter(const Overlay::Writes& writes) const {
  LtHash hash = store_->lthash();
  UpdateHash(*store_, writes, &hash);
  return hash;
}

util::Result<ProducedBlock> Ledger::ProduceBlock(const std::vector<const Tx*>& candidates,
                                                 int64_t timestamp_ms,
                                                 const crypto::KeyPair& producer) {
  DEPIN_RETURN_IF_ERROR(CheckWritable());
  util::MutexLock lock(mu_);
  DEPIN_RETURN_IF_ERROR(ReopenStoreIfFailedLocked());
  store_->ClearReadError();  // a read error of an earlier attempt must not poison this one
  ProducedBlock out;
  out.results.reserve(candidates.size());
  BlockHeader& h = out.block.header;
  h.network_id = machine_.params().chain_id;
  h.height = store_->height() + 1;
  h.prev_hash = store_->tip_hash();
  h.timestamp_ms = std::max(timestamp_ms, store_->tip_timestamp_ms());
  Overlay block_state(store_.get());
  BlockContext ctx{h.height, h.timestamp_ms};
  std::vector<Hash256> ids;
  for (const Tx* tx : candidates) {
    TxError e = machine_.Apply(&block_state, ctx, *tx);
    out.results.push_back(e);
    if (e != TxError::kOk) continue;
    out.block.txs.push_back(*tx);
    ids.push_back(TxId(*tx));
  }
  DEPIN_RETURN_IF_ERROR(NoteStoreStatusLocked(store_->status()));
  if (out.block.txs.empty()) return out;
  LtHash hash = HashAfter(block_state.writes());
  h.tx_count = static_cast<uint32_t>(out.block.txs.size());
  h.tx_root = TxRoot(ids);
  h.state_hash = hash.Digest();
  SignBlock(&h, producer);
  out.hash = BlockHash(h);
  DEPIN_RETURN_IF_ERROR(NoteStoreStatusLocked(
      store_->CommitBlock(out.block, out.hash, ids, block_state.writes(), hash)));
  out.committed = true;
  return out;
}

Status Ledger::ApplyBlock(const Block& block) {
  DEPIN_RETURN_IF_ERROR(CheckWritable());
  util::MutexLock lock(mu_);
  DEPIN_RETURN_IF_ERROR(ReopenStoreIfFailedLocked());
  store_->ClearReadError();
  Tip tip{store_->height(), store_->tip_hash(), store_->tip_timestamp_ms()};
  Overlay block_state(store_.get());
  LtHash hash = store_->lthash();
  Status applied = CheckAndApplyBlock(machine_, tip, block, &block_state, &hash);
  // A read error makes a valid block look invalid: report the store's error, not the block's.
  DEPIN_RETURN_IF_ERROR(NoteStoreStatusLocked(store_->status()));
  DEPIN_RETURN_IF_ERROR(applied);
  std::vector<Hash256> ids;
  for (const Tx& tx : block.txs) ids.push_back(TxId(tx));
  return NoteStoreStatusLocked(
      store_->CommitBlock(block, BlockHash(block.header), ids, block_state.writes(), hash));
}

uint64_t Ledger::height() const {
  util::MutexLock lock(mu_);
  return store_->height();
}
Hash256 Ledger::tip_hash() const {
  util::MutexLock lock(mu_);
  return store_->tip_hash();
}
Hash256 Ledger::state_hash() const {
  util::MutexLock lock(mu_);
  return store_->lthash().Digest();
}
int64_t Ledger::tip_timestamp_ms() const {
  util::MutexLock lock(mu_);
  return store_->tip_timestamp_ms();
}

util::Result<std::optional<util::Bytes>> Ledger::ReadState(std::string_view key) const {
  util::MutexLock lock(mu_);
  if (Status reopened = ReopenStoreIfFailedLocked(); !reopened.ok()) {
    return StoreUnavailableLocked(reopened);
  }
  util::Result<std::optional<util::Bytes>> value = store_->Read(key);
  if (!value.ok()) return StoreUnavailableLocked(value.status());
  return value;
}

util::Result<Account> Ledger::ReadAccount(const Address& a) const {
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw, ReadState(keys::Account(a)));
  if (!raw) return Account{};
  return DecodeAccount(*raw);
}

util::Result<std::optional<Device>> Ledger::ReadDevice(const Address& d) const {
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw, ReadState(keys::Device(d)));
  if (!raw) return std::optional<Device>();
  DEPIN_ASSIGN_OR_RETURN(Device device, DecodeDevice(*raw));
  return std::optional<Device>(std::move(device));
}

util::Result<uint64_t> Ledger::ReadDelegation(const Address& owner, const Address& delegate) const {
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw,
                         ReadState(keys::Delegation(owner, delegate)));
  if (!raw) return uint64_t{0};
  return DecodeU64(*raw);
}

util::Result<std::vector<Address>> Ledger::ReadDevicesOfOwner(const Address& owner) const {
  util::MutexLock lock(mu_);
  if (Status reopened = ReopenStoreIfFailedLocked(); !reopened.ok()) {
    return StoreUnavailableLocked(reopened);
  }
  std::vector<Address> out;
  const std::string prefix = keys::OwnerDevicePrefix(owner);
  Status scanned = store_->Scan(prefix, [&](std::string_view k, util::ByteView) {
    if (k.size() != prefix.size() + crypto::kPublicKeySize) return;
    Address d;
    std::copy(k.begin() + static_cast<std::ptrdiff_t>(prefix.size()), k.end(), d.bytes.begin());
    out.push_back(d);
  });
  if (!scanned.ok()) return StoreUnavailableLocked(scanned);
  return out;
}

util::Result<Globals> Ledger::ReadGlobals() const {
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw, ReadState(keys::Globals()));
  if (!raw) return Globals{};
  return DecodeGlobals(*raw);
}

util::Status Ledger::ScanState(std::string_view prefix, const ScanFn& fn) const {
  util::MutexLock lock(mu_);
  if (Status reopened = ReopenStoreIfFailedLocked(); !reopened.ok()) {
    return StoreUnavailableLocked(reopened);
  }
  if (Status scanned = store_->Scan(prefix, fn); !scanned.ok()) {
    return StoreUnavailableLocked(scanned);
  }
  return Status::Ok();
}

util::Result<std::optional<Block>> Ledger::GetBlock(uint64_t height) const {
  util::MutexLock lock(mu_);
  return store_->GetBlock(height);
}

util::Result<std::optional<Block>> Ledger::GetBlockByHash(const Hash256& hash) const {
  util::MutexLock lock(mu_);
  DEPIN_ASSIGN_OR_RETURN(std::optional<uint64_t> height, store_->HeightOfHash(hash));
  if (!height) return std::optional<Block>();
  return store_->GetBlock(*height);
}

util::Result<std::optional<TxLocation>> Ledger::FindTx(const Hash256& id) const {
  util::MutexLock lock(mu_);
  return store_->FindTx(id);
}

Status VerifyChain(const std::string& path, const LedgerParams& params,
                   const std::function<void(uint64_t, uint64_t)>& progress) {
  DEPIN_RETURN_IF_ERROR(ValidateLedgerParams(params));
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(path, /*read_only=*/true));
  if (!store->initialized()) return Status::FailedPrecondition(path + ": no ledger here");
  StateMachine sm(params);
  MemoryState state;
  LtHash hash;
  {
    Overlay genesis(&state);
    Genesis(sm, &genesis, &hash);
    state.Apply(genesis.writes());
  }
  Tip tip{0, GenesisHash(params.chain_id, hash.Digest()), 0};
  const uint64_t end = store->height();
  for (uint64_t height = 1; height <= end; ++height) {
    DEPIN_ASSIGN_OR_RETURN(std::optional<Block> block, store->GetBlock(height));
    if (!block) return Status::Corruption(path + ": " + H(height) + " is missing");
    Overlay block_state(&state);
    DEPIN_RETURN_IF_ERROR(
        CheckAndApplyBlock(sm, tip, *block, &block_state, &hash).WithContext(path));
    state.Apply(block_state.writes());
    tip = Tip{height, BlockHash(block->header), block->header.timestamp_ms};
    if (progress) progress(height, end);
  }
  if (tip.hash != store->tip_hash()) {
    return Status::Corruption(path + ": stored tip hash differs from the replayed chain");
  }
  DEPIN_ASSIGN_OR_RETURN(LtHash stored, store->RecomputeLtHash());
  if (stored.Digest() != hash.Digest() || store->lthash().Digest() != hash.Digest()) {
    return Status::Corruption(path + ": stored state does not hash to the tip's state hash");
  }
  return Status::Ok();
}

}  // namespace depin::ledger
