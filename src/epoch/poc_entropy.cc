#include "epoch/poc_entropy.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>

#include "http/json_error.h"
#include "util/encoding.h"
#include "verify/coverage_math.h"

namespace depin::epoch {

using util::Result;
using util::Status;

namespace {

Result<uint64_t> ParseU64(std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Status::InvalidArgument("\"" + std::string(text) + "\" is not a non-negative integer");
  }
  return v;
}

Result<crypto::Hash256> ParseHash(std::string_view text) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes raw, util::HexDecodeExact(text, 32));
  crypto::Hash256 h{};
  std::copy(raw.begin(), raw.end(), h.begin());
  return h;
}

Result<EntropyEntry> ParseLine(std::string_view line, std::string_view network_id) {
  std::vector<std::string_view> f;
  for (size_t at = 0; at <= line.size();) {
    size_t sp = line.find(' ', at);
    if (sp == std::string_view::npos) sp = line.size();
    f.push_back(line.substr(at, sp - at));
    at = sp + 1;
  }
  if (f.size() != 6) return Status::InvalidArgument("expected 6 fields");
  EntropyEntry e;
  DEPIN_ASSIGN_OR_RETURN(e.period, ParseU64(f[0]));
  DEPIN_ASSIGN_OR_RETURN(e.period_start_ms, ParseU64(f[1]));
  DEPIN_ASSIGN_OR_RETURN(e.published_ms, ParseU64(f[2]));
  DEPIN_ASSIGN_OR_RETURN(e.height, ParseU64(f[3]));
  DEPIN_ASSIGN_OR_RETURN(e.block_hash, ParseHash(f[4]));
  DEPIN_ASSIGN_OR_RETURN(e.entropy, ParseHash(f[5]));
  if (verify::DeriveEntropy(network_id, e.block_hash, e.period_start_ms) != e.entropy) {
    return Status::InvalidArgument("entropy does not derive from its block hash and period");
  }
  return e;
}

std::string LineOf(const EntropyEntry& e) {
  return std::to_string(e.period) + " " + std::to_string(e.period_start_ms) + " " +
         std::to_string(e.published_ms) + " " + std::to_string(e.height) + " " +
         util::HexEncode(e.block_hash) + " " + util::HexEncode(e.entropy) + "\n";
}

nlohmann::json EntryJson(const EntropyEntry& e, std::string_view network_id) {
  return {{"network", std::string(network_id)},
          {"period", e.period},
          {"period_start_ms", e.period_start_ms},
          {"published_ms", e.published_ms},
          {"height", e.height},
          {"block_hash", util::HexEncode(e.block_hash)},
          {"entropy", util::HexEncode(e.entropy)}};
}

}  // namespace

std::string EntropyLogPath(const std::string& data_dir) {
  return util::JoinPath(util::JoinPath(data_dir, "poc"), "entropy.log");
}

Result<std::vector<EntropyEntry>> LoadEntropyLog(util::Env* env, const std::string& data_dir,
                                                 std::string_view network_id) {
  const std::string path = EntropyLogPath(data_dir);
  std::vector<EntropyEntry> out;
  if (!env->FileExists(path)) return out;
  DEPIN_ASSIGN_OR_RETURN(util::Bytes raw, env->ReadFile(path));
  std::string_view text = util::AsChars(raw);
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t nl = text.find('\n');
    const bool last = nl == std::string_view::npos || nl + 1 == text.size();
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    Result<EntropyEntry> e = ParseLine(line, network_id);
    if (!e.ok() || nl == std::string_view::npos) {
      if (last) {  // torn by a crash during the append: that period was never served
        spdlog::warn("{}:{}: ignoring an incomplete last line", path, line_no);
        break;
      }
      return Status::Corruption(path + ":" + std::to_string(line_no) + ": " +
                                (e.ok() ? std::string("no newline") : e.status().ToString()));
    }
    if (!out.empty() && e->period <= out.back().period) {
      return Status::Corruption(path + ":" + std::to_string(line_no) + ": period " +
                                std::to_string(e->period) + " is not after the previous one");
    }
    out.push_back(*e);
  }
  return out;
}

Result<std::vector<verify::EntropyRecord>> EntropyForEpoch(util::Env* env,
                                                           const std::string& data_dir,
                                                           std::string_view network_id,
                                                           uint64_t start_ms, uint64_t end_ms,
                                                           uint64_t max_age_ms) {
  DEPIN_ASSIGN_OR_RETURN(std::vector<EntropyEntry> all, LoadEntropyLog(env, data_dir, network_id));
  const uint64_t from = start_ms > max_age_ms ? start_ms - max_age_ms : 0;
  std::vector<verify::EntropyRecord> out;
  for (const EntropyEntry& e : all) {
    if (e.published_ms < from || e.published_ms >= end_ms) continue;
    out.push_back({e.entropy, e.published_ms});
  }
  return out;
}

Result<std::unique_ptr<EntropyService>> EntropyService::Open(EntropyServiceOptions options) {
  if (options.cadence_ms == 0) return Status::InvalidArgument("entropy: cadence must be > 0");
  if (!options.tip) return Status::InvalidArgument("entropy: no ledger tip");
  if (!options.now_ms) {
    util::Env* env = options.env;
    options.now_ms = [env] { return env->NowUnixMillis(); };
  }
  DEPIN_ASSIGN_OR_RETURN(std::vector<EntropyEntry> history,
                         LoadEntropyLog(options.env, options.data_dir, options.network_id));
  std::unique_ptr<EntropyService> s(new EntropyService(std::move(options)));
  util::MutexLock lock(s->mu_);  // not shared yet; the lock keeps the analysis whole
  s->history_ = std::move(history);
  return s;
}

EntropyService::~EntropyService() { Stop(); }

Status EntropyService::PublishDue() {
  const int64_t now_signed = options_.now_ms();
  const uint64_t now = static_cast<uint64_t>(std::max<int64_t>(0, now_signed));
  if (now < options_.genesis_ms) return Status::Ok();
  const uint64_t period = (now - options_.genesis_ms) / options_.cadence_ms;
  {
    util::MutexLock lock(mu_);
    if (!history_.empty() && history_.back().period >= period) return Status::Ok();
  }
  EntropyEntry e;
  e.period = period;
  e.period_start_ms = options_.genesis_ms + period * options_.cadence_ms;
  e.published_ms = now;
  const LedgerTip tip = options_.tip();
  e.height = tip.height;
  e.block_hash = tip.hash;
  e.entropy = verify::DeriveEntropy(options_.network_id, e.block_hash, e.period_start_ms);
  const std::string dir = util::JoinPath(options_.data_dir, "poc");
  DEPIN_RETURN_IF_ERROR(options_.env->CreateDirs(dir));
  const std::string path = EntropyLogPath(options_.data_dir);
  const bool created = !options_.env->FileExists(path);
  DEPIN_ASSIGN_OR_RETURN(auto file, options_.env->NewAppendableFile(path));
  const std::string line = LineOf(e);
  DEPIN_RETURN_IF_ERROR(file->Append(util::AsBytes(line)));
  DEPIN_RETURN_IF_ERROR(file->Sync());
  DEPIN_RETURN_IF_ERROR(file->Close());
  if (created) DEPIN_RETURN_IF_ERROR(options_.env->SyncDir(dir));
  util::MutexLock lock(mu_);
  history_.push_back(e);
  return Status::Ok();
}

void EntropyService::Start() {
  thread_ = std::thread([this] {
    util::MutexLock lock(mu_);
    while (!stop_) {
      lock.Unlock();
      Status s = PublishDue();
      if (!s.ok()) spdlog::error("poc entropy: {}", s.ToString());
      const int64_t now = options_.now_ms();
      const uint64_t since = now > static_cast<int64_t>(options_.genesis_ms)
                                 ? (static_cast<uint64_t>(now) - options_.genesis_ms)
                                 : 0;
      // Wake at the next period start (or in a second, to retry an error).
      int64_t wait_ms = static_cast<int64_t>(options_.cadence_ms - since % options_.cadence_ms);
      if (!s.ok()) wait_ms = std::min<int64_t>(wait_ms, 1000);
      lock.Lock();
      cv_.WaitFor(mu_, std::chrono::milliseconds(std::max<int64_t>(1, wait_ms)),
                  [this]() REQUIRES(mu_) { return stop_; });
    }
  });
}

void EntropyService::Stop() {
  {
    util::MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

std::optional<EntropyEntry> EntropyService::Latest() const {
  util::MutexLock lock(mu_);
  if (history_.empty()) return std::nullopt;
  return history_.back();
}

std::optional<EntropyEntry> EntropyService::Get(uint64_t period) const {
  util::MutexLock lock(mu_);
  auto it = std::lower_bound(history_.begin(), history_.end(), period,
                             [](const EntropyEntry& e, uint64_t p) { return e.period < p; });
  if (it == history_.end() || it->period != period) return std::nullopt;
  return *it;
}

void EntropyService::AddRoutes(http::Router* router) {
  router->Get("/v1/poc/entropy/latest", [this](const http::Request&, http::Responder respond) {
    std::optional<EntropyEntry> e = Latest();
    if (!e) {
      respond(http::JsonError(404, "not_found", "no PoC entropy has been published yet"));
      return;
    }
    respond(http::Response::Json(200, EntryJson(*e, options_.network_id).dump()));
  });
  router->Get("/v1/poc/entropy/{period}", [this](const http::Request& req,
                                                 http::Responder respond) {
    Result<uint64_t> period = ParseU64(req.params.at("period"));
    if (!period.ok()) {
      respond(http::JsonError(400, "invalid_argument",
                              "period: " + std::string(period.status().message())));
      return;
    }
    std::optional<EntropyEntry> e = Get(*period);
    if (!e) {
      respond(http::JsonError(
          404, "not_found", "no PoC entropy was published for period " + std::to_string(*period)));
      return;
    }
    respond(http::Response::Json(200, EntryJson(*e, options_.network_id).dump()));
  });
}

}  // namespace depin::epoch
