// Reading manifests back from JSON (ManifestFromJson, ManifestFromJsonForDevice): no exceptions;
// the first bad field is reported with its JSON path.
#include <nlohmann/json.hpp>

#include "rewards/manifest_fields.h"
#include "rewards/manifest_json.h"
#include "util/encoding.h"
#include "verify/fixed_point.h"

namespace depin::rewards {
namespace {

using namespace internal;  // NOLINT(google-build-using-namespace): the Visit functions
using json = nlohmann::json;
using util::Status;
using verify::u128;

// Reads fields of one JSON object into a record; the first error (with its JSON path) sticks in
// *status and later reads do nothing.
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
  void OptionalU64(const char* k, uint64_t& v) {
    if (in_.contains(k)) U64(k, v);
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
  // The named member if present (with type `type`), else nullptr without an error.
  const json* Optional(const char* k, json::value_t type) {
    if (!status_->ok() || in_.find(k) == in_.end()) return nullptr;
    return Field(k, type);
  }
  void Fail(const char* k, const std::string& what) {
    if (status_->ok())
      *status_ = Status::InvalidArgument("manifest: " + path_ + "." + k + ": " + what);
  }
  const std::string& path() const { return path_; }
  bool Has(const char* k) const { return in_.contains(k); }

 private:
  const json& in_;
  std::string path_;
  Status* status_;
};

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

PoolKind KindFromName(const std::string& name, Reader& r) {
  for (PoolKind k : {PoolKind::kAvailability, PoolKind::kUsage, PoolKind::kRecipient}) {
    if (PoolKindName(k) == name) return k;
  }
  r.Fail("kind", "unknown pool kind \"" + name + "\"");
  return PoolKind::kAvailability;
}

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
    if (x.Optional("class", json::value_t::number_unsigned)) x.U32("class", d.resource_class);
    if (const json* proofs = x.Optional("proofs", json::value_t::object)) {
      Reader pr(*proofs, x.path() + ".proofs", &status);
      pr.U32("beacons", d.beacons);
      pr.U32("witnesses", d.witnesses);
      pr.U32("sensor_batches", d.sensor_batches);
      pr.U32("qod_ppm", d.qod_ppm);
    }
    const json* inv = x.Field("invalid", json::value_t::object);
    if (inv == nullptr) return;
    Reader ir(*inv, x.path() + ".invalid", &status);
    for (size_t i = 0; i < verify::kInvalidReasonCount; ++i) {
      std::string name(verify::InvalidReasonName(static_cast<verify::InvalidReason>(i)));
      if (inv->contains(name)) ir.U32(name.c_str(), d.invalid[i]);
    }
    if (x.Has("origin")) {  // only reduced devices carry it
      const json* origin = x.Field("origin", json::value_t::object);
      if (origin == nullptr) return;
      Reader orr(*origin, x.path() + ".origin", &status);
      orr.U64("id", d.origin);
      orr.U32("devices", d.origin_devices);
      orr.U32("rank", d.origin_rank);
      orr.U32("multiplier_ppm", d.origin_ppm);
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
  if (j.contains("flags")) {  // written only when a device was flagged
    ReadArray(r, "flags", &m.flags, &status, [](Reader& x, verify::DeviceFlag& f) {
      x.KeyField("device", f.device);
      std::string reason;
      x.Str("reason", reason);
      for (size_t i = 0; i < verify::kInvalidReasonCount; ++i) {
        if (verify::InvalidReasonName(static_cast<verify::InvalidReason>(i)) == reason) {
          f.reason = static_cast<verify::InvalidReason>(i);
        }
      }
      x.Str("evidence", f.evidence);
    });
  }
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
