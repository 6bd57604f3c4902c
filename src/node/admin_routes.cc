#include "node/admin_routes.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "epoch/close.h"
#include "epoch/recompute.h"
#include "http/json_error.h"
#include "util/encoding.h"

namespace depin::node {
namespace {

using nlohmann::json;

http::Response Unauthorized() {
  return http::JsonError(401, "unauthenticated",
                         "admin routes need Authorization: Bearer <admin token>");
}

json DenylistJson(const verify::Denylist& d) {
  return {{"version", d.version()}, {"devices", d.devices().size()}, {"edges", d.edges().size()}};
}

}  // namespace

util::Result<std::string> LoadAdminToken(util::Env* env, const config::NetworkConfig& config,
                                         const std::string& data_dir) {
  if (config.api.admin_token_file.empty()) {
    return util::Status::NotFound("no [api] admin_token_file configured");
  }
  std::string path = config.api.admin_token_file;
  if (path.front() != '/') path = util::JoinPath(data_dir, path);
  util::Result<util::Bytes> raw = env->ReadFile(path);
  if (!raw.ok()) return raw.status().WithContext("admin token " + path);
  std::string token(util::AsChars(*raw));
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) return util::Status::InvalidArgument("admin token " + path + " is empty");
  return token;
}

bool HasAdminToken(const http::Request& request, std::string_view token) {
  if (token.empty()) return false;
  std::string_view got = request.Header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (got.size() != kBearer.size() + token.size() || got.substr(0, kBearer.size()) != kBearer) {
    return false;
  }
  got.remove_prefix(kBearer.size());
  unsigned char diff = 0;  // constant time over the token's length
  for (size_t i = 0; i < token.size(); ++i) {
    diff |= static_cast<unsigned char>(got[i] ^ token[i]);
  }
  return diff == 0;
}

AdminRoutes::~AdminRoutes() {
  util::MutexLock lock(mu_);
  if (rerun_thread_.joinable()) rerun_thread_.join();
}

util::Status AdminRoutes::LoadDenylist() {
  const std::string path = epoch::DenylistPath(deps_.data_dir);
  if (!deps_.env->FileExists(path)) return util::Status::Ok();
  util::Result<verify::Denylist> loaded =
      verify::Denylist::Load(deps_.env, path, deps_.network_id, deps_.operator_key);
  if (!loaded.ok()) return loaded.status().WithContext("denylist " + path);
  util::MutexLock lock(mu_);
  denylist_ = std::move(loaded).value();
  if (deps_.devices) deps_.devices->SetDenied(denylist_.devices());
  spdlog::info("admin: denylist version {} ({} devices, {} edges)", denylist_.version(),
               denylist_.devices().size(), denylist_.edges().size());
  return util::Status::Ok();
}

void AdminRoutes::AddRoutes(http::Router* router) {
  router->Post("/v1/admin/denylist", [this](const http::Request& r, http::Responder respond) {
    PostDenylist(r, respond);
  });
  router->Get("/v1/admin/denylist",
              [this](const http::Request& r, http::Responder respond) { GetDenylist(r, respond); });
  router->Post("/v1/admin/epochs/{epoch}/rerun",
               [this](const http::Request& r, http::Responder respond) { Rerun(r, respond); });
}

void AdminRoutes::PostDenylist(const http::Request& request, http::Responder respond) {
  if (!HasAdminToken(request, deps_.token)) return void(respond(Unauthorized()));
  util::Result<verify::Denylist> parsed =
      verify::Denylist::ParseSigned(request.body, deps_.network_id, deps_.operator_key);
  if (!parsed.ok()) return void(respond(http::JsonError(parsed.status().WithContext("denylist"))));
  util::MutexLock lock(mu_);
  if (parsed->version() <= denylist_.version()) {
    return void(respond(http::JsonError(409, "failed_precondition",
                                        "denylist version " + std::to_string(parsed->version()) +
                                            " is not newer than the version in force, " +
                                            std::to_string(denylist_.version()))));
  }
  // Durable before it takes effect: a restart applies the same list.
  util::Status written =
      deps_.env->WriteFileAtomic(epoch::DenylistPath(deps_.data_dir), util::AsBytes(request.body));
  if (!written.ok()) return void(respond(http::JsonError(written)));
  denylist_ = std::move(parsed).value();
  if (deps_.devices) deps_.devices->SetDenied(denylist_.devices());
  spdlog::info("admin: denylist version {} applied ({} devices, {} edges)", denylist_.version(),
               denylist_.devices().size(), denylist_.edges().size());
  respond(http::Response::Json(200, DenylistJson(denylist_).dump()));
}

void AdminRoutes::GetDenylist(const http::Request& request, http::Responder respond) {
  if (!HasAdminToken(request, deps_.token)) return void(respond(Unauthorized()));
  util::MutexLock lock(mu_);
  respond(http::Response::Json(200, DenylistJson(denylist_).dump()));
}

void AdminRoutes::Rerun(const http::Request& request, http::Responder respond) {
  if (!HasAdminToken(request, deps_.token)) return void(respond(Unauthorized()));
  const std::string_view text = request.Param("epoch");
  uint64_t epoch = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), epoch);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return void(
        respond(http::JsonError(400, "invalid_argument",
                                "epoch \"" + std::string(text) + "\" is not an unsigned integer")));
  }
  util::Result<std::optional<util::Bytes>> root =
      deps_.ledger->ReadState(ledger::keys::RewardRoot(epoch));
  if (!root.ok()) return void(respond(http::JsonError(root.status())));
  if (!root->has_value()) {
    return void(respond(http::JsonError(
        404, "not_found", "epoch " + std::to_string(epoch) + " has no posted reward root")));
  }
  util::MutexLock lock(mu_);
  if (rerun_busy_.exchange(true)) {
    return void(
        respond(http::JsonError(409, "failed_precondition", "a re-run is already running")));
  }
  if (rerun_thread_.joinable()) rerun_thread_.join();  // the previous one has finished
  rerun_thread_ = std::thread([this, epoch, respond = std::move(respond)] {
    util::Result<epoch::RecomputeResult> r = epoch::RecomputeEpoch(
        deps_.env, deps_.data_dir, *deps_.ledger, deps_.reward_config, epoch, false);
    rerun_busy_ = false;
    if (!r.ok()) return void(respond(http::JsonError(r.status())));
    if (!r->posted)
      return void(respond(http::JsonError(404, "not_found", "the posted root disappeared")));
    json body = {{"epoch", epoch},
                 {"records", r->stats.records},
                 {"corrupt_records", r->stats.corrupt_records},
                 {"devices", r->devices},
                 {"boundary_height", r->height},
                 {"recomputed_root", util::HexEncode(r->root)},
                 {"recomputed_minted", std::to_string(r->total_minted)},
                 {"posted_root", util::HexEncode(r->posted->root)},
                 {"posted_minted", std::to_string(r->posted->total_minted)},
                 {"match", r->matches()}};
    if (!r->matches())
      spdlog::error("admin: epoch {} re-run does not match its posted root", epoch);
    respond(http::Response::Json(200, body.dump()));
  });
}

}  // namespace depin::node
