#include "ledger/mempool.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <queue>
#include <string>
#include <thread>

namespace depin::ledger {

// Persistent worker threads for parallel-for over a batch; the calling thread works too.
class Mempool::VerifyPool {
 public:
  explicit VerifyPool(unsigned threads) {
    for (unsigned t = 1; t < threads; ++t) workers_.emplace_back([this] { Loop(); });
  }
  ~VerifyPool() {
    {
      util::MutexLock lock(mu_);
      stop_ = true;
    }
    cv_.NotifyAll();
    for (std::thread& t : workers_) t.join();
  }

  void ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
    if (n < 16 || workers_.empty()) {
      for (size_t i = 0; i < n; ++i) fn(i);
      return;
    }
    util::MutexLock one_job(run_mu_);  // batches run one after another
    Job job{&fn, n};
    {
      util::MutexLock lock(mu_);
      job_ = &job;
      ++generation_;
    }
    cv_.NotifyAll();
    Work(job);
    util::MutexLock lock(mu_);
    // The job lives on this stack frame: wait until no worker can still touch it.
    done_cv_.Wait(mu_, [&]() REQUIRES(mu_) { return job.done.load() == n && active_ == 0; });
    job_ = nullptr;
  }

 private:
  struct Job {
    const std::function<void(size_t)>* fn;
    size_t n;
    std::atomic<size_t> next{0};
    std::atomic<size_t> done{0};
  };

  static void Work(Job& job) {
    for (size_t i; (i = job.next.fetch_add(1)) < job.n;) {
      (*job.fn)(i);
      job.done.fetch_add(1);
    }
  }

  void Loop() {
    uint64_t seen = 0;
    for (;;) {
      Job* job;
      {
        util::MutexLock lock(mu_);
        cv_.Wait(mu_,
                 [&]() REQUIRES(mu_) { return stop_ || (job_ != nullptr && generation_ != seen); });
        if (stop_) return;
        seen = generation_;
        job = job_;
        ++active_;
      }
      Work(*job);
      {
        util::MutexLock lock(mu_);
        --active_;
      }
      done_cv_.NotifyAll();
    }
  }

  util::Mutex run_mu_ ACQUIRED_BEFORE(mu_);  // held for a whole ParallelFor
  util::Mutex mu_;
  util::CondVar cv_, done_cv_;
  Job* job_ GUARDED_BY(mu_) = nullptr;
  uint64_t generation_ GUARDED_BY(mu_) = 0;
  int active_ GUARDED_BY(mu_) = 0;
  bool stop_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

Mempool::Mempool(const StateMachine& machine, MempoolOptions options, StateFn read_state)
    : machine_(machine),
      options_(options),
      read_state_(std::move(read_state)),
      env_(options.env != nullptr ? options.env : util::Env::Default()) {
  unsigned threads = options_.verify_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  pool_ = std::make_unique<VerifyPool>(threads);
}

Mempool::~Mempool() = default;

SubmitResult Mempool::Submit(const Tx& tx) { return SubmitBatch({tx})[0]; }

std::vector<SubmitResult> Mempool::SubmitBatch(const std::vector<Tx>& txs) {
  std::vector<SubmitResult> out(txs.size());
  // Signatures (the expensive part) in parallel, before any lock is taken.
  const uint64_t min_fee = machine_.params().min_fee;
  pool_->ParallelFor(txs.size(), [&](size_t i) {
    out[i].id = TxId(txs[i]);
    out[i].tx_error = txs[i].fee < min_fee ? TxError::kFeeTooLow : machine_.CheckStateless(txs[i]);
  });
  // Each distinct sender's committed account, and whether an unfunded sender's claim would pay
  // (ledger reads, outside our lock).
  std::map<Address, SenderView> senders;
  for (size_t i = 0; i < txs.size(); ++i) {
    if (out[i].tx_error != TxError::kOk) continue;
    auto [it, created] = senders.try_emplace(txs[i].signer);
    if (!created) continue;
    SenderView& v = it->second;
    util::Result<std::optional<util::Bytes>> raw = read_state_(keys::Account(txs[i].signer));
    if (!raw.ok()) {
      v.read = raw.status();
    } else if (*raw) {
      util::Result<Account> a = DecodeAccount(**raw);
      v.exists = true;  // a damaged record still names an account the ledger knows
      if (a.ok()) v.account = *a;
    }
    v.exists = v.exists && (v.account.balance > 0 || v.account.credits > 0 || v.account.nonce > 0);
    v.privileged = IsPrivileged(txs[i].signer);
  }
  std::vector<util::Result<bool>> claim_pays(txs.size(), util::Result<bool>(false));
  for (size_t i = 0; i < txs.size(); ++i) {
    const SenderView* v = out[i].tx_error == TxError::kOk ? &senders[txs[i].signer] : nullptr;
    if (v == nullptr || !v->read.ok() || v->exists || v->privileged ||
        txs[i].nonce != v->account.nonce) {
      continue;
    }
    // A key that holds nothing of its own may still pay: a claim that pays it, or a router
    // spending credits an owner delegated to it.
    if (const auto* claim = std::get_if<ClaimRewards>(&txs[i].body)) {
      claim_pays[i] = ClaimWouldPay(txs[i].signer, *claim);
    } else if (const auto* spend = std::get_if<SpendCredits>(&txs[i].body)) {
      claim_pays[i] = DelegationCovers(spend->owner, txs[i].signer, spend->amount);
    }
  }

  util::MutexLock lock(mu_);
  ExpireLocked();
  bool added = false;
  for (size_t i = 0; i < txs.size(); ++i) {
    if (out[i].tx_error != TxError::kOk) {
      out[i].status = util::Status::InvalidArgument("tx " + crypto::ToHex(out[i].id) + ": " +
                                                    std::string(TxErrorName(out[i].tx_error)));
      continue;
    }
    out[i] = Admit(txs[i], out[i].id, senders[txs[i].signer], claim_pays[i]);
    added = added || out[i].status.ok();
  }
  if (added) cv_added_.NotifyAll();
  return out;
}

std::vector<Tx> Mempool::TakeBatch(size_t max) {
  // Best ready head first: the network's own keys, then the higher fee, then the earlier arrival.
  struct Head {
    bool privileged;
    uint64_t fee;
    uint64_t seq;
    Address sender;
    bool operator<(const Head& o) const {  // "lower priority than"
      if (privileged != o.privileged) return !privileged;
      if (fee != o.fee) return fee < o.fee;
      return seq > o.seq;
    }
  };
  std::vector<Tx> batch;
  util::MutexLock lock(mu_);
  ExpireLocked();
  std::priority_queue<Head> heads;
  auto push_head = [&](const Address& a, const AccountQueue& q) {
    if (q.by_nonce.empty() || q.by_nonce.begin()->first != q.base) return;
    const Pending& p = q.by_nonce.begin()->second;
    heads.push({q.privileged, p.tx.fee, p.seq, a});
  };
  for (const auto& [a, q] : accounts_) push_head(a, q);
  std::vector<Address> touched;
  while (batch.size() < max && !heads.empty()) {
    const Head h = heads.top();
    heads.pop();
    AccountQueue& q = accounts_.at(h.sender);
    auto it = q.by_nonce.begin();
    touched.push_back(h.sender);
    q.fees -= it->second.tx.fee;
    if (!q.privileged) {
      by_seq_.erase(it->second.seq);
      --ordinary_;
    }
    --size_;
    batch.push_back(std::move(it->second.tx));  // stays "pending" until Settle
    q.by_nonce.erase(it);
    ++q.base;  // the rest of the chain continues after the batch
    push_head(h.sender, q);
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (const Address& a : touched) Reindex(a, accounts_.at(a));
  // More may be ready only if the batch was cut short; otherwise wait for new submissions.
  fresh_ = batch.size() >= max;
  cv_removed_.NotifyAll();
  return batch;
}

void Mempool::Settle(const std::vector<Tx>& batch, const std::vector<TxError>& results) {
  util::MutexLock lock(mu_);
  if (status_.size() > 4 * options_.max_txs) {
    for (auto it = status_.begin(); it != status_.end();) {
      it = it->second.state == TxState::kRejected ? status_.erase(it) : std::next(it);
    }
  }
  // Each sender's committed next nonce after the block: its first rejected nonce (the later ones
  // failed with it), else one past its last committed one.
  std::map<Address, std::pair<uint64_t, uint64_t>> next;  // sender -> (after committed, rejected)
  for (size_t i = 0; i < batch.size() && i < results.size(); ++i) {
    const Tx& tx = batch[i];
    auto [it, created] = next.try_emplace(tx.signer, 0, UINT64_MAX);
    if (results[i] == TxError::kOk) {
      it->second.first = std::max(it->second.first, tx.nonce + 1);
      status_.erase(TxId(tx));  // committed: the ledger answers from now on
    } else {
      it->second.second = std::min(it->second.second, tx.nonce);
      status_[TxId(tx)] = TxStatusInfo{TxState::kRejected, results[i], MempoolError::kNone};
    }
  }
  for (const auto& [sender, n] : next) {
    auto it = accounts_.find(sender);
    if (it == accounts_.end()) continue;
    Rebase(sender, it->second, n.second != UINT64_MAX ? n.second : n.first);
  }
  cv_removed_.NotifyAll();
}

void Mempool::Expire() {
  util::MutexLock lock(mu_);
  ExpireLocked();
}

TxStatusInfo Mempool::Status(const Hash256& id) const {
  util::MutexLock lock(mu_);
  auto it = status_.find(id);
  return it == status_.end() ? TxStatusInfo{} : it->second;
}

size_t Mempool::size() const {
  util::MutexLock lock(mu_);
  return size_;
}

bool Mempool::WaitForPending(int64_t timeout_ms) {
  util::MutexLock lock(mu_);
  cv_added_.WaitFor(mu_, std::chrono::milliseconds(timeout_ms),
                    [this]() REQUIRES(mu_) { return fresh_ || woken_; });
  return fresh_;
}

void Mempool::WaitUntilBelow(size_t n) {
  util::MutexLock lock(mu_);
  cv_removed_.Wait(mu_, [this, n]() REQUIRES(mu_) { return size_ < n || woken_; });
}

void Mempool::WakeAll() {
  {
    util::MutexLock lock(mu_);
    woken_ = true;
  }
  cv_added_.NotifyAll();
  cv_removed_.NotifyAll();
}

}  // namespace depin::ledger
