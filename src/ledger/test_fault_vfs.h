// FaultVfs (tests only): a SQLite VFS over the default one that fails the I/O of chosen database
// files on demand, so tests can show the ledger repairing itself after storage errors. SQLite does
// its file I/O through its own VFS, not util::Env, so this is the ledger's fault seam.
//
// Two kinds of failure, on every file whose path contains `match` (the database, its -wal and
// -journal files; the shared-memory index keeps working):
//   - transient: while set_failing(true), every read, write, sync, truncate and open fails
//     (SQLITE_IOERR / SQLITE_CANTOPEN), as during EIO, ENOSPC or descriptor exhaustion;
//   - stale handles: StaleOpenHandles() makes every handle open now fail all its I/O until it
//     is closed, while files opened later work (an NFS handle gone ESTALE, a disk detached and
//     re-attached): only reopening the database recovers.
//
// Construction registers it as SQLite's default VFS, so every database opened afterwards (in this
// process) goes through it; destruction unregisters it. Keep it alive until those databases are
// closed. Thread-safety: the knobs may be set from any thread while SQLite uses the files.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <new>
#include <set>
#include <string>

namespace depin::ledger::testing {

class FaultVfs {
 public:
  explicit FaultVfs(std::string match) : match_(std::move(match)) {
    base_ = sqlite3_vfs_find(nullptr);
    vfs_.iVersion = 3;
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + base_->szOsFile;
    vfs_.mxPathname = base_->mxPathname;
    vfs_.zName = "depin-fault";
    vfs_.pAppData = this;
    vfs_.xOpen = &Open;
    vfs_.xDelete = [](sqlite3_vfs* v, const char* p, int sync) {
      return Base(v)->xDelete(Base(v), p, sync);
    };
    vfs_.xAccess = [](sqlite3_vfs* v, const char* p, int flags, int* out) {
      return Base(v)->xAccess(Base(v), p, flags, out);
    };
    vfs_.xFullPathname = [](sqlite3_vfs* v, const char* p, int n, char* out) {
      return Base(v)->xFullPathname(Base(v), p, n, out);
    };
    vfs_.xDlOpen = [](sqlite3_vfs* v, const char* p) { return Base(v)->xDlOpen(Base(v), p); };
    vfs_.xDlError = [](sqlite3_vfs* v, int n, char* out) { Base(v)->xDlError(Base(v), n, out); };
    vfs_.xDlSym = [](sqlite3_vfs* v, void* h, const char* s) {
      return Base(v)->xDlSym(Base(v), h, s);
    };
    vfs_.xDlClose = [](sqlite3_vfs* v, void* h) { Base(v)->xDlClose(Base(v), h); };
    vfs_.xRandomness = [](sqlite3_vfs* v, int n, char* out) {
      return Base(v)->xRandomness(Base(v), n, out);
    };
    vfs_.xSleep = [](sqlite3_vfs* v, int us) { return Base(v)->xSleep(Base(v), us); };
    vfs_.xCurrentTime = [](sqlite3_vfs* v, double* t) { return Base(v)->xCurrentTime(Base(v), t); };
    vfs_.xGetLastError = [](sqlite3_vfs* v, int n, char* out) {
      return Base(v)->xGetLastError(Base(v), n, out);
    };
    vfs_.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* t) {
      return Base(v)->xCurrentTimeInt64(Base(v), t);
    };
    vfs_.xSetSystemCall = [](sqlite3_vfs* v, const char* n, sqlite3_syscall_ptr p) {
      return Base(v)->xSetSystemCall(Base(v), n, p);
    };
    vfs_.xGetSystemCall = [](sqlite3_vfs* v, const char* n) {
      return Base(v)->xGetSystemCall(Base(v), n);
    };
    vfs_.xNextSystemCall = [](sqlite3_vfs* v, const char* n) {
      return Base(v)->xNextSystemCall(Base(v), n);
    };
    sqlite3_vfs_register(&vfs_, /*makeDflt=*/1);
  }
  ~FaultVfs() { sqlite3_vfs_unregister(&vfs_); }
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  void set_failing(bool failing) { failing_ = failing; }
  // Every matching handle open now fails all I/O until closed.
  void StaleOpenHandles() {
    std::lock_guard lock(mu_);
    for (File* f : open_) f->stale = true;
  }
  // Failed I/O calls so far (to show a test's failure really reached SQLite).
  int failures() const { return failures_.load(); }

 private:
  struct File {
    sqlite3_file base;  // first: SQLite sees a File* as a sqlite3_file*
    FaultVfs* owner;
    bool matches;
    std::atomic<bool> stale;
    sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
  };

  static sqlite3_vfs* Base(sqlite3_vfs* v) { return static_cast<FaultVfs*>(v->pAppData)->base_; }
  static File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
  // True (and counted) when this call must fail.
  static bool Fails(sqlite3_file* f) {
    File* file = Of(f);
    if (!file->matches || (!file->stale && !file->owner->failing_)) return false;
    file->owner->failures_.fetch_add(1);
    return true;
  }

  static int Open(sqlite3_vfs* v, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    File* file = Of(f);
    file->base.pMethods = nullptr;
    const bool matches = name != nullptr && std::strstr(name, self->match_.c_str()) != nullptr;
    if (matches && self->failing_) {
      self->failures_.fetch_add(1);
      return SQLITE_CANTOPEN;
    }
    int rc = self->base_->xOpen(self->base_, name, file->real(), flags, out_flags);
    if (rc != SQLITE_OK) return rc;
    file->owner = self;
    file->matches = matches;
    new (&file->stale) std::atomic<bool>(false);
    file->base.pMethods = &kMethods;
    std::lock_guard lock(self->mu_);
    self->open_.insert(file);
    return SQLITE_OK;
  }

  static int Close(sqlite3_file* f) {
    File* file = Of(f);
    {
      std::lock_guard lock(file->owner->mu_);
      file->owner->open_.erase(file);
    }
    int rc = file->real()->pMethods ? file->real()->pMethods->xClose(file->real()) : SQLITE_OK;
    file->stale.~atomic<bool>();
    return rc;
  }

  static const sqlite3_io_methods* Real(sqlite3_file* f) { return Of(f)->real()->pMethods; }

  static constexpr sqlite3_io_methods kMethods = {
      3,
      &Close,
      [](sqlite3_file* f, void* buf, int n, sqlite3_int64 at) {
        if (Fails(f)) return SQLITE_IOERR_READ;
        return Real(f)->xRead(Of(f)->real(), buf, n, at);
      },
      [](sqlite3_file* f, const void* buf, int n, sqlite3_int64 at) {
        if (Fails(f)) return SQLITE_IOERR_WRITE;
        return Real(f)->xWrite(Of(f)->real(), buf, n, at);
      },
      [](sqlite3_file* f, sqlite3_int64 size) {
        if (Fails(f)) return SQLITE_IOERR_TRUNCATE;
        return Real(f)->xTruncate(Of(f)->real(), size);
      },
      [](sqlite3_file* f, int flags) {
        if (Fails(f)) return SQLITE_IOERR_FSYNC;
        return Real(f)->xSync(Of(f)->real(), flags);
      },
      [](sqlite3_file* f, sqlite3_int64* size) {
        if (Fails(f)) return SQLITE_IOERR_FSTAT;
        return Real(f)->xFileSize(Of(f)->real(), size);
      },
      [](sqlite3_file* f, int lock) { return Real(f)->xLock(Of(f)->real(), lock); },
      [](sqlite3_file* f, int lock) { return Real(f)->xUnlock(Of(f)->real(), lock); },
      [](sqlite3_file* f, int* out) { return Real(f)->xCheckReservedLock(Of(f)->real(), out); },
      [](sqlite3_file* f, int op, void* arg) {
        return Real(f)->xFileControl(Of(f)->real(), op, arg);
      },
      [](sqlite3_file* f) { return Real(f)->xSectorSize(Of(f)->real()); },
      [](sqlite3_file* f) { return Real(f)->xDeviceCharacteristics(Of(f)->real()); },
      [](sqlite3_file* f, int page, int size, int extend, void volatile** out) {
        return Real(f)->xShmMap(Of(f)->real(), page, size, extend, out);
      },
      [](sqlite3_file* f, int offset, int n, int flags) {
        return Real(f)->xShmLock(Of(f)->real(), offset, n, flags);
      },
      [](sqlite3_file* f) { Real(f)->xShmBarrier(Of(f)->real()); },
      [](sqlite3_file* f, int del) { return Real(f)->xShmUnmap(Of(f)->real(), del); },
      // No memory-mapped reads: every read goes through xRead, where faults are injected.
      [](sqlite3_file*, sqlite3_int64, int, void** out) {
        *out = nullptr;
        return SQLITE_OK;
      },
      [](sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; },
  };

  const std::string match_;
  sqlite3_vfs* base_ = nullptr;
  sqlite3_vfs vfs_{};
  std::atomic<bool> failing_{false};
  std::atomic<int> failures_{0};
  std::mutex mu_;
  std::set<File*> open_;  // guarded by mu_
};

}  // namespace depin::ledger::testing
