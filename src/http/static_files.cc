#include "http/static_files.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "crypto/hash.h"
#include "http/json_error.h"
#include "util/bytes.h"

namespace depin::http {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxTotalBytes = 64ull << 20;
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

constexpr std::string_view kNotBuiltPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OpenDePIN node</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em">
<h1>OpenDePIN node</h1>
<p>The API is up (<a href="/v1/health">/v1/health</a>, <a href="/v1/network/summary">/v1/network/summary</a>),
but the web dashboard is not built.</p>
<p>Build it with the project (needs <code>nodejs</code> and <code>npm</code>, see
<code>scripts/install-deps.sh</code>):</p>
<pre>scripts/build.sh            # or: cmake --build build --target dashboard</pre>
<p>then restart the node, or point it at a built bundle with <code>depin node --dashboard DIR</code>.</p>
</body></html>
)";

// A path below /assets/ that could step outside the directory or be decoded into one.
bool SuspiciousPath(std::string_view rest) {
  if (rest.empty()) return true;
  if (rest.find_first_of("%\\") != std::string_view::npos) return true;
  if (rest.find('\0') != std::string_view::npos) return true;
  size_t start = 0;
  while (start <= rest.size()) {
    const size_t slash = rest.find('/', start);
    std::string_view seg =
        rest.substr(start, slash == std::string_view::npos ? rest.npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") return true;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

Response FileResponse(const StaticFiles::File& f, std::string_view cache_control,
                      std::string_view if_none_match) {
  Response r;
  r.headers.push_back({"Cache-Control", std::string(cache_control)});
  r.headers.push_back({"ETag", f.etag});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  if (!if_none_match.empty() && if_none_match == f.etag) {
    r.status = 304;
    r.content_type = f.content_type;
    return r;
  }
  r.status = 200;
  r.content_type = f.content_type;
  r.body = f.body;
  return r;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (name.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

StaticFiles StaticFiles::Load(const std::string& dir) {
  StaticFiles out;
  out.dir_ = dir;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return out;
  uint64_t total = 0;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& e = *it;
    if (e.is_symlink(ec) || !e.is_regular_file(ec)) continue;
    const std::string rel = fs::relative(e.path(), dir, ec).generic_string();
    if (ec || rel.empty()) continue;
    const uint64_t size = e.file_size(ec);
    if (ec || total + size > kMaxTotalBytes) {
      spdlog::warn("dashboard: skipping {} (over the {} MiB limit)", rel, kMaxTotalBytes >> 20);
      continue;
    }
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in.good() && !in.eof()) {
      spdlog::warn("dashboard: cannot read {}", e.path().string());
      continue;
    }
    File f;
    f.body = body.str();
    total += f.body.size();
    f.content_type = std::string(ContentTypeFor(rel));
    f.etag = "\"" + crypto::ToHex(crypto::Sha256(util::AsBytes(f.body))).substr(0, 32) + "\"";
    out.files_.emplace(rel, std::move(f));
  }
  if (ec) spdlog::warn("dashboard: reading {}: {}", dir, ec.message());
  return out;
}

Response StaticFiles::Serve(std::string_view path, std::string_view if_none_match) const {
  if (path == "/" || path == "/index.html") {
    auto it = files_.find(std::string_view("index.html"));
    if (it == files_.end()) {
      Response r{200, "text/html; charset=utf-8", std::string(kNotBuiltPage), {}};
      r.headers.push_back({"Cache-Control", "no-cache"});
      return r;
    }
    return FileResponse(it->second, "no-cache", if_none_match);
  }
  constexpr std::string_view kAssets = "/assets/";
  if (!path.starts_with(kAssets)) {
    return JsonError(404, "not_found", "no dashboard file " + std::string(path));
  }
  std::string_view rest = path.substr(kAssets.size());
  if (SuspiciousPath(rest)) {
    return JsonError(400, "invalid_argument",
                     "asset path \"" + std::string(path) + "\" is not a plain file name");
  }
  auto it = files_.find("assets/" + std::string(rest));
  if (it == files_.end()) {
    return JsonError(404, "not_found", "no dashboard file " + std::string(path));
  }
  return FileResponse(it->second, kImmutable, if_none_match);
}

void StaticFiles::AddRoutes(StaticFiles files, Router* router) {
  // Shared by the three handlers, which live as long as the router.
  auto shared = std::make_shared<const StaticFiles>(std::move(files));
  auto handler = [shared](const Request& r, Responder respond) {
    respond(shared->Serve(r.path, r.Header("If-None-Match")));
  };
  router->Get("/", handler);
  router->Get("/index.html", handler);
  router->Get("/assets/*", handler);
}

std::string DefaultDashboardDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return (exe.parent_path().parent_path() / "dashboard").string();
}

}  // namespace depin::http
