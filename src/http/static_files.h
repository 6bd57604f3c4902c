// StaticFiles: serves the built web dashboard (web/, built by `vite build` into
// <build dir>/dashboard) from memory:
//   GET /              index.html, Cache-Control: no-cache, with an ETag (If-None-Match -> 304)
//   GET /index.html    the same
//   GET /assets/{...}  the hashed bundle files: Cache-Control: public, max-age=31536000, immutable
// Every file under the directory is read once at startup into a map keyed by its relative path,
// so a request can only ever name a file that was there; paths with "..", "%", "\" or empty
// segments are refused with 400 before the lookup, anything else missing is 404 (JSON errors).
// When the directory or its index.html is missing, "/" answers a small HTML page saying how to
// build the dashboard, and /assets/ answers 404.
//
// Thread-safety: immutable after Load; Serve may be called from any number of threads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "http/router.h"
#include "http/types.h"

namespace depin::http {

class StaticFiles {
 public:
  struct File {
    std::string content_type;
    std::string body;
    std::string etag;  // quoted, from the content hash
  };

  // Reads every regular file under `dir` (at most 64 MiB in total; larger trees, unreadable
  // files and symlinks are skipped with a warning).
  static StaticFiles Load(const std::string& dir);

  bool available() const { return files_.count("index.html") > 0; }
  const std::string& dir() const { return dir_; }
  size_t file_count() const { return files_.size(); }

  // The response for GET `path` ("/", "/index.html" or "/assets/...") with `if_none_match` the
  // request's If-None-Match header (may be empty).
  Response Serve(std::string_view path, std::string_view if_none_match) const;

  // Adds GET "/", "/index.html" and "/assets/*" to `router`; the handlers own the files.
  static void AddRoutes(StaticFiles files, Router* router);

 private:
  std::string dir_;
  std::map<std::string, File, std::less<>> files_;  // "index.html", "assets/index-abc.js", ...
};

// The Content-Type for a file name by its extension (application/octet-stream if unknown).
std::string_view ContentTypeFor(std::string_view name);

// <directory of the running executable>/../dashboard (where the build puts the bundle next to
// bin/), or "" when /proc/self/exe cannot be read.
std::string DefaultDashboardDir();

}  // namespace depin::http
