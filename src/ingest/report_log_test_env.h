// Test helpers for the report log: an Env whose segment-file Sync can be held at a gate, made to
// fail, and observed, whose file opens can be made to fail (as when descriptors run out), plus a
// controllable monotonic clock. Thread-safe (the writer thread syncs
// while the test thread waits on events).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "ingest/report_log.h"
#include "ingest/report_log_reader.h"
#include "util/env.h"

namespace depin::ingest::testing {

class SyncGate {
 public:
  // While closed, Sync calls block (after counting themselves as entered).
  void Close() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  // Syncs entered after this call return `s` (OK to stop failing).
  void FailWith(util::Status s) {
    std::lock_guard lock(mu_);
    fail_ = std::move(s);
  }
  // Blocks until at least `n` Sync calls have been entered in total.
  void WaitEntered(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }
  int entered() {
    std::lock_guard lock(mu_);
    return entered_;
  }
  int completed() {
    std::lock_guard lock(mu_);
    return completed_;
  }
  util::Status OnSync() {
    std::unique_lock lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    ++completed_;
    return fail_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
  int entered_ = 0;
  int completed_ = 0;
  util::Status fail_;
};

class GatedFile final : public util::WritableFile {
 public:
  GatedFile(std::unique_ptr<util::WritableFile> base, SyncGate* gate)
      : base_(std::move(base)), gate_(gate) {}
  util::Status Append(util::ByteView data) override { return base_->Append(data); }
  util::Status Flush() override { return base_->Flush(); }
  util::Status Sync() override {
    DEPIN_RETURN_IF_ERROR(base_->Flush());
    DEPIN_RETURN_IF_ERROR(gate_->OnSync());
    return base_->Sync();
  }
  util::Status Close() override { return base_->Close(); }

 private:
  std::unique_ptr<util::WritableFile> base_;
  SyncGate* gate_;
};

// Gates Sync of segment files (*.seg), fails opens for writing while fail_opens is set (with
// EMFILE's message, naming the path as the real Env does) and serves NowMicros from a settable
// clock.
class TestEnv final : public util::EnvWrapper {
 public:
  TestEnv() : EnvWrapper(util::Env::Default()) {}
  SyncGate gate;
  std::atomic<uint64_t> now_micros{1'000'000};
  std::atomic<bool> fail_opens{false};
  std::atomic<int> failed_opens{0};

  util::Result<std::unique_ptr<util::WritableFile>> NewWritableFile(const std::string& path,
                                                                    uint32_t mode) override {
    if (fail_opens) return TooManyOpenFiles(path);
    DEPIN_ASSIGN_OR_RETURN(auto file, target()->NewWritableFile(path, mode));
    if (!path.ends_with(".seg")) return file;
    return std::unique_ptr<util::WritableFile>(new GatedFile(std::move(file), &gate));
  }
  util::Result<std::unique_ptr<util::WritableFile>> NewAppendableFile(
      const std::string& path) override {
    if (fail_opens) return TooManyOpenFiles(path);
    return target()->NewAppendableFile(path);
  }
  util::Status SyncDir(const std::string& dir) override {  // opens the directory
    if (fail_opens) return TooManyOpenFiles(dir);
    return target()->SyncDir(dir);
  }
  uint64_t NowMicros() override { return now_micros.load(); }

 private:
  util::Status TooManyOpenFiles(const std::string& path) {
    ++failed_opens;
    return util::Status::IOError(path + ": open for writing: Too many open files");
  }
};

// Records every on_health call; WaitFor blocks until one matching `ok` arrives.
class HealthLog {
 public:
  std::function<void(const util::Status&)> Callback() {
    return [this](const util::Status& s) {
      {
        std::lock_guard lock(mu_);
        calls_.push_back(s);
      }
      cv_.notify_all();
    };
  }
  // Waits for a call with ok() == `ok` after the first `skip` calls; returns its index.
  size_t WaitFor(bool ok, size_t skip = 0) {
    std::unique_lock lock(mu_);
    size_t found = 0;
    cv_.wait(lock, [&] {
      for (size_t i = skip; i < calls_.size(); ++i) {
        if (calls_[i].ok() == ok) return found = i, true;
      }
      return false;
    });
    return found;
  }
  std::vector<util::Status> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<util::Status> calls_;
};

// Reads every record of `epoch`; corruption errors are collected in *errors (if given).
inline std::vector<LogRecord> ReadEpoch(util::Env* env, const std::string& data_dir, uint64_t epoch,
                                        std::vector<util::Status>* errors = nullptr) {
  std::vector<LogRecord> out;
  auto reader = EpochReader::Open(env, data_dir, epoch);
  if (!reader.ok()) {
    if (errors) errors->push_back(reader.status());
    return out;
  }
  while (true) {
    LogRecord rec;
    auto more = (*reader)->Next(&rec);
    if (!more.ok()) {
      if (errors) errors->push_back(more.status());
      if (more.status().code() != util::Code::kCorruption) break;
      continue;
    }
    if (!*more) break;
    out.push_back(std::move(rec));
  }
  return out;
}

inline std::vector<std::string> Payloads(const std::vector<LogRecord>& records) {
  std::vector<std::string> out;
  for (const LogRecord& r : records) out.emplace_back(util::AsChars(r.payload));
  return out;
}

}  // namespace depin::ingest::testing
