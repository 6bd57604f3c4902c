#include "http/router.h"

#include <cstdio>
#include <cstdlib>

#include "http/json_error.h"

namespace depin::http {
namespace {

// "/v1/devices/abc" -> {"v1", "devices", "abc"}; empty segments (from "//" or a trailing '/')
// are kept so "/v1/health/" does not silently match "/v1/health".
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return parts;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  Route route;
  for (std::string_view part : Split(pattern)) {
    if (route.wildcard) {
      std::fprintf(stderr, "Router: '*' must be the last segment of %s\n", pattern.c_str());
      std::abort();
    }
    if (part == "*") {
      route.wildcard = true;
      continue;
    }
    if (!IsParam(part)) ++route.literals;
    route.segments.emplace_back(part);
  }
  for (const Route& r : routes_) {
    if (r.method == method && r.pattern == pattern) {
      std::fprintf(stderr, "Router: duplicate route %s %s\n", method.c_str(), pattern.c_str());
      std::abort();
    }
  }
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

bool Router::MatchPath(const Route& route, const std::vector<std::string_view>& parts,
                       std::map<std::string, std::string, std::less<>>* params) {
  if (route.wildcard ? parts.size() < route.segments.size()
                     : parts.size() != route.segments.size()) {
    return false;
  }
  params->clear();
  for (size_t i = 0; i < route.segments.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (IsParam(seg)) {
      if (parts[i].empty()) return false;
      params->emplace(seg.substr(1, seg.size() - 2), parts[i]);
    } else if (seg != parts[i]) {
      return false;
    }
  }
  if (route.wildcard) {
    std::string rest;
    for (size_t i = route.segments.size(); i < parts.size(); ++i) {
      if (i > route.segments.size()) rest += '/';
      rest += parts[i];
    }
    params->emplace("*", std::move(rest));
  }
  return true;
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  const std::vector<std::string_view> parts = Split(path);
  Match match;
  const Route* best = nullptr;
  std::map<std::string, std::string, std::less<>> params;
  for (const Route& route : routes_) {
    if (!MatchPath(route, parts, &params)) continue;
    if (route.method != method) {
      if (match.allow.find(route.method) == std::string::npos) {
        match.allow += (match.allow.empty() ? "" : ", ") + route.method;
      }
      continue;
    }
    const bool better = !best || route.literals > best->literals ||
                        (route.literals == best->literals && best->wildcard && !route.wildcard);
    if (better) {
      best = &route;
      match.params = params;
    }
  }
  if (best) {
    match.handler = &best->handler;
    match.route = best->pattern;
    match.allow.clear();
  } else {
    match.status = match.allow.empty() ? 404 : 405;
  }
  return match;
}

void Router::Dispatch(Request& request, Responder respond) const {
  Match match = Find(request.method, request.path);
  if (!match.handler) {
    Response error =
        match.status == 405
            ? JsonError(405, "method_not_allowed",
                        request.method + " is not allowed on " + request.path +
                            " (allowed: " + match.allow + ")")
            : JsonError(404, "not_found", "no route for " + request.method + " " + request.path);
    if (match.status == 405) error.headers.push_back({"Allow", match.allow});
    respond(std::move(error));
    return;
  }
  request.route = std::move(match.route);
  request.params = std::move(match.params);
  (*match.handler)(request, std::move(respond));
}

std::vector<std::string> Router::Routes() const {
  std::vector<std::string> out;
  out.reserve(routes_.size());
  for (const Route& r : routes_) out.push_back(r.method + " " + r.pattern);
  return out;
}

}  // namespace depin::http
