// Network, device, cell and epoch routes of the dashboard API (dashboard_api.h); the explorer
// routes are in dashboard_explorer.cc, the shared JSON pieces in dashboard_json.h.
#include "dashboard/api.h"

#include <s2/s2cell_id.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "dashboard/json.h"
#include "http/json_error.h"
#include "http/static_files.h"
#include "ledger/records.h"

namespace depin::dashboard {

using nlohmann::json;

namespace {

constexpr size_t kHistoryEpochs = 24;  // per-epoch history in a device lookup
constexpr int kDefaultCellLevel = 12;

util::Result<uint64_t> ParseU64(std::string_view name, std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return util::Status::InvalidArgument(std::string(name) + " \"" + std::string(text) +
                                         "\" is not a non-negative integer");
  }
  return v;
}

}  // namespace

std::optional<std::string_view> QueryParam(std::string_view query, std::string_view name) {
  std::optional<std::string_view> found;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = part.find('=');
    if (part.substr(0, eq) != name) continue;
    found = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
  }
  return found;
}

util::Result<Page> ParsePage(std::string_view query, uint64_t total) {
  Page page;
  if (std::optional<std::string_view> v = QueryParam(query, "offset")) {
    DEPIN_ASSIGN_OR_RETURN(page.offset, ParseU64("offset", *v));
  }
  if (std::optional<std::string_view> v = QueryParam(query, "limit")) {
    DEPIN_ASSIGN_OR_RETURN(page.limit, ParseU64("limit", *v));
  }
  if (page.limit == 0 || page.limit > kMaxPageLimit) {
    return util::Status::OutOfRange("limit " + std::to_string(page.limit) + " is not in 1.." +
                                    std::to_string(kMaxPageLimit));
  }
  if (page.offset > total) {
    return util::Status::OutOfRange("offset " + std::to_string(page.offset) + " is past the end (" +
                                    std::to_string(total) + " items)");
  }
  return page;
}

IngestCounts IngestCountsFromMetrics(std::string_view text) {
  IngestCounts c;
  // Lines look like: depin_ingest_rejected_total{reason="bad_signature"} 3
  auto value_of = [](std::string_view line) -> uint64_t {
    const size_t sp = line.rfind(' ');
    uint64_t v = 0;
    if (sp != std::string_view::npos) {
      std::from_chars(line.data() + sp + 1, line.data() + line.size(), v);
    }
    return v;
  };
  auto label_of = [](std::string_view line) -> std::string {
    const size_t q = line.find('"');
    const size_t e = q == std::string_view::npos ? q : line.find('"', q + 1);
    return e == std::string_view::npos ? std::string() : std::string(line.substr(q + 1, e - q - 1));
  };
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.starts_with("depin_ingest_reports_total{")) {
      const std::string status = label_of(line);
      if (status == "accepted") c.accepted += value_of(line);
      if (status == "duplicate") c.duplicate += value_of(line);
    } else if (line.starts_with("depin_ingest_rejected_total{")) {
      if (uint64_t v = value_of(line)) c.rejected.emplace_back(label_of(line), v);
    }
  }
  return c;
}

DashboardApi::DashboardApi(DashboardSources sources)
    : sources_(std::move(sources)),
      index_(sources_.ledger),
      epochs_(
          sources_.env, sources_.data_dir,
          [this](const verify::Key& device) -> std::optional<verify::Key> {
            std::optional<DeviceRow> row = index_.Device(device);
            if (!row) return std::nullopt;
            return row->owner;
          },
          sources_.epoch_rescan) {
  if (sources_.metrics) {
    economy_ = std::make_unique<EconomyMetrics>(sources_.metrics, sources_.ledger, &epochs_);
  }
}

void DashboardApi::Sync() {
  util::Status s = index_.Sync();
  if (!s.ok()) spdlog::warn("dashboard: ledger index: {}", s.ToString());
}

http::Response DashboardApi::Summary() {
  Sync();
  util::Result<ledger::Globals> globals = sources_.ledger->ReadGlobals();
  if (!globals.ok()) return http::JsonError(globals.status());
  const ledger::Globals& g = *globals;
  const ledger::LedgerParams& p = sources_.ledger->machine().params();
  const int64_t now = sources_.env->NowUnixMillis();
  const std::vector<uint64_t> epochs = epochs_.Epochs();
  const std::vector<DeviceRow> devices = index_.Devices(0, UINT64_MAX);
  uint64_t located = 0;
  for (const DeviceRow& d : devices) located += d.located ? 1 : 0;
  json body = {
      {"network", sources_.network_name},
      {"height", index_.height()},
      {"tip_timestamp_ms", sources_.ledger->tip_timestamp_ms()},
      {"now_ms", now},
      {"genesis_time_ms", p.genesis_time_ms},
      {"epoch_length_ms", p.epoch_length_ms},
      {"current_epoch", now <= p.genesis_time_ms || p.epoch_length_ms == 0
                            ? uint64_t{0}
                            : static_cast<uint64_t>(now - p.genesis_time_ms) / p.epoch_length_ms},
      {"token_decimals", p.token_decimals},
      {"registered_devices", devices.size()},
      {"located_devices", located},
      {"covered_cells", index_.Cells(kDefaultCellLevel).size()},
      {"closed_epochs", epochs.size()},
      {"latest_epoch", epochs.empty() ? json(nullptr) : json(epochs.back())},
      {"supply", std::to_string(g.supply)},
      {"minted", std::to_string(g.minted)},
      {"burned", std::to_string(g.burned)},
      {"burned_for_credits", std::to_string(g.burned_for_credits)},
      {"reward_pool", std::to_string(g.reward_pool)},
      {"staked", std::to_string(g.staked)},
      {"credits_minted", std::to_string(g.credits_minted)},
      {"credits_spent", std::to_string(g.credits_spent)},
  };
  if (sources_.metrics) {
    IngestCounts c = IngestCountsFromMetrics(sources_.metrics->Render());
    json rejected = json::object();
    for (const auto& [reason, n] : c.rejected) rejected[reason] = n;
    body["ingest"] = {
        {"accepted", c.accepted}, {"duplicate", c.duplicate}, {"rejected", std::move(rejected)}};
  }
  return http::Response::Json(200, body.dump());
}

http::Response DashboardApi::Health(const http::Request& r) {
  return EpochPage(r, [this](const EpochSummary& s) -> util::Result<json> {
    return HealthJson(s, index_.RegisteredBefore(static_cast<int64_t>(s.end_ms)));
  });
}

http::Response DashboardApi::DeviceList(const http::Request& r) {
  Sync();
  util::Result<Page> page = ParsePage(r.query, index_.device_count());
  if (!page.ok()) return http::JsonError(page.status());
  std::shared_ptr<const EpochSummary> latest = epochs_.Latest();
  json items = json::array();
  for (const DeviceRow& d : index_.Devices(page->offset, page->limit)) {
    items.push_back(DeviceJson(d, latest.get()));
  }
  return http::Response::Json(200, PageJson(index_.device_count(), *page, std::move(items)).dump());
}

http::Response DashboardApi::DeviceDetail(std::string_view key_text) {
  util::Result<crypto::PublicKey> key = crypto::PublicKey::FromBase58(key_text);
  if (!key.ok()) return http::JsonError(key.status().WithContext("device key"));
  Sync();
  const uint64_t height = index_.height();
  std::shared_ptr<const EpochSummary> latest = epochs_.Latest();
  const uint64_t epoch_plus_one = latest ? latest->epoch + 1 : 0;
  {
    util::ReaderLock lock(device_cache_mu_);
    auto it = device_cache_.find(*key);
    if (it != device_cache_.end() && it->second.height == height &&
        it->second.epoch_plus_one == epoch_plus_one) {
      return http::Response::Json(200, it->second.body);
    }
  }
  std::optional<DeviceRow> row = index_.Device(*key);
  if (!row) {
    return http::JsonError(404, "not_found",
                           "device " + std::string(key_text) + " is not onboarded on the ledger");
  }
  json body = DeviceJson(*row, latest.get());
  json history = json::array();
  if (latest) {
    std::vector<uint64_t> epochs = epochs_.Epochs();
    for (size_t i = 0; i < epochs.size() && i < kHistoryEpochs; ++i) {
      util::Result<std::shared_ptr<const EpochSummary>> s =
          epochs_.Get(epochs[epochs.size() - 1 - i]);
      if (!s.ok()) continue;
      const DeviceEpochRow* d = (*s)->FindDevice(*key);
      history.push_back(d ? DeviceEpochJson(**s, *d)
                          : json{{"epoch", (*s)->epoch},
                                 {"amount", "0"},
                                 {"valid_reports", 0},
                                 {"invalid_reports", 0},
                                 {"flags", json::array()}});
    }
  }
  body["history"] = std::move(history);
  util::Result<uint64_t> claimed = ClaimedOf(*sources_.ledger, *key);
  if (!claimed.ok()) return http::JsonError(claimed.status());
  body["claimed"] = std::to_string(*claimed);
  std::string text = body.dump();
  {
    util::WriterLock lock(device_cache_mu_);
    if (device_cache_.size() >= kMaxCachedDevices) device_cache_.clear();
    device_cache_[*key] = CachedDevice{height, epoch_plus_one, text};
  }
  return http::Response::Json(200, std::move(text));
}

http::Response DashboardApi::DeviceQuery(const http::Request& r) {
  json in = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded()) return http::JsonError(400, "invalid_argument", "body is not valid JSON");
  if (!in.is_object() || !in.contains("keys") || !in["keys"].is_array()) {
    return http::JsonError(400, "invalid_argument", "body must be {\"keys\": [base58 key, ...]}");
  }
  const json& keys = in["keys"];
  if (keys.size() > kMaxPageLimit) {
    return http::JsonError(
        400, "out_of_range",
        "keys: " + std::to_string(keys.size()) + " keys, at most " + std::to_string(kMaxPageLimit));
  }
  std::vector<crypto::PublicKey> parsed;
  for (size_t i = 0; i < keys.size(); ++i) {
    util::Result<crypto::PublicKey> k =
        keys[i].is_string()
            ? crypto::PublicKey::FromBase58(keys[i].get<std::string>())
            : util::Result<crypto::PublicKey>(util::Status::InvalidArgument("not a string"));
    if (!k.ok()) return http::JsonError(k.status().WithContext("keys[" + std::to_string(i) + "]"));
    parsed.push_back(*k);
  }
  Sync();
  std::shared_ptr<const EpochSummary> latest = epochs_.Latest();
  json items = json::array();
  json unknown = json::array();
  for (const crypto::PublicKey& k : parsed) {
    if (std::optional<DeviceRow> row = index_.Device(k)) {
      items.push_back(DeviceJson(*row, latest.get()));
    } else {
      unknown.push_back(k.ToBase58());
    }
  }
  return http::Response::Json(
      200, json{{"items", std::move(items)}, {"unknown", std::move(unknown)}}.dump());
}

http::Response DashboardApi::CellList(const http::Request& r) {
  int level = kDefaultCellLevel;
  if (std::optional<std::string_view> v = QueryParam(r.query, "level")) {
    util::Result<uint64_t> l = ParseU64("level", *v);
    if (!l.ok()) return http::JsonError(l.status());
    if (*l > static_cast<uint64_t>(S2CellId::kMaxLevel)) {
      return http::JsonError(400, "out_of_range",
                             "level " + std::to_string(*l) + " is not in 0..30");
    }
    level = static_cast<int>(*l);
  }
  Sync();
  const auto cells = index_.Cells(level);
  util::Result<Page> page = ParsePage(r.query, cells.size());
  if (!page.ok()) return http::JsonError(page.status());
  std::shared_ptr<const EpochSummary> latest = epochs_.Latest();
  json items = json::array();
  for (uint64_t i = page->offset; i < cells.size() && items.size() < page->limit; ++i) {
    items.push_back(CellJson(cells[i].first, cells[i].second, latest.get()));
  }
  json body = PageJson(cells.size(), *page, std::move(items));
  body["level"] = level;
  body["epoch"] = latest ? json(latest->epoch) : json(nullptr);
  return http::Response::Json(200, body.dump());
}

http::Response DashboardApi::EpochList(const http::Request& r) {
  return EpochPage(r, [this](const EpochSummary& s) -> util::Result<json> {
    DEPIN_ASSIGN_OR_RETURN(const EpochClaims claims, Claims(s));
    return EpochJson(s, *sources_.ledger, claims, /*full=*/false);
  });
}

http::Response DashboardApi::EpochPage(
    const http::Request& r, const std::function<util::Result<json>(const EpochSummary&)>& item) {
  Sync();
  const std::vector<uint64_t> epochs = epochs_.Epochs();
  util::Result<Page> page = ParsePage(r.query, epochs.size());
  if (!page.ok()) return http::JsonError(page.status());
  json items = json::array();
  for (uint64_t i = page->offset; i < epochs.size() && items.size() < page->limit; ++i) {
    // Newest first.
    util::Result<std::shared_ptr<const EpochSummary>> s =
        epochs_.Get(epochs[epochs.size() - 1 - i]);
    if (!s.ok()) return http::JsonError(s.status());
    util::Result<json> row = item(**s);
    if (!row.ok()) return http::JsonError(row.status());
    items.push_back(std::move(row).value());
  }
  return http::Response::Json(200, PageJson(epochs.size(), *page, std::move(items)).dump());
}

util::Result<EpochClaims> DashboardApi::Claims(const EpochSummary& s) {
  const uint64_t height = sources_.ledger->height();
  {
    util::MutexLock lock(claims_mu_);
    auto it = claims_cache_.find(s.epoch);
    // Claimed totals only grow, so a fully claimed epoch stays so; otherwise a count holds
    // until the next block.
    if (it != claims_cache_.end() &&
        (it->second.claims.complete() || it->second.height == height)) {
      return it->second.claims;
    }
  }
  DEPIN_ASSIGN_OR_RETURN(const EpochClaims claims, CountEpochClaims(s, *sources_.ledger));
  util::MutexLock lock(claims_mu_);
  if (claims_cache_.size() >= kMaxCachedEpochClaims) claims_cache_.clear();
  claims_cache_[s.epoch] = {height, claims};
  return claims;
}

http::Response DashboardApi::EpochDetail(std::string_view epoch_text) {
  util::Result<uint64_t> epoch = ParseU64("epoch", epoch_text);
  if (!epoch.ok()) return http::JsonError(epoch.status());
  Sync();
  util::Result<std::shared_ptr<const EpochSummary>> s = epochs_.Get(*epoch);
  if (!s.ok()) return http::JsonError(s.status());
  util::Result<EpochClaims> claims = Claims(**s);
  if (!claims.ok()) return http::JsonError(claims.status());
  util::Result<json> epoch_json = EpochJson(**s, *sources_.ledger, *claims, /*full=*/true);
  if (!epoch_json.ok()) return http::JsonError(epoch_json.status());
  json body = std::move(epoch_json).value();
  body["health"] = HealthJson(**s, index_.RegisteredBefore(static_cast<int64_t>((*s)->end_ms)));
  return http::Response::Json(200, body.dump());
}

void DashboardApi::AddRoutes(std::shared_ptr<DashboardApi> api, http::Router* router) {
  // Every handler shares ownership of the api: it lives as long as the router's routes.
  auto get = [router, api](std::string pattern,
                           http::Response (*fn)(DashboardApi&, const http::Request&)) {
    router->Get(std::move(pattern), [api, fn](const http::Request& r, http::Responder respond) {
      respond(fn(*api, r));
    });
  };
  get("/v1/network/summary", [](DashboardApi& a, const http::Request&) { return a.Summary(); });
  get("/v1/network/health", [](DashboardApi& a, const http::Request& r) { return a.Health(r); });
  get("/v1/devices", [](DashboardApi& a, const http::Request& r) { return a.DeviceList(r); });
  get("/v1/devices/{key}",
      [](DashboardApi& a, const http::Request& r) { return a.DeviceDetail(r.Param("key")); });
  router->Post("/v1/devices/query", [api](const http::Request& r, http::Responder respond) {
    respond(api->DeviceQuery(r));
  });
  get("/v1/cells", [](DashboardApi& a, const http::Request& r) { return a.CellList(r); });
  get("/v1/epochs", [](DashboardApi& a, const http::Request& r) { return a.EpochList(r); });
  get("/v1/epochs/{epoch}",
      [](DashboardApi& a, const http::Request& r) { return a.EpochDetail(r.Param("epoch")); });
  get("/v1/explorer/blocks",
      [](DashboardApi& a, const http::Request& r) { return a.BlockList(r); });
  get("/v1/explorer/blocks/{height}",
      [](DashboardApi& a, const http::Request& r) { return a.BlockDetail(r.Param("height")); });
  get("/v1/explorer/tx/{id}",
      [](DashboardApi& a, const http::Request& r) { return a.TxDetail(r.Param("id")); });
  get("/v1/explorer/accounts/{address}",
      [](DashboardApi& a, const http::Request& r) { return a.AccountDetail(r.Param("address")); });
}

void AddDashboardRoutes(http::Router* router, DashboardSources sources) {
  DashboardApi::AddRoutes(std::make_shared<DashboardApi>(std::move(sources)), router);
}

void AddDashboard(http::Router* router, DashboardSources sources, const std::string& assets_dir) {
  AddDashboardRoutes(router, std::move(sources));
  http::StaticFiles files =
      http::StaticFiles::Load(assets_dir.empty() ? http::DefaultDashboardDir() : assets_dir);
  if (files.available()) {
    spdlog::info("dashboard: serving {} files from {}", files.file_count(), files.dir());
  } else {
    spdlog::warn("dashboard: no built dashboard in \"{}\"; / explains how to build it",
                 files.dir());
  }
  http::StaticFiles::AddRoutes(std::move(files), router);
}

}  // namespace depin::dashboard
