#include "rewards/manifest_json.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "util/encoding.h"
#include "verify/fixed_point.h"

namespace depin::rewards {
namespace {

using json = nlohmann::json;
using util::Status;
using verify::u128;

// Each record's fields are listed once, in a Visit function, and walked by a Writer (to JSON)
// or a Reader (from JSON), so the two directions cannot drift apart.
// Writes one JSON object straight to text: fields are collected as (key, encoded value), sorted
// by key bytes (the order nlohmann's std::map uses), and emitted compactly. Streaming text instead
// of a DOM keeps a million-device manifest to its own size in memory.
class Writer {
 public:
  void U64(const char* k, const uint64_t& v) { Put(k, Quote(std::to_string(v))); }
  void U128(const char* k, const u128& v) { Put(k, Quote(verify::U128ToString(v))); }
  void U32(const char* k, const uint32_t& v) { Put(k, std::to_string(v)); }
  void U8(const char* k, const uint8_t& v) { Put(k, std::to_string(v)); }
  void Bool(const char* k, const bool& v) { Put(k, v ? "true" : "false"); }
  void Str(const char* k, const std::string& v) { Put(k, Escape(v)); }
  void KeyField(const char* k, const Key& v) { Put(k, Quote(v.ToBase58())); }
  // `json_text` is already-encoded JSON (an object or array).
  void Raw(const char* k, std::string json_text) { Put(k, std::move(json_text)); }

  // Appends the object to `out` and resets the writer.
  void FinishTo(std::string& out) {
    std::sort(fields_.begin(), fields_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out += '{';
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) out += ',';
      out += '"';
      out += fields_[i].first;
      out += "\":";
      out += fields_[i].second;
    }
    out += '}';
    fields_.clear();
  }
  std::string Finish() {
    std::string out;
    FinishTo(out);
    return out;
  }

  static std::string Quote(std::string s) { return '"' + std::move(s) + '"'; }
  // JSON string escaping as nlohmann's dump does it (UTF-8 passes through).
  static std::string Escape(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out += static_cast<char>(c);
          }
      }
    }
    out += '"';
    return out;
  }

 private:
  void Put(std::string_view k, std::string v) { fields_.emplace_back(k, std::move(v)); }
  std::vector<std::pair<std::string_view, std::string>> fields_;
};

class Reader {
 public:
  Reader(const json& in, std::string path, Status* status)
      : in_(in), path_(std::move(path)), status_(status) {}
  void U64(const char* k, uint64_t& v) {
    u128 wide = 0;
    U128(k, wide);
    if (wide > UINT64_MAX) return Fail(k, "exceeds 2^64 - 1");
    v = static_cast<uint64_t>(wide);
  }
  void U128(const char* k, u128& v) {
    const json* j = Field(k, json::value_t::string);
    if (j == nullptr) return;
    const std::string& s = j->get_ref<const std::string&>();
    if (s.empty() || s.size() > 39 || (s.size() > 1 && s[0] == '0')) {
      return Fail(k, "not a canonical decimal integer");
    }
    v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return Fail(k, "not a decimal integer");
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
  }
  void U32(const char* k, uint32_t& v) {
    const json* j = Field(k, json::value_t::number_unsigned);
    if (j == nullptr) return;
    uint64_t x = j->get<uint64_t>();
    if (x > UINT32_MAX) return Fail(k, "exceeds 2^32 - 1");
    v = static_cast<uint32_t>(x);
  }
  void U8(const char* k, uint8_t& v) {
    uint32_t x = 0;
    U32(k, x);
    if (x > UINT8_MAX) return Fail(k, "exceeds 255");
    v = static_cast<uint8_t>(x);
  }
  void Bool(const char* k, bool& v) {
    const json* j = Field(k, json::value_t::boolean);
    if (j != nullptr) v = j->get<bool>();
  }
  void Str(const char* k, std::string& v) {
    const json* j = Field(k, json::value_t::string);
    if (j != nullptr) v = j->get<std::string>();
  }
  void KeyField(const char* k, Key& v) {
    std::string s;
    Str(k, s);
    if (!status_->ok()) return;
    auto key = Key::FromBase58(s);
    if (!key.ok()) return Fail(k, std::string(key.status().message()));
    v = *key;
  }
  // The named member, which must have type `type` (an unsigned number may also be stored as an
  // integer by a third-party writer).
  const json* Field(const char* k, json::value_t type) {
    if (!status_->ok()) return nullptr;
    auto it = in_.find(k);
    if (it == in_.end()) {
      Fail(k, "missing");
      return nullptr;
    }
    bool ok = it->type() == type || (type == json::value_t::number_unsigned &&
                                     it->is_number_integer() && it->get<int64_t>() >= 0);
    if (!ok) {
      Fail(k, std::string("expected ") + json(type).type_name() + ", got " + it->type_name());
      return nullptr;
    }
    return &*it;
  }
  void Fail(const char* k, const std::string& what) {
    if (status_->ok())
      *status_ = Status::InvalidArgument("manifest: " + path_ + "." + k + ": " + what);
  }
  const std::string& path() const { return path_; }

 private:
  const json& in_;
  std::string path_;
  Status* status_;
};

template <typename V, typename P>
void VisitPoolConfig(V& v, P& p) {
  v.Str("name", p.name);
  v.U32("share_ppm", p.share_ppm);
  v.KeyField("recipient", p.recipient);
}

template <typename V, typename P>
void VisitPool(V& v, P& p) {
  v.Str("name", p.name);
  v.U32("share_ppm", p.share_ppm);
  v.U64("budget", p.budget);
  v.U64("overflow_in", p.overflow_in);
  v.U64("overflow_out", p.overflow_out);
  v.U64("paid", p.paid);
  v.U64("unallocated", p.unallocated);
  v.U128("total_shares", p.total_shares);
  v.KeyField("recipient", p.recipient);
}

template <typename V, typename D>
void VisitDevice(V& v, D& d) {
  v.KeyField("device", d.device);
  v.U64("amount", d.amount);
  v.U64("availability_amount", d.availability_amount);
  v.U64("usage_amount", d.usage_amount);
  v.Bool("deactivated", d.deactivated);
  v.U32("heartbeats", d.heartbeats);
  v.U32("heartbeats_without_fix", d.heartbeats_without_fix);
  v.U32("heartbeat_hours", d.heartbeat_hours);
  v.Bool("uptime_ok", d.uptime_ok);
  v.U32("location_trust_ppm", d.location_trust_ppm);
  v.U32("speedtests", d.speedtests);
  v.U64("avg_download_bps", d.avg_download_bps);
  v.U64("avg_upload_bps", d.avg_upload_bps);
  v.U64("avg_latency_ms", d.avg_latency_ms);
  v.U8("speedtest_tier", d.speedtest_tier);
  v.U32("speedtest_ppm", d.speedtest_ppm);
  v.U64("availability_units", d.availability_units);
  v.Bool("units_from_proofs", d.units_from_proofs);
  v.U32("receipts", d.receipts);
  v.U64("dc_burned", d.dc_burned);
  v.U64("self_paid_dc", d.self_paid_dc);
  v.U64("usage_bytes", d.usage_bytes);
  v.U64("usage_share", d.usage_share);
  v.U64("usage_cap", d.usage_cap);
  v.U32("valid_reports", d.valid_reports);
  v.U64("prior_cumulative", d.prior_cumulative);
  v.U64("cumulative", d.cumulative);
}

template <typename V, typename T>
void VisitTier(V& v, T& t) {
  v.Str("name", t.name);
  v.U64("min_download_bps", t.min_download_bps);
  v.U64("min_upload_bps", t.min_upload_bps);
  v.U32("latency_below_ms", t.latency_below_ms);
  v.U32("multiplier_ppm", t.multiplier_ppm);
}

template <typename V, typename P>
void VisitVerifyParams(V& v, P& p) {
  v.U32("min_heartbeat_hours", p.min_heartbeat_hours);
  v.U64("max_clock_skew_ms", p.max_clock_skew_ms);
  v.U32("min_speedtests", p.min_speedtests);
  v.U64("bytes_per_dc", p.bytes_per_dc);
}

template <typename V, typename M>
void VisitHeader(V& v, M& m) {
  v.U64("epoch", m.epoch);
  v.U64("start_ms", m.start_ms);
  v.U64("end_ms", m.end_ms);
  v.U64("emission", m.emission);
  v.U64("unallocated_total", m.unallocated_total);
  v.U64("reports_seen", m.reports_seen);
  v.U64("unknown_device_reports", m.unknown_device_reports);
  v.U64("corrupt_records", m.corrupt_records);
}

// Encodes `items` as a JSON array of objects, each filled by `visit`.
template <typename T, typename F>
std::string WriteArray(const std::vector<T>& items, F visit) {
  std::string out = "[";
  Writer w;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    visit(w, items[i]);
    w.FinishTo(out);
  }
  out += ']';
  return out;
}

template <typename T, typename F>
void ReadArray(Reader& parent, const char* key, std::vector<T>* items, Status* status, F visit) {
  const json* arr = parent.Field(key, json::value_t::array);
  if (arr == nullptr) return;
  items->clear();
  for (size_t i = 0; i < arr->size() && status->ok(); ++i) {
    const json& o = (*arr)[i];
    std::string path = parent.path() + "." + key + "[" + std::to_string(i) + "]";
    if (!o.is_object()) {
      *status = Status::InvalidArgument("manifest: " + path + ": expected object");
      return;
    }
    Reader r(o, path, status);
    T item{};
    visit(r, item);
    items->push_back(std::move(item));
  }
}

std::string InvalidToJson(const verify::InvalidCounts& counts) {
  Writer w;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] != 0) {
      w.U32(verify::InvalidReasonName(static_cast<verify::InvalidReason>(i)).data(), counts[i]);
    }
  }
  return w.Finish();
}

// Streams the devices array to `sink` in chunks of about 1 MiB.
void DevicesToJson(const Manifest& m, const JsonSink& sink) {
  const auto& tiers = m.config.verify.speedtest_tiers;
  std::string buf = "[";
  Writer w;
  for (size_t i = 0; i < m.devices.size(); ++i) {
    const DeviceEntry& d = m.devices[i];
    if (i > 0) buf += ',';
    VisitDevice(w, d);
    w.Raw("invalid", InvalidToJson(d.invalid));
    w.Str("speedtest_tier_name", d.speedtest_tier < tiers.size()
                                     ? tiers[d.speedtest_tier].name
                                     : std::string(verify::kFailTierName));
    w.FinishTo(buf);
    if (buf.size() >= (1u << 20)) {
      sink(buf);
      buf.clear();
    }
  }
  buf += ']';
  sink(buf);
}

std::string ParamsToJson(const RewardConfig& c) {
  Writer vw;
  VisitVerifyParams(vw, c.verify);
  vw.Raw("location_trust",
         WriteArray(c.verify.location_trust, [](Writer& sw, const verify::LocationTrustStep& s) {
           sw.U32("max_distance_m", s.max_distance_m);
           sw.U32("trust_ppm", s.trust_ppm);
         }));
  vw.Raw("speedtest_tiers",
         WriteArray(c.verify.speedtest_tiers,
                    [](Writer& tw, const verify::SpeedtestTier& t) { VisitTier(tw, t); }));
  Writer pw;
  pw.Raw("pools", WriteArray(c.pools, [](Writer& x, const PoolConfig& p) {
           VisitPoolConfig(x, p);
           x.Str("kind", std::string(PoolKindName(p.kind)));
         }));
  pw.Raw("usage_overflow", WriteArray(c.usage_overflow, [](Writer& x, const OverflowTarget& t) {
           x.Str("pool", t.pool);
           x.U32("weight_ppm", t.weight_ppm);
         }));
  pw.U32("usage_cap_multiple_ppm", c.usage_cap_multiple_ppm);
  pw.Raw("verify", vw.Finish());
  return pw.Finish();
}

void ToJsonText(const Manifest& m, const JsonSink& sink) {
  Writer w;
  VisitHeader(w, m);
  w.Str("format", std::string(kManifestFormat));
  w.Str("root", crypto::ToHex(m.root));
  Writer price;
  price.U64("base_units", m.dc_price.base_units);
  price.U64("dc", m.dc_price.dc);
  w.Raw("dc_price", price.Finish());
  w.Raw("params", ParamsToJson(m.config));
  w.Raw("pools", WriteArray(m.pools, [](Writer& x, const PoolEntry& p) {
          VisitPool(x, p);
          x.Str("kind", std::string(PoolKindName(p.kind)));
        }));
  w.Raw("recipients", WriteArray(m.recipients, [](Writer& x, const RecipientEntry& r) {
          x.Str("pool", r.pool);
          x.KeyField("recipient", r.recipient);
          x.U64("amount", r.amount);
        }));
  w.Raw("unallocated", WriteArray(m.unallocated, [](Writer& x, const UnallocatedEntry& u) {
          x.Str("pool", u.pool);
          x.Str("reason", u.reason);
          x.U64("amount", u.amount);
        }));
  w.Raw("payer_burns", WriteArray(m.payer_burns, [](Writer& x, const verify::PayerBurn& b) {
          x.KeyField("payer", b.payer);
          x.U64("dc_burned", b.dc_burned);
        }));
  w.Raw("leaves", WriteArray(m.leaves, [](Writer& x, const RewardLeaf& l) {
          x.KeyField("key", l.key);
          x.U64("cumulative", l.cumulative);
        }));
  // The devices array is most of a large manifest: stream it rather than hold it. "devices"
  // sorts between "dc_price" and "emission" (the first top-level field after "dc_price", whose
  // value has no "emission" inside), so it is spliced in there.
  std::string rest = w.Finish();
  size_t at = rest.find(",\"emission\":");
  sink(std::string_view(rest).substr(0, at));
  sink(",\"devices\":");
  DevicesToJson(m, sink);
  sink(std::string_view(rest).substr(at));
}

PoolKind KindFromName(const std::string& name, Reader& r) {
  for (PoolKind k : {PoolKind::kAvailability, PoolKind::kUsage, PoolKind::kRecipient}) {
    if (PoolKindName(k) == name) return k;
  }
  r.Fail("kind", "unknown pool kind \"" + name + "\"");
  return PoolKind::kAvailability;
}

}  // namespace

void WriteManifestJson(const Manifest& m, const JsonSink& sink) { ToJsonText(m, sink); }

std::string ManifestToJson(const Manifest& m) {
  std::string out;
  ToJsonText(m, [&out](std::string_view chunk) { out += chunk; });
  return out;
}

std::string ManifestToPrettyJson(const Manifest& m) {
  return json::parse(ManifestToJson(m), nullptr, /*allow_exceptions=*/false).dump(2);
}

crypto::Hash256 ManifestHash(const Manifest& m) {
  crypto::Sha256Hasher hasher;
  ToJsonText(m, [&hasher](std::string_view chunk) { hasher.Update(util::AsBytes(chunk)); });
  return hasher.Finish();
}

namespace {

util::Result<Manifest> ManifestFromDom(const json& j) {
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("manifest: not a JSON object");
  }
  Status status;
  Manifest m;
  Reader r(j, "$", &status);
  std::string format;
  r.Str("format", format);
  if (status.ok() && format != kManifestFormat) r.Fail("format", "unsupported \"" + format + "\"");
  VisitHeader(r, m);
  std::string root_hex;
  r.Str("root", root_hex);
  if (status.ok()) {
    auto root = util::HexDecodeExact(root_hex, crypto::kHashSize);
    if (!root.ok())
      r.Fail("root", std::string(root.status().message()));
    else
      std::copy(root->begin(), root->end(), m.root.begin());
  }
  if (const json* price = r.Field("dc_price", json::value_t::object)) {
    Reader pr(*price, "$.dc_price", &status);
    pr.U64("base_units", m.dc_price.base_units);
    pr.U64("dc", m.dc_price.dc);
  }
  if (const json* params = r.Field("params", json::value_t::object)) {
    Reader pr(*params, "$.params", &status);
    ReadArray(pr, "pools", &m.config.pools, &status, [](Reader& x, PoolConfig& p) {
      VisitPoolConfig(x, p);
      std::string kind;
      x.Str("kind", kind);
      p.kind = KindFromName(kind, x);
    });
    ReadArray(pr, "usage_overflow", &m.config.usage_overflow, &status,
              [](Reader& x, OverflowTarget& t) {
                x.Str("pool", t.pool);
                x.U32("weight_ppm", t.weight_ppm);
              });
    pr.U32("usage_cap_multiple_ppm", m.config.usage_cap_multiple_ppm);
    if (const json* vp = pr.Field("verify", json::value_t::object)) {
      Reader vr(*vp, "$.params.verify", &status);
      VisitVerifyParams(vr, m.config.verify);
      ReadArray(vr, "location_trust", &m.config.verify.location_trust, &status,
                [](Reader& x, verify::LocationTrustStep& s) {
                  x.U32("max_distance_m", s.max_distance_m);
                  x.U32("trust_ppm", s.trust_ppm);
                });
      ReadArray(vr, "speedtest_tiers", &m.config.verify.speedtest_tiers, &status,
                [](Reader& x, verify::SpeedtestTier& t) { VisitTier(x, t); });
    }
  }
  ReadArray(r, "pools", &m.pools, &status, [](Reader& x, PoolEntry& p) {
    VisitPool(x, p);
    std::string kind;
    x.Str("kind", kind);
    p.kind = KindFromName(kind, x);
  });
  ReadArray(r, "devices", &m.devices, &status, [&status](Reader& x, DeviceEntry& d) {
    VisitDevice(x, d);
    const json* inv = x.Field("invalid", json::value_t::object);
    if (inv == nullptr) return;
    Reader ir(*inv, x.path() + ".invalid", &status);
    for (size_t i = 0; i < verify::kInvalidReasonCount; ++i) {
      std::string name(verify::InvalidReasonName(static_cast<verify::InvalidReason>(i)));
      if (inv->contains(name)) ir.U32(name.c_str(), d.invalid[i]);
    }
  });
  ReadArray(r, "recipients", &m.recipients, &status, [](Reader& x, RecipientEntry& e) {
    x.Str("pool", e.pool);
    x.KeyField("recipient", e.recipient);
    x.U64("amount", e.amount);
  });
  ReadArray(r, "unallocated", &m.unallocated, &status, [](Reader& x, UnallocatedEntry& u) {
    x.Str("pool", u.pool);
    x.Str("reason", u.reason);
    x.U64("amount", u.amount);
  });
  ReadArray(r, "payer_burns", &m.payer_burns, &status, [](Reader& x, verify::PayerBurn& b) {
    x.KeyField("payer", b.payer);
    x.U64("dc_burned", b.dc_burned);
  });
  ReadArray(r, "leaves", &m.leaves, &status, [](Reader& x, RewardLeaf& l) {
    x.KeyField("key", l.key);
    x.U64("cumulative", l.cumulative);
  });
  if (!status.ok()) return status;
  for (size_t i = 1; i < m.leaves.size(); ++i) {
    if (!(m.leaves[i - 1].key < m.leaves[i].key)) {
      return Status::InvalidArgument("manifest: $.leaves[" + std::to_string(i) +
                                     "]: leaves must be sorted by key without duplicates");
    }
  }
  if (crypto::MerkleRoot(RewardLeafHashes(m.leaves)) != m.root) {
    return Status::Corruption("manifest: epoch " + std::to_string(m.epoch) +
                              ": leaves do not hash to the stated root");
  }
  return m;
}

}  // namespace

util::Result<Manifest> ManifestFromJson(std::string_view text) {
  return ManifestFromDom(json::parse(text, nullptr, /*allow_exceptions=*/false));
}

util::Result<Manifest> ManifestFromJsonForDevice(std::string_view text, const Key& device) {
  // Drop every element of the top-level "devices" array except `device`'s as it is parsed, so
  // the DOM never holds more than one device entry.
  const std::string wanted = device.ToBase58();
  std::string top_key;
  json::parser_callback_t keep = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth == 1 && event == json::parse_event_t::key) top_key = parsed.get<std::string>();
    if (depth == 2 && event == json::parse_event_t::object_end && top_key == "devices") {
      auto it = parsed.find("device");
      return it != parsed.end() && it->is_string() && it->get_ref<const std::string&>() == wanted;
    }
    return true;
  };
  return ManifestFromDom(json::parse(text, keep, /*allow_exceptions=*/false));
}

}  // namespace depin::rewards
