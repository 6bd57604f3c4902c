// AdminRoutes: the operator's endpoints. Every one needs `Authorization: Bearer <token>`, the
// token in [api] admin_token_file; without it — or when the node has no token — the answer is
// 401 and nothing changes (docs/api.md, "Admin routes"):
//
//   POST /v1/admin/denylist             a denylist signed by the operator (governance) key
//                                       (verify/denylist.h). Its version must be newer than the
//                                       one in force. Stored in <data dir>/denylist.txt and
//                                       applied at once: listed devices' reports are refused at
//                                       ingest (`deactivated`), so they earn nothing from then on.
//   GET  /v1/admin/denylist             the version in force and its counts
//   POST /v1/admin/epochs/{epoch}/rerun recomputes a closed epoch from the report log and the
//                                       ledger and compares it with the posted root (read-only;
//                                       one re-run at a time, else 409)
//
// Thread-safety: handlers run on the server's io threads; a re-run runs on its own thread and
// answers from there. The destructor waits for a running re-run.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "config/network_config.h"
#include "crypto/ed25519.h"
#include "http/router.h"
#include "ledger/ledger.h"
#include "node/device_sync.h"
#include "rewards/config.h"
#include "util/env.h"
#include "util/mutex.h"
#include "util/result.h"
#include "verify/denylist.h"

namespace depin::node {

// The admin token from [api] admin_token_file (relative paths are under the data directory),
// trailing whitespace removed; NotFound when none is configured.
util::Result<std::string> LoadAdminToken(util::Env* env, const config::NetworkConfig& config,
                                         const std::string& data_dir);
// True iff the request carries `Authorization: Bearer <token>` (compared in constant time) and
// the token is not empty.
bool HasAdminToken(const http::Request& request, std::string_view token);

struct AdminDeps {
  util::Env* env = nullptr;
  std::string data_dir;
  std::string token;               // empty: every admin request gets 401
  crypto::PublicKey operator_key;  // signs denylists: the network's governance key
  std::string network_id;          // ... for this network ([network] id)
  const ledger::Ledger* ledger = nullptr;
  rewards::RewardConfig reward_config;
  DeviceSync* devices = nullptr;  // applies the denylist to ingest
};

class AdminRoutes {
 public:
  explicit AdminRoutes(AdminDeps deps) : deps_(std::move(deps)) {}
  ~AdminRoutes();
  AdminRoutes(const AdminRoutes&) = delete;
  AdminRoutes& operator=(const AdminRoutes&) = delete;

  // Loads <data dir>/denylist.txt if there is one (Corruption or PermissionDenied when it does
  // not verify: a node never runs with a denylist it cannot read) and applies it.
  util::Status LoadDenylist();
  void AddRoutes(http::Router* router);

 private:
  void PostDenylist(const http::Request& request, http::Responder respond);
  void GetDenylist(const http::Request& request, http::Responder respond);
  void Rerun(const http::Request& request, http::Responder respond);

  AdminDeps deps_;
  util::Mutex mu_;
  verify::Denylist denylist_ GUARDED_BY(mu_);
  std::thread rerun_thread_ GUARDED_BY(mu_);
  std::atomic<bool> rerun_busy_{false};
};

}  // namespace depin::node
