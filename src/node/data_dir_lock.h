// One owner per data directory, after LevelDB's LOCK file: `depin node` and every offline command
// that writes (e.g. `depin rewards close`) hold <data dir>/LOCK exclusively while they run;
// offline commands that only read (`depin ledger verify`, `depin rewards recompute`/`explain`,
// `depin query`) hold it shared, so they may run together but never beside a writer. A second
// owner is refused with an error naming the directory and, when known, the holder's pid. The
// lock is flock(2) through util::Env: the OS drops it when its holder exits, even by SIGKILL.
//
// Thread-safety: LockDataDir may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "util/env.h"
#include "util/result.h"

namespace depin::node {

inline constexpr const char* kDataDirLockFile = "LOCK";

// FailedPrecondition when another process holds a conflicting lock; IOError when the lock file
// cannot be opened.
util::Result<std::unique_ptr<util::FileLock>> LockDataDir(util::Env* env, const std::string& dir,
                                                          util::LockMode mode);

}  // namespace depin::node
