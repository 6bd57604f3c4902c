#include "ledger/mempool.h"

#include <algorithm>
#include <atomic>
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
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

  void ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
    if (n < 16 || workers_.empty()) {
      for (size_t i = 0; i < n; ++i) fn(i);
      return;
    }
    std::lock_guard<std::mutex> one_job(run_mu_);  // batches run one after another
    Job job{&fn, n};
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = &job;
      ++generation_;
    }
    cv_.notify_all();
    Work(job);
    std::unique_lock<std::mutex> lock(mu_);
    // The job lives on this stack frame: wait until no worker can still touch it.
    done_cv_.wait(lock, [&] { return job.done.load() == n && active_ == 0; });
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
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || (job_ != nullptr && generation_ != seen); });
        if (stop_) return;
        seen = generation_;
        job = job_;
        ++active_;
      }
      Work(*job);
      {
        std::lock_guard<std::mutex> lock(mu_);
        --active_;
      }
      done_cv_.notify_all();
    }
  }

  std::mutex run_mu_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  Job* job_ = nullptr;
  uint64_t generation_ = 0;
  int active_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

Mempool::Mempool(const StateMachine& machine, MempoolOptions options,
                 std::function<uint64_t(const Address&)> next_nonce)
    : machine_(machine), options_(options), next_nonce_fn_(std::move(next_nonce)) {
  unsigned threads = options_.verify_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  pool_ = std::make_unique<VerifyPool>(threads);
}

Mempool::~Mempool() = default;

SubmitResult Mempool::Submit(const Tx& tx) { return SubmitBatch({tx})[0]; }

std::vector<SubmitResult> Mempool::SubmitBatch(const std::vector<Tx>& txs) {
  std::vector<SubmitResult> out(txs.size());
  // Signatures (the expensive part) in parallel, before any lock is taken.
  pool_->ParallelFor(txs.size(), [&](size_t i) {
    out[i].id = TxId(txs[i]);
    out[i].tx_error = machine_.CheckStateless(txs[i]);
  });
  // Committed nonces of accounts seen for the first time (ledger reads, outside our lock).
  std::vector<Address> unknown;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const Tx& tx : txs) {
      if (!next_nonce_.count(tx.signer)) unknown.push_back(tx.signer);
    }
  }
  std::sort(unknown.begin(), unknown.end());
  unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
  std::vector<uint64_t> fetched;
  fetched.reserve(unknown.size());
  for (const Address& a : unknown) fetched.push_back(next_nonce_fn_(a));

  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < unknown.size(); ++i) next_nonce_.emplace(unknown[i], fetched[i]);
  bool added = false;
  for (size_t i = 0; i < txs.size(); ++i) {
    if (out[i].tx_error != TxError::kOk) {
      out[i].status = util::Status::InvalidArgument("tx " + crypto::ToHex(out[i].id) + ": " +
                                                    std::string(TxErrorName(out[i].tx_error)));
      continue;
    }
    SubmitResult r = Insert(txs[i], out[i].id, next_nonce_[txs[i].signer]);
    out[i].status = r.status;
    out[i].tx_error = r.tx_error;
    added = added || r.status.ok();
  }
  if (added) cv_added_.notify_all();
  return out;
}

SubmitResult Mempool::Insert(const Tx& tx, const Hash256& id, uint64_t next_nonce) {
  SubmitResult r;
  r.id = id;
  const std::string where = "tx " + crypto::ToHex(id);
  auto st = status_.find(id);
  if (st != status_.end() && st->second.state == TxState::kPending) {
    r.status = util::Status::AlreadyExists(where + ": already pending");
    return r;
  }
  if (tx.nonce < next_nonce) {
    r.tx_error = TxError::kBadNonce;
    r.status =
        util::Status::InvalidArgument(where + ": bad_nonce: nonce " + std::to_string(tx.nonce) +
                                      " already used (next " + std::to_string(next_nonce) + ")");
    return r;
  }
  if (tx.nonce - next_nonce >= options_.max_per_account) {
    r.status = util::Status::ResourceExhausted(
        where + ": nonce " + std::to_string(tx.nonce) + " is more than " +
        std::to_string(options_.max_per_account) + " ahead of the account's next nonce");
    return r;
  }
  if (size_ >= options_.max_txs) {
    r.status = util::Status::ResourceExhausted(where + ": mempool full (" +
                                               std::to_string(options_.max_txs) + " txs)");
    return r;
  }
  AccountQueue& q = accounts_[tx.signer];
  if (q.by_nonce.count(tx.nonce)) {
    r.status = util::Status::AlreadyExists(where + ": another tx with nonce " +
                                           std::to_string(tx.nonce) + " is pending");
    return r;
  }
  if (q.by_nonce.empty()) order_.push_back(tx.signer);
  q.by_nonce.emplace(tx.nonce, std::make_pair(id, tx));
  ++size_;
  fresh_ = true;
  status_[id] = TxStatusInfo{TxState::kPending, TxError::kOk};
  return r;
}

std::vector<Tx> Mempool::TakeBatch(size_t max) {
  std::vector<Tx> batch;
  std::lock_guard<std::mutex> lock(mu_);
  const size_t rounds = order_.size();
  for (size_t r = 0; r < rounds && batch.size() < max; ++r) {
    Address a = order_.front();
    order_.pop_front();
    AccountQueue& q = accounts_[a];
    uint64_t next = next_nonce_[a];
    for (auto it = q.by_nonce.begin(); it != q.by_nonce.end() && batch.size() < max;) {
      if (it->first < next) {  // superseded: a tx with this nonce was already committed
        status_[it->second.first] = TxStatusInfo{TxState::kRejected, TxError::kBadNonce};
      } else if (it->first == next) {
        batch.push_back(std::move(it->second.second));
        ++next;
      } else {
        break;  // gap: wait for the missing nonce
      }
      it = q.by_nonce.erase(it);
      --size_;
    }
    if (q.by_nonce.empty()) {
      accounts_.erase(a);
    } else {
      order_.push_back(a);
    }
  }
  // More may be ready only if the batch was cut short; otherwise wait for new submissions.
  fresh_ = batch.size() >= max;
  cv_removed_.notify_all();
  return batch;
}

void Mempool::Settle(const std::vector<Tx>& batch, const std::vector<TxError>& results) {
  std::lock_guard<std::mutex> lock(mu_);
  if (status_.size() > 4 * options_.max_txs) {
    for (auto it = status_.begin(); it != status_.end();) {
      it = it->second.state == TxState::kRejected ? status_.erase(it) : std::next(it);
    }
  }
  for (size_t i = 0; i < batch.size() && i < results.size(); ++i) {
    const Tx& tx = batch[i];
    Hash256 id = TxId(tx);
    if (results[i] == TxError::kOk) {
      uint64_t& next = next_nonce_[tx.signer];
      next = std::max(next, tx.nonce + 1);
      status_.erase(id);  // committed: the ledger answers from now on
    } else {
      status_[id] = TxStatusInfo{TxState::kRejected, results[i]};
    }
  }
}

TxStatusInfo Mempool::Status(const Hash256& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = status_.find(id);
  return it == status_.end() ? TxStatusInfo{} : it->second;
}

size_t Mempool::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return size_;
}

bool Mempool::WaitForPending(int64_t timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_added_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return fresh_ || woken_; });
  return fresh_;
}

void Mempool::WaitUntilBelow(size_t n) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_removed_.wait(lock, [&] { return size_ < n || woken_; });
}

void Mempool::WakeAll() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_added_.notify_all();
  cv_removed_.notify_all();
}

}  // namespace depin::ledger
