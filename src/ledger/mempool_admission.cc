// Mempool admission, eviction and expiry (mempool.h explains the rules; docs/ledger.md, "Mempool
// admission", why they are these). Every function here except the names runs with mu_ held.
#include <algorithm>
#include <string>

#include "ledger/mempool.h"

namespace depin::ledger {

std::string_view MempoolErrorName(MempoolError e) {
  switch (e) {
    case MempoolError::kNone:
      return "none";
    case MempoolError::kUnfundedSender:
      return "unfunded_sender";
    case MempoolError::kNonceTooFarAhead:
      return "nonce_too_far_ahead";
    case MempoolError::kSenderQuota:
      return "sender_quota";
    case MempoolError::kMempoolFull:
      return "mempool_full";
    case MempoolError::kDuplicate:
      return "duplicate";
    case MempoolError::kExpired:
      return "expired";
    case MempoolError::kEvicted:
      return "evicted";
    case MempoolError::kStoreUnavailable:
      return "store_unavailable";
  }
  return "unknown";
}

namespace {

// Tokens the tx moves out of the sender's balance besides its fee (0 where that depends on more
// than the account: credits, stakes, devices).
uint64_t TokensMoved(const TxBody& body) {
  if (const auto* t = std::get_if<Transfer>(&body)) return t->amount;
  if (const auto* b = std::get_if<BurnForCredits>(&body)) return b->amount;
  if (const auto* s = std::get_if<Stake>(&body)) return s->amount;
  return 0;
}

bool Contains(const std::vector<Address>& keys, const Address& a) {
  return std::find(keys.begin(), keys.end(), a) != keys.end();
}

}  // namespace

bool Mempool::IsPrivileged(const Address& a) const {
  const LedgerParams& p = machine_.params();
  return Contains(p.governance_keys, a) || Contains(p.producer_keys, a) ||
         Contains(p.price_oracle_keys, a) || Contains(p.reward_oracle_keys, a);
}

util::Result<bool> Mempool::ClaimWouldPay(const Address& signer, const ClaimRewards& c) const {
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw_root,
                         read_state_(keys::RewardRoot(c.epoch)));
  if (!raw_root) return false;
  util::Result<RewardRoot> root = DecodeRewardRoot(*raw_root);
  if (!root.ok()) return false;
  // The payee: the device's owner, or the leaf key itself (ClaimRewards in state_machine_ops.cc).
  Address payee = c.device;
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw_device,
                         read_state_(keys::Device(c.device)));
  if (raw_device) {
    util::Result<Device> d = DecodeDevice(*raw_device);
    if (!d.ok()) return false;
    payee = d->owner;
  }
  if (payee != signer) return false;
  uint64_t claimed = 0;
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw, read_state_(keys::Claimed(c.device)));
  if (raw) {
    util::Result<uint64_t> v = DecodeU64(*raw);
    if (!v.ok()) return false;
    claimed = *v;
  }
  return c.cumulative > claimed &&
         crypto::VerifyMerkleProof(root->root, StateMachine::RewardLeaf(c.device, c.cumulative),
                                   c.proof);
}

util::Result<bool> Mempool::DelegationCovers(const Address& owner, const Address& delegate,
                                             uint64_t amount) const {
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw,
                         read_state_(keys::Delegation(owner, delegate)));
  if (!raw) return false;
  util::Result<uint64_t> held = DecodeU64(*raw);
  return held.ok() && amount > 0 && *held >= amount;
}

size_t Mempool::OrdinaryCapacity() const {
  const size_t reserved = std::min(options_.reserved, options_.max_txs / 2);
  return options_.max_txs - reserved;
}

SubmitResult Mempool::Admit(const Tx& tx, const Hash256& id, const SenderView& sender,
                            const util::Result<bool>& claim_pays) {
  SubmitResult r;
  r.id = id;
  const std::string where = "tx " + crypto::ToHex(id);
  auto refuse = [&](MempoolError e, util::Status s) {
    r.mempool_error = e;
    r.status = std::move(s);
    return r;
  };
  auto invalid = [&](TxError e, const std::string& why) {
    r.tx_error = e;
    r.status =
        util::Status::InvalidArgument(where + ": " + std::string(TxErrorName(e)) + ": " + why);
    return r;
  };
  auto st = status_.find(id);
  if (st != status_.end() && st->second.state == TxState::kPending) {
    return refuse(MempoolError::kDuplicate,
                  util::Status::AlreadyExists(where + ": already pending"));
  }
  // Judging the sender needs the committed state: if the store cannot be read, say so (a zero
  // balance read from a failing store is not the sender's).
  const util::Status& unreadable = !sender.read.ok() ? sender.read : claim_pays.status();
  if (!unreadable.ok()) {
    return refuse(MempoolError::kStoreUnavailable,
                  util::Status::Unavailable(
                      where + ": store_unavailable: " + std::string(unreadable.message())));
  }
  if (!sender.privileged && !sender.exists && !*claim_pays) {
    return refuse(MempoolError::kUnfundedSender,
                  util::Status::FailedPrecondition(
                      where + ": unfunded_sender: the sender holds no tokens or credits and has "
                              "never sent a transaction"));
  }
  const uint64_t committed = sender.account.nonce;
  if (tx.nonce < committed) {
    return invalid(TxError::kBadNonce, "nonce " + std::to_string(tx.nonce) +
                                           " already used (next " + std::to_string(committed) +
                                           ")");
  }
  if (tx.nonce - committed >= options_.max_nonce_ahead) {
    return refuse(MempoolError::kNonceTooFarAhead,
                  util::Status::ResourceExhausted(
                      where + ": nonce_too_far_ahead: nonce " + std::to_string(tx.nonce) +
                      " is more than " + std::to_string(options_.max_nonce_ahead) +
                      " ahead of the account's next nonce " + std::to_string(committed)));
  }
  auto found = accounts_.find(tx.signer);
  if (found != accounts_.end() && committed > found->second.base) {
    Rebase(tx.signer, found->second, committed);  // blocks committed since it was last seen
    found = accounts_.find(tx.signer);
  }
  AccountQueue* q = found == accounts_.end() ? nullptr : &found->second;
  if ((q != nullptr && (tx.nonce < q->base || q->by_nonce.count(tx.nonce) > 0))) {
    return refuse(MempoolError::kDuplicate,
                  util::Status::AlreadyExists(where + ": another tx with nonce " +
                                              std::to_string(tx.nonce) + " is pending"));
  }
  // The fee of this tx and of the sender's other pending ones; the head of the chain also what
  // it moves (the later ones may depend on what earlier ones do).
  const uint64_t balance = sender.account.balance;
  const uint64_t pending_fees = q == nullptr ? 0 : q->fees;
  if (tx.fee > balance || pending_fees > balance - tx.fee) {
    return invalid(TxError::kInsufficientBalance,
                   "balance " + std::to_string(balance) + " cannot pay the fee " +
                       std::to_string(tx.fee) + " and the sender's pending fees " +
                       std::to_string(pending_fees));
  }
  const bool head = tx.nonce == committed && (q == nullptr || q->base == committed);
  if (head && TokensMoved(tx.body) > balance - tx.fee) {
    return invalid(TxError::kInsufficientBalance,
                   "balance " + std::to_string(balance) + " is less than the fee and the " +
                       std::to_string(TokensMoved(tx.body)) + " tokens the tx moves");
  }
  if (!sender.privileged && q != nullptr && q->by_nonce.size() >= options_.max_per_sender) {
    return refuse(MempoolError::kSenderQuota,
                  util::Status::ResourceExhausted(
                      where + ": sender_quota: " + std::to_string(q->by_nonce.size()) +
                      " txs of this sender are pending (at most " +
                      std::to_string(options_.max_per_sender) + ")"));
  }
  const bool ready = tx.nonce == (q == nullptr ? committed : q->ready_end);
  const bool full = sender.privileged ? size_ >= options_.max_txs : ordinary_ >= OrdinaryCapacity();
  if (full && !MakeRoom(sender.privileged, {ready, tx.fee})) {
    return refuse(MempoolError::kMempoolFull,
                  util::Status::ResourceExhausted(
                      where + ": mempool_full: " + std::to_string(size_) +
                      " txs pending and none ranks below this one (a higher fee, or a tx "
                      "that is ready rather than behind a nonce gap, would take a place)"));
  }
  auto [it, created] = accounts_.try_emplace(tx.signer);  // MakeRoom may have erased it
  AccountQueue& queue = it->second;
  if (created) {
    queue.base = queue.ready_end = committed;
    queue.privileged = sender.privileged;
  }
  Pending p{id, tx, next_seq_++, env_->NowMicros()};
  queue.fees += tx.fee;  // <= balance, checked above
  if (!queue.privileged) {
    by_seq_.emplace(p.seq, std::make_pair(tx.signer, tx.nonce));
    ++ordinary_;
  }
  queue.by_nonce.emplace(tx.nonce, std::move(p));
  while (queue.by_nonce.count(queue.ready_end) > 0) ++queue.ready_end;
  Reindex(tx.signer, queue);
  ++size_;
  fresh_ = true;
  status_[id] = TxStatusInfo{TxState::kPending, TxError::kOk, MempoolError::kNone};
  return r;
}

bool Mempool::MakeRoom(bool privileged, const std::pair<bool, uint64_t>& rank) {
  if (tails_.empty()) return false;
  const auto& [ready, fee, inverted_seq, sender] = *tails_.begin();
  if (!privileged && !(std::make_pair(ready, fee) < rank)) return false;
  const Address victim = sender;  // Remove invalidates the set's element
  const uint64_t nonce = accounts_.at(victim).by_nonce.rbegin()->first;
  Remove(victim, nonce, {TxState::kRejected, TxError::kOk, MempoolError::kEvicted});
  return true;
}

void Mempool::Remove(const Address& a, uint64_t nonce, TxStatusInfo why) {
  auto found = accounts_.find(a);
  AccountQueue& q = found->second;
  auto it = q.by_nonce.find(nonce);
  status_[it->second.id] = why;
  q.fees -= it->second.tx.fee;
  if (!q.privileged) {
    by_seq_.erase(it->second.seq);
    --ordinary_;
  }
  --size_;
  q.by_nonce.erase(it);
  q.ready_end = std::min(q.ready_end, nonce);  // what followed it now waits behind a gap
  if (on_drop_ && why.mempool_error != MempoolError::kNone) on_drop_(why.mempool_error);
  if (q.by_nonce.empty()) {
    if (q.tail_key) tails_.erase(*q.tail_key);
    accounts_.erase(found);
  } else {
    Reindex(a, q);
  }
  cv_removed_.NotifyAll();
}

void Mempool::Rebase(const Address& a, AccountQueue& q, uint64_t committed_next) {
  q.base = committed_next;
  // Superseded: a tx with this nonce was committed (or the nonce was never reached).
  while (!q.by_nonce.empty() && q.by_nonce.begin()->first < committed_next) {
    Remove(a, q.by_nonce.begin()->first, {TxState::kRejected, TxError::kBadNonce});
    if (accounts_.find(a) == accounts_.end()) return;  // that was the last one
  }
  if (q.by_nonce.empty()) {  // its last txs were in the block just settled
    if (q.tail_key) tails_.erase(*q.tail_key);
    accounts_.erase(a);
    return;
  }
  q.ready_end = committed_next;
  while (q.by_nonce.count(q.ready_end) > 0) ++q.ready_end;
  Reindex(a, q);
}

void Mempool::Reindex(const Address& a, AccountQueue& q) {
  if (q.tail_key) tails_.erase(*q.tail_key);
  q.tail_key.reset();
  if (q.privileged || q.by_nonce.empty()) return;
  const auto& [nonce, tail] = *q.by_nonce.rbegin();
  q.tail_key = EvictKey{nonce < q.ready_end, tail.tx.fee, UINT64_MAX - tail.seq, a};
  tails_.insert(*q.tail_key);
}

void Mempool::ExpireLocked() {
  if (options_.ttl_ms <= 0) return;
  const uint64_t ttl_us = static_cast<uint64_t>(options_.ttl_ms) * 1000;
  const uint64_t now = env_->NowMicros();
  // Arrival order is admission-time order (the clock is read under the lock).
  while (!by_seq_.empty()) {
    const auto [sender, nonce] = by_seq_.begin()->second;
    const Pending& p = accounts_.at(sender).by_nonce.at(nonce);
    if (p.admitted_us + ttl_us > now) break;
    Remove(sender, nonce, {TxState::kRejected, TxError::kOk, MempoolError::kExpired});
  }
}

}  // namespace depin::ledger
