// State records and the key layout of the ledger's key/value state. Every piece of state is one
// entry: a typed key (one ASCII prefix letter, '/', then fixed-width binary fields) and a small
// fixed-layout little-endian value. Keeping all state in one uniform map is what lets a single
// incremental hash (lthash.h) commit to all of it. See docs/ledger.md for the table.
// Pure functions and plain values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/tx.h"
#include "util/bytes.h"
#include "util/result.h"

namespace depin::ledger {

struct Account {
  uint64_t balance = 0;  // tokens, base units
  uint64_t nonce = 0;    // next expected nonce
  uint64_t credits = 0;  // data credits not delegated
};

// Administrative status (set_device_status): only active devices earn and report.
enum class DeviceStatus : uint8_t { kActive = 1, kSuspended = 2, kDenied = 3 };
std::string_view DeviceStatusName(DeviceStatus s);  // "active", "suspended", "denied", "unknown"

struct Device {
  Address owner;
  Address maker;
  uint32_t resource_class = 0;
  uint64_t cell = 0;  // S2 cell id; 0 = never asserted
  uint64_t onboarded_height = 0;
  uint32_t location_asserts = 0;
  DeviceStatus status = DeviceStatus::kActive;
};

struct Maker {
  std::string name;
  uint64_t devices = 0;  // onboarded so far
};

struct PriceEntry {
  uint64_t usd_e8_per_token = 0;
  int64_t timestamp_ms = 0;  // block time of the submission
};

struct Unbonding {
  uint64_t amount = 0;
  uint64_t release_epoch = 0;
};

struct RewardRoot {
  Hash256 root{};
  uint64_t total_minted = 0;
};

// Chunk `chunk` of an epoch's paid usage, settled by settle_usage: the DC the manifest counted
// as burned by the chunk's payers and the DC actually debited (less when a payer no longer held
// it; the shortfall is requested - debited).
struct UsageSettlement {
  uint64_t requested = 0;
  uint64_t debited = 0;
};

// Network-wide totals; the supply identity is supply = genesis + minted - burned.
struct Globals {
  uint64_t genesis = 0;
  uint64_t supply = 0;
  uint64_t minted = 0;
  uint64_t burned = 0;              // fees + burn_for_credits + slashes
  uint64_t burned_for_credits = 0;  // tokens
  uint64_t reward_pool = 0;         // minted, not yet claimed
  uint64_t staked = 0;              // staked + unbonding
  uint64_t reemit_pool = 0;         // tokens eligible for net re-emission
  uint64_t credits_minted = 0;      // DC
  uint64_t credits_spent = 0;       // DC
};

namespace keys {
std::string Account(const Address& a);
std::string Device(const Address& d);
std::string OwnerDevice(const Address& owner, const Address& d);  // index: devices by owner
std::string OwnerDevicePrefix(const Address& owner);
std::string Maker(const Address& m);
std::string Price(const Address& oracle);
std::string Stake(const Address& staker, const std::optional<Address>& device);
std::string Unbonding(const Address& staker);
std::string Delegation(const Address& owner, const Address& delegate);
// Cost basis: the tokens (base units) burned for the DC an account holds undelegated / a
// delegation holds (absent = 0). Spending or moving DC moves the pro-rata share of it.
std::string CreditBasis(const Address& a);
std::string DelegationBasis(const Address& owner, const Address& delegate);
std::string RewardRoot(uint64_t epoch);
std::string Claimed(const Address& device);
std::string NetworkCredits(uint32_t network);
std::string UsageSettlement(uint64_t epoch, uint32_t chunk);
std::string Globals();
}  // namespace keys

util::Bytes Encode(const Account& v);
util::Bytes Encode(const Device& v);
util::Bytes Encode(const Maker& v);
util::Bytes Encode(const PriceEntry& v);
util::Bytes Encode(const Unbonding& v);
util::Bytes Encode(const RewardRoot& v);
util::Bytes Encode(const UsageSettlement& v);
util::Bytes Encode(const Globals& v);
util::Bytes EncodeU64(uint64_t v);

// Decoders return Corruption naming the record on a malformed value (state is trusted input, so
// a failure here means the store is damaged).
util::Result<Account> DecodeAccount(util::ByteView b);
util::Result<Device> DecodeDevice(util::ByteView b);
util::Result<Maker> DecodeMaker(util::ByteView b);
util::Result<PriceEntry> DecodePriceEntry(util::ByteView b);
util::Result<Unbonding> DecodeUnbonding(util::ByteView b);
util::Result<RewardRoot> DecodeRewardRoot(util::ByteView b);
util::Result<UsageSettlement> DecodeUsageSettlement(util::ByteView b);
util::Result<Globals> DecodeGlobals(util::ByteView b);
util::Result<uint64_t> DecodeU64(util::ByteView b);

}  // namespace depin::ledger
