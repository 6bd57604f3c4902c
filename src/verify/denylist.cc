#include "verify/denylist.h"

#include <algorithm>
#include <charconv>

#include "util/encoding.h"
#include "wire/domain.h"

namespace depin::verify {

using util::Result;
using util::Status;

namespace {
constexpr std::string_view kHeader = "opendepin-denylist v1";
}  // namespace

util::Bytes Denylist::SigningBytes(std::string_view network_id, std::string_view body) {
  util::Bytes b = wire::SigningDomain(wire::SigningKind::kDenylist, network_id);
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

Denylist::Denylist(uint64_t version, std::vector<Key> devices,
                   std::vector<std::pair<Key, Key>> edges)
    : version_(version), devices_(std::move(devices)), edges_(std::move(edges)) {
  std::sort(devices_.begin(), devices_.end());
  devices_.erase(std::unique(devices_.begin(), devices_.end()), devices_.end());
  for (auto& e : edges_) {
    if (e.second < e.first) std::swap(e.first, e.second);
  }
  std::sort(edges_.begin(), edges_.end());
  edges_.erase(std::unique(edges_.begin(), edges_.end()), edges_.end());
}

bool Denylist::ContainsDevice(const Key& key) const {
  return std::binary_search(devices_.begin(), devices_.end(), key);
}

bool Denylist::ContainsEdge(const Key& a, const Key& b) const {
  std::pair<Key, Key> e = a < b ? std::pair{a, b} : std::pair{b, a};
  return std::binary_search(edges_.begin(), edges_.end(), e);
}

std::string Denylist::SignToText(std::string_view network_id,
                                 const crypto::KeyPair& operator_key) const {
  std::string body = std::string(kHeader) + "\nversion " + std::to_string(version_) + "\n";
  for (const Key& k : devices_) body += "device " + k.ToHex() + "\n";
  for (const auto& [a, b] : edges_) body += "edge " + a.ToHex() + " " + b.ToHex() + "\n";
  crypto::Signature sig = operator_key.Sign(SigningBytes(network_id, body));
  return body + "signature " + util::HexEncode(sig) + "\n";
}

Result<Denylist> Denylist::ParseSigned(std::string_view text, std::string_view network_id,
                                       const Key& operator_key) {
  size_t sig_at = text.rfind("signature ");
  if (sig_at == std::string_view::npos || (sig_at > 0 && text[sig_at - 1] != '\n')) {
    return Status::InvalidArgument("denylist: no signature line");
  }
  std::string_view body = text.substr(0, sig_at);
  std::string_view sig_line = text.substr(sig_at + 10);
  while (!sig_line.empty() && (sig_line.back() == '\n' || sig_line.back() == '\r')) {
    sig_line.remove_suffix(1);
  }
  auto sig_bytes = util::HexDecodeExact(sig_line, crypto::kSignatureSize);
  if (!sig_bytes.ok())
    return Status::InvalidArgument("denylist: signature line is not 64-byte hex");
  DEPIN_ASSIGN_OR_RETURN(crypto::Signature sig, crypto::SignatureFromBytes(*sig_bytes));
  if (!crypto::Verify(operator_key, SigningBytes(network_id, body), sig)) {
    return Status::PermissionDenied("denylist: signature does not verify under operator key " +
                                    operator_key.ToHex() + " for network '" +
                                    std::string(network_id) + "'");
  }
  uint64_t version = 0;
  bool have_version = false;
  std::vector<Key> devices;
  std::vector<std::pair<Key, Key>> edges;
  size_t line_no = 0;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    ++line_no;
    auto bad = [&](const std::string& what) {
      return Status::InvalidArgument("denylist line " + std::to_string(line_no) + ": " + what);
    };
    if (line_no == 1) {
      if (line != kHeader) return bad("expected header '" + std::string(kHeader) + "'");
      continue;
    }
    if (line.empty()) continue;
    if (line.starts_with("version ")) {
      std::string_view v = line.substr(8);
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
      if (ec != std::errc() || p != v.data() + v.size()) return bad("bad version number");
      have_version = true;
    } else if (line.starts_with("device ")) {
      auto k = Key::FromHex(line.substr(7));
      if (!k.ok()) return bad("bad device key: " + std::string(k.status().message()));
      devices.push_back(*k);
    } else if (line.starts_with("edge ")) {
      std::string_view rest = line.substr(5);
      size_t sp = rest.find(' ');
      if (sp == std::string_view::npos) return bad("edge needs two keys");
      auto a = Key::FromHex(rest.substr(0, sp));
      auto b = Key::FromHex(rest.substr(sp + 1));
      if (!a.ok() || !b.ok()) return bad("bad edge key");
      edges.emplace_back(*a, *b);
    } else {
      return bad("unknown entry '" + std::string(line.substr(0, 20)) + "'");
    }
  }
  if (!have_version) return Status::InvalidArgument("denylist: missing version line");
  return Denylist(version, std::move(devices), std::move(edges));
}

Result<Denylist> Denylist::Load(util::Env* env, const std::string& path,
                                std::string_view network_id, const Key& operator_key) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes raw, env->ReadFile(path));
  auto list = ParseSigned(util::AsChars(raw), network_id, operator_key);
  if (!list.ok())
    return Status(list.status().code(), path + ": " + std::string(list.status().message()));
  return list;
}

}  // namespace depin::verify
