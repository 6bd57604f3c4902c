#include "ledger/records.h"

#include <algorithm>
#include <string>

namespace depin::ledger {

std::string_view DeviceStatusName(DeviceStatus s) {
  switch (s) {
    case DeviceStatus::kActive:
      return "active";
    case DeviceStatus::kSuspended:
      return "suspended";
    case DeviceStatus::kDenied:
      return "denied";
  }
  return "unknown";
}
namespace {

using util::Bytes;
using util::ByteWriter;

// A reader that remembers the first failure, so decoders read straight through and check once.
class Reader {
 public:
  explicit Reader(util::ByteView b) : r_(b) {}
  uint64_t U64() { return Take(r_.U64()); }
  uint32_t U32() { return Take(r_.U32()); }
  uint8_t U8() { return Take(r_.U8()); }
  void Raw(uint8_t* out, size_t n) {
    auto v = r_.Raw(n);
    if (!v.ok()) {
      ok_ = false;
      return;
    }
    std::copy(v->begin(), v->end(), out);
  }
  std::string String(size_t limit) {
    uint32_t n = U32();
    if (!ok_ || n > limit) {
      ok_ = false;
      return {};
    }
    auto v = r_.Raw(n);
    if (!v.ok()) {
      ok_ = false;
      return {};
    }
    return std::string(util::AsChars(*v));
  }
  // OK iff every read succeeded and nothing is left over.
  util::Status Done(std::string_view record) const {
    if (ok_ && r_.remaining() == 0) return util::Status::Ok();
    return util::Status::Corruption("state record " + std::string(record) + ": malformed value");
  }

 private:
  template <typename T>
  T Take(util::Result<T> v) {
    if (!v.ok()) {
      ok_ = false;
      return T{};
    }
    return *v;
  }
  util::ByteReader r_;
  bool ok_ = true;
};

std::string Key(char prefix, std::initializer_list<util::ByteView> parts) {
  std::string k;
  k.reserve(2 + 64);
  k.push_back(prefix);
  k.push_back('/');
  for (util::ByteView p : parts) k.append(util::AsChars(p));
  return k;
}

// Big-endian so that keys sort by number.
std::array<uint8_t, 8> BigEndian(uint64_t v) {
  std::array<uint8_t, 8> out;
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
  return out;
}

}  // namespace

namespace keys {
std::string Account(const Address& a) { return Key('a', {a.view()}); }
std::string Device(const Address& d) { return Key('d', {d.view()}); }
std::string OwnerDevice(const Address& owner, const Address& d) {
  return Key('o', {owner.view(), d.view()});
}
std::string OwnerDevicePrefix(const Address& owner) { return Key('o', {owner.view()}); }
std::string Maker(const Address& m) { return Key('m', {m.view()}); }
std::string Price(const Address& oracle) { return Key('p', {oracle.view()}); }
std::string Stake(const Address& staker, const std::optional<Address>& device) {
  // Undelegated stake uses the all-zero key, which is never a valid Ed25519 device key.
  Address none;
  return Key('s', {staker.view(), device ? device->view() : none.view()});
}
std::string Unbonding(const Address& staker) { return Key('u', {staker.view()}); }
std::string Delegation(const Address& owner, const Address& delegate) {
  return Key('c', {owner.view(), delegate.view()});
}
std::string CreditBasis(const Address& a) { return Key('b', {a.view()}); }
std::string DelegationBasis(const Address& owner, const Address& delegate) {
  return Key('k', {owner.view(), delegate.view()});
}
std::string RewardRoot(uint64_t epoch) {
  auto be = BigEndian(epoch);
  return Key('e', {be});
}
std::string Claimed(const Address& device) { return Key('r', {device.view()}); }
std::string NetworkCredits(uint32_t network) {
  auto be = BigEndian(network);
  return Key('n', {util::ByteView(be).subspan(4)});
}
std::string UsageSettlement(uint64_t epoch, uint32_t chunk) {
  auto e = BigEndian(epoch);
  auto c = BigEndian(chunk);
  return Key('x', {e, util::ByteView(c).subspan(4)});
}
std::string Globals() { return "g/"; }
}  // namespace keys

Bytes EncodeU64(uint64_t v) {
  Bytes out;
  ByteWriter(&out).U64(v);
  return out;
}

Bytes Encode(const Account& v) {
  Bytes out;
  ByteWriter w(&out);
  w.U64(v.balance);
  w.U64(v.nonce);
  w.U64(v.credits);
  return out;
}
util::Result<Account> DecodeAccount(util::ByteView b) {
  Reader r(b);
  Account v;
  v.balance = r.U64();
  v.nonce = r.U64();
  v.credits = r.U64();
  DEPIN_RETURN_IF_ERROR(r.Done("account"));
  return v;
}

Bytes Encode(const Device& v) {
  Bytes out;
  ByteWriter w(&out);
  w.Raw(v.owner.view());
  w.Raw(v.maker.view());
  w.U32(v.resource_class);
  w.U64(v.cell);
  w.U64(v.onboarded_height);
  w.U32(v.location_asserts);
  w.U8(static_cast<uint8_t>(v.status));
  return out;
}
util::Result<Device> DecodeDevice(util::ByteView b) {
  Reader r(b);
  Device v;
  r.Raw(v.owner.bytes.data(), 32);
  r.Raw(v.maker.bytes.data(), 32);
  v.resource_class = r.U32();
  v.cell = r.U64();
  v.onboarded_height = r.U64();
  v.location_asserts = r.U32();
  v.status = static_cast<DeviceStatus>(r.U8());
  DEPIN_RETURN_IF_ERROR(r.Done("device"));
  return v;
}

Bytes Encode(const Maker& v) {
  Bytes out;
  ByteWriter w(&out);
  w.LengthPrefixed(util::AsBytes(v.name));
  w.U64(v.devices);
  return out;
}
util::Result<Maker> DecodeMaker(util::ByteView b) {
  Reader r(b);
  Maker v;
  v.name = r.String(kMaxMakerNameBytes);
  v.devices = r.U64();
  DEPIN_RETURN_IF_ERROR(r.Done("maker"));
  return v;
}

Bytes Encode(const PriceEntry& v) {
  Bytes out;
  ByteWriter w(&out);
  w.U64(v.usd_e8_per_token);
  w.I64(v.timestamp_ms);
  return out;
}
util::Result<PriceEntry> DecodePriceEntry(util::ByteView b) {
  Reader r(b);
  PriceEntry v;
  v.usd_e8_per_token = r.U64();
  v.timestamp_ms = static_cast<int64_t>(r.U64());
  DEPIN_RETURN_IF_ERROR(r.Done("price"));
  return v;
}

Bytes Encode(const Unbonding& v) {
  Bytes out;
  ByteWriter w(&out);
  w.U64(v.amount);
  w.U64(v.release_epoch);
  return out;
}
util::Result<Unbonding> DecodeUnbonding(util::ByteView b) {
  Reader r(b);
  Unbonding v;
  v.amount = r.U64();
  v.release_epoch = r.U64();
  DEPIN_RETURN_IF_ERROR(r.Done("unbonding"));
  return v;
}

Bytes Encode(const UsageSettlement& v) {
  Bytes out;
  ByteWriter w(&out);
  w.U64(v.requested);
  w.U64(v.debited);
  return out;
}
util::Result<UsageSettlement> DecodeUsageSettlement(util::ByteView b) {
  Reader r(b);
  UsageSettlement v;
  v.requested = r.U64();
  v.debited = r.U64();
  DEPIN_RETURN_IF_ERROR(r.Done("usage settlement"));
  return v;
}

Bytes Encode(const RewardRoot& v) {
  Bytes out;
  ByteWriter w(&out);
  w.Raw(v.root);
  w.U64(v.total_minted);
  return out;
}
util::Result<RewardRoot> DecodeRewardRoot(util::ByteView b) {
  Reader r(b);
  RewardRoot v;
  r.Raw(v.root.data(), v.root.size());
  v.total_minted = r.U64();
  DEPIN_RETURN_IF_ERROR(r.Done("reward root"));
  return v;
}

Bytes Encode(const Globals& v) {
  Bytes out;
  ByteWriter w(&out);
  for (uint64_t x : {v.genesis, v.supply, v.minted, v.burned, v.burned_for_credits, v.reward_pool,
                     v.staked, v.reemit_pool, v.credits_minted, v.credits_spent}) {
    w.U64(x);
  }
  return out;
}
util::Result<Globals> DecodeGlobals(util::ByteView b) {
  Reader r(b);
  Globals v;
  for (uint64_t* x :
       {&v.genesis, &v.supply, &v.minted, &v.burned, &v.burned_for_credits, &v.reward_pool,
        &v.staked, &v.reemit_pool, &v.credits_minted, &v.credits_spent}) {
    *x = r.U64();
  }
  DEPIN_RETURN_IF_ERROR(r.Done("globals"));
  return v;
}

util::Result<uint64_t> DecodeU64(util::ByteView b) {
  Reader r(b);
  uint64_t v = r.U64();
  DEPIN_RETURN_IF_ERROR(r.Done("u64"));
  return v;
}

}  // namespace depin::ledger
