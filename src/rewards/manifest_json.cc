#include "rewards/manifest_json.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "rewards/manifest_fields.h"
#include "verify/fixed_point.h"

namespace depin::rewards {
namespace {

using namespace internal;  // NOLINT(google-build-using-namespace): the Visit functions
using json = nlohmann::json;
using verify::u128;

// Writes one JSON object straight to text: fields are collected as (key, encoded value), sorted
// by key bytes (the order nlohmann's std::map uses), and emitted compactly. Streaming text instead
// of a DOM keeps a million-device manifest to its own size in memory.
class Writer {
 public:
  void U64(const char* k, const uint64_t& v) { Put(k, Quote(std::to_string(v))); }
  void OptionalU64(const char* k, const uint64_t& v) { U64(k, v); }
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

// Evidence for a device whose units origin density reduced (verify/origin_density.h).
std::string OriginToJson(const DeviceEntry& d) {
  Writer w;
  w.U64("id", d.origin);
  w.U32("devices", d.origin_devices);
  w.U32("rank", d.origin_rank);
  w.U32("multiplier_ppm", d.origin_ppm);
  return w.Finish();
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
    if (d.resource_class != 0) w.U32("class", d.resource_class);  // absent: class 0
    if (d.beacons + d.witnesses + d.sensor_batches > 0) {         // absent for other devices
      Writer pw;
      pw.U32("beacons", d.beacons);
      pw.U32("witnesses", d.witnesses);
      pw.U32("sensor_batches", d.sensor_batches);
      pw.U32("qod_ppm", d.qod_ppm);
      w.Raw("proofs", pw.Finish());
    }
    if (d.origin_ppm != verify::kPpmOne) w.Raw("origin", OriginToJson(d));
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
  if (!m.flags.empty()) {  // absent when nothing was flagged (older manifests have none)
    w.Raw("flags", WriteArray(m.flags, [](Writer& x, const verify::DeviceFlag& f) {
            x.KeyField("device", f.device);
            x.Str("reason", std::string(verify::InvalidReasonName(f.reason)));
            x.Str("evidence", f.evidence);
          }));
  }
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

}  // namespace depin::rewards
