// Env: the seam between OpenDePIN and the operating system (files, clocks and sleeps), after
// LevelDB's Env.
//
// Production code takes an Env* instead of calling POSIX directly, so tests can inject faults
// (torn writes, failed fsyncs, a clock at any time) by wrapping Env::Default() in an EnvWrapper,
// and run timers on simulated time (util/simulated_env.h: sleeps end when the test advances the
// clock). Env::Default() is thread-safe; a WritableFile or RandomAccessFile is not (one user at a
// time, except that RandomAccessFile::Read may be called concurrently). Wakeup is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/bytes.h"
#include "util/mutex.h"
#include "util/result.h"

namespace depin::util {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(ByteView data) = 0;
  virtual Status Flush() = 0;  // hand buffered bytes to the OS
  virtual Status Sync() = 0;   // Flush, then make them durable (fdatasync)
  virtual Status Close() = 0;
};

class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to `n` bytes at `offset` into `scratch`; returns the bytes read (fewer at EOF).
  virtual Result<ByteView> Read(uint64_t offset, size_t n, uint8_t* scratch) const = 0;
};

// A lock held on a file; released when destroyed (and by the OS when the process dies, however it
// dies, so a SIGKILLed holder leaves no stale lock behind).
class FileLock {
 public:
  virtual ~FileLock() = default;
};

enum class LockMode {
  kShared,     // any number of shared holders, no exclusive one
  kExclusive,  // one holder, no shared ones
};

// Ends Env::SleepForMicros early from another thread: a service's Stop() notifies the Wakeup its
// timer thread sleeps on. Notify() is sticky: every later sleep on it returns at once.
class Wakeup {
 public:
  void Notify() EXCLUDES(mu_) {
    MutexLock lock(mu_);
    notified_ = true;
    cv_.NotifyAll();
  }
  bool notified() const EXCLUDES(mu_) {
    MutexLock lock(mu_);
    return notified_;
  }

  // For Env implementations. Waits until notified or for `timeout` of real time; true if notified.
  bool WaitFor(std::chrono::microseconds timeout) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    return cv_.WaitFor(mu_, timeout, [this]() REQUIRES(mu_) { return notified_; });
  }
  // Waits until notified or `time_is_up()`, rechecked on every Poke(); true if notified.
  // `time_is_up` runs with this Wakeup's lock held, so it must not take locks held around Poke().
  template <class Predicate>
  bool WaitUntil(Predicate time_is_up) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    cv_.Wait(mu_, [&]() REQUIRES(mu_) { return notified_ || time_is_up(); });
    return notified_;
  }
  // Makes WaitUntil recheck its predicate (a simulated clock moved).
  void Poke() EXCLUDES(mu_) {
    MutexLock lock(mu_);
    cv_.NotifyAll();
  }

 private:
  mutable Mutex mu_;
  CondVar cv_;
  bool notified_ GUARDED_BY(mu_) = false;
};

class Env {
 public:
  virtual ~Env() = default;
  // The process-wide POSIX environment. Never deleted.
  static Env* Default();

  // Creates or truncates `path`; the file gets permission bits `mode` (subject to umask).
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                                uint32_t mode = 0644) = 0;
  // Opens `path` for appending, creating it if missing.
  virtual Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(
      const std::string& path) = 0;

  virtual Result<Bytes> ReadFile(const std::string& path) = 0;
  // Writes `data` to a temporary file, fsyncs it, renames it over `path` and fsyncs the directory,
  // so readers see either the old or the new contents, never a mix, even after a crash.
  virtual Status WriteFileAtomic(const std::string& path, ByteView data, uint32_t mode = 0644) = 0;

  virtual bool FileExists(const std::string& path) = 0;
  virtual Result<std::vector<std::string>> GetChildren(const std::string& dir) = 0;
  virtual Result<uint64_t> GetFileSize(const std::string& path) = 0;
  // Permission bits (st_mode & 07777).
  virtual Result<uint32_t> GetFileMode(const std::string& path) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  virtual Status TruncateFile(const std::string& path, uint64_t size) = 0;
  // Creates `dir` and any missing parents; OK if it already exists.
  virtual Status CreateDirs(const std::string& dir) = 0;
  // fsyncs a directory so that creations, renames and removals in it are durable.
  virtual Status SyncDir(const std::string& dir) = 0;

  // Takes a `mode` lock on `path` (created if missing, mode 0644) without waiting (flock(2): it
  // conflicts between processes and between two opens in one process). An exclusive holder writes
  // its pid into the file. When the lock is held elsewhere: FailedPrecondition, saying
  // "held by pid N" when the holder is exclusive and its pid is known, else "held by readers".
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path, LockMode mode) = 0;

  // Monotonic microseconds, for measuring durations.
  virtual uint64_t NowMicros() = 0;
  // Wall-clock milliseconds since the Unix epoch, for timestamps that leave the process.
  virtual int64_t NowUnixMillis() = 0;
  // Blocks for `micros` of this Env's clock, or until `wakeup` (may be null) is notified. Returns
  // true if the wakeup ended the sleep. Timer threads sleep here, never on the real clock
  // directly, so that a simulated Env decides when their time has come.
  virtual bool SleepForMicros(uint64_t micros, Wakeup* wakeup) = 0;
};

// Forwards every call to a target Env; subclass it and override what a test needs to change.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Env* target() const { return target_; }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& p,
                                                        uint32_t mode) override {
    return target_->NewWritableFile(p, mode);
  }
  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& p) override {
    return target_->NewAppendableFile(p);
  }
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& p) override {
    return target_->NewRandomAccessFile(p);
  }
  Result<Bytes> ReadFile(const std::string& p) override { return target_->ReadFile(p); }
  Status WriteFileAtomic(const std::string& p, ByteView d, uint32_t mode) override {
    return target_->WriteFileAtomic(p, d, mode);
  }
  bool FileExists(const std::string& p) override { return target_->FileExists(p); }
  Result<std::vector<std::string>> GetChildren(const std::string& d) override {
    return target_->GetChildren(d);
  }
  Result<uint64_t> GetFileSize(const std::string& p) override { return target_->GetFileSize(p); }
  Result<uint32_t> GetFileMode(const std::string& p) override { return target_->GetFileMode(p); }
  Status RemoveFile(const std::string& p) override { return target_->RemoveFile(p); }
  Status RenameFile(const std::string& f, const std::string& t) override {
    return target_->RenameFile(f, t);
  }
  Status TruncateFile(const std::string& p, uint64_t s) override {
    return target_->TruncateFile(p, s);
  }
  Status CreateDirs(const std::string& d) override { return target_->CreateDirs(d); }
  Status SyncDir(const std::string& d) override { return target_->SyncDir(d); }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& p, LockMode mode) override {
    return target_->LockFile(p, mode);
  }
  uint64_t NowMicros() override { return target_->NowMicros(); }
  int64_t NowUnixMillis() override { return target_->NowUnixMillis(); }
  bool SleepForMicros(uint64_t micros, Wakeup* wakeup) override {
    return target_->SleepForMicros(micros, wakeup);
  }

 private:
  Env* target_;
};

// The process's open-descriptor limit (RLIMIT_NOFILE); 0 stands for unlimited.
struct FileLimit {
  uint64_t soft = 0;
  uint64_t hard = 0;
};
Result<FileLimit> GetFileLimit();
// Raises the soft descriptor limit to the hard one (a server holds a descriptor per connection,
// and Linux's default soft limit of 1024 is far below what the hard limit allows); returns the
// limit in force afterwards. Process-wide; call it once at start.
Result<FileLimit> RaiseFileLimit();

// Joins path components with '/'.
std::string JoinPath(const std::string& a, const std::string& b);
// The directory part of `path` ("." when there is none).
std::string DirName(const std::string& path);

}  // namespace depin::util
