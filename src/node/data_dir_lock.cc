// LockDataDir (see data_dir_lock.h).
#include "node/data_dir_lock.h"

namespace depin::node {

util::Result<std::unique_ptr<util::FileLock>> LockDataDir(util::Env* env, const std::string& dir,
                                                          util::LockMode mode) {
  util::Result<std::unique_ptr<util::FileLock>> lock =
      env->LockFile(util::JoinPath(dir, kDataDirLockFile), mode);
  if (lock.ok() || lock.status().code() != util::Code::kFailedPrecondition) return lock;
  const bool exclusive = mode == util::LockMode::kExclusive;
  return util::Status::FailedPrecondition(
      "data directory \"" + dir + "\" is in use by another process (" +
      std::string(lock.status().message()) + "); " +
      (exclusive ? "stop it first, or use another directory"
                 : "stop the node first (or ask its API while it runs)"));
}

}  // namespace depin::node
