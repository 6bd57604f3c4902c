// Ledger transactions: the ledger's own C++ domain types, one struct per transaction kind, and
// their canonical binary encoding (the "native" layout: signing bytes, tx ids and block bodies).
//
// Every transaction has one primary signer (who pays the fee and whose nonce orders it) and may
// carry co-signatures (onboard_device: the maker's and the device's; slash: further oracle keys).
// All signatures cover the same signing bytes, bound to the network like everything signed
// (wire/domain.h):
//   domain(ledger-tx, network_id) || u8 kind || signer || u64 nonce || u64 fee || body || u8 n ||
//   n cosigner keys
// (integers little-endian). The tx id is SHA-256 of the signing bytes. A transaction may instead
// arrive in wire format (tx_codec.h, domain "opendepin/tx/v2"); both layouts carry the network id
// and the state machine refuses any other network's transactions (wrong_network). See
// docs/ledger.md.
//
// All types are plain values; functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/merkle.h"
#include "util/bytes.h"
#include "util/result.h"

namespace depin::ledger {

using Address = crypto::PublicKey;
using crypto::Hash256;

inline constexpr size_t kMaxTxBytes = 4096;
inline constexpr size_t kMaxCosigners = 16;
inline constexpr size_t kMaxMakerNameBytes = 64;
inline constexpr size_t kMaxProofDepth = 64;
// settle_usage debits per transaction: 64 x 40 bytes stays well inside kMaxTxBytes in both the
// native and the wire encoding.
inline constexpr size_t kMaxUsageDebits = 64;

// Moves tokens from the signer to `to`.
struct Transfer {
  Address to;
  uint64_t amount = 0;
};
// Burns `amount` tokens of the signer and mints data credits to `recipient` (default: the signer)
// at the oracle price; rejected (below_min_credits) if that would mint fewer than `min_credits`.
struct BurnForCredits {
  uint64_t amount = 0;
  uint64_t min_credits = 0;
  std::optional<Address> recipient = std::nullopt;
};
// Moves `amount` of the signer's DC into a delegation that `delegate` may spend on usage.
struct DelegateCredits {
  Address delegate;
  uint64_t amount = 0;
};
// Spends DC of `owner` on usage in `network`: signed by the owner, or by a delegate of the owner
// (then drawn from that delegation). The DC is destroyed and counted per network.
struct SpendCredits {
  Address owner;
  uint32_t network = 0;
  uint64_t amount = 0;
};
// A price-oracle key reports the token price: USD per whole token, fixed point with 8 decimals.
struct SubmitPrice {
  uint64_t usd_e8_per_token = 0;
};
// Governance registers a device maker.
struct RegisterMaker {
  Address maker;
  std::string name;
};
// Onboards `device` for `owner` (default: the signer); the signer pays the onboarding fee in DC.
// Co-signed by exactly the device, the maker and the owner keys other than the signer.
struct OnboardDevice {
  Address device;
  Address maker;
  uint32_t resource_class = 0;
  std::optional<Address> owner = std::nullopt;
};
// The owner records the device's S2 cell id; the first assertion is free.
struct AssertLocation {
  Address device;
  uint64_t cell = 0;
};
struct TransferDevice {
  Address device;
  Address new_owner;
};
// Stakes the signer's tokens, optionally delegated to a device.
struct Stake {
  uint64_t amount = 0;
  std::optional<Address> device;
};
// Moves staked tokens into the signer's unbonding balance, released after the cooldown.
struct Unstake {
  uint64_t amount = 0;
  std::optional<Address> device;
};
// Pays out `amount` (0 = all) of the signer's released unbonding balance.
struct Withdraw {
  uint64_t amount = 0;
};
// A reward-oracle key posts epoch `epoch`'s Merkle root over (device, cumulative lifetime reward)
// and the tokens minted for it.
struct PostRewardRoot {
  uint64_t epoch = 0;
  Hash256 root{};
  uint64_t total_minted = 0;
};
// Claims `device`'s cumulative lifetime reward proven against epoch `epoch`'s root; pays the
// difference to what was already claimed to the device's owner. Anyone may submit it.
struct ClaimRewards {
  Address device;
  uint64_t epoch = 0;
  uint64_t cumulative = 0;
  crypto::MerkleProof proof;
};
// Reduces (and burns) a stake; governance alone, or a quorum of reward-oracle keys.
struct Slash {
  Address staker;
  std::optional<Address> device;
  uint64_t amount = 0;
  uint32_t reason = 0;
};

// Governance sets a device's administrative status (records.h DeviceStatus: 1 active,
// 2 suspended, 3 denied) with a free-form reason code.
struct SetDeviceStatus {
  Address device;
  uint8_t status = 0;
  uint32_t reason = 0;
};

// DC a payer (router/customer key) burned on paid usage in an epoch (the manifest's payer_burns).
struct UsageDebit {
  Address payer;
  uint64_t dc = 0;
};
// A reward-oracle key settles chunk `chunk` of epoch `epoch`'s paid usage after the epoch's root
// is posted: each payer's delegations are debited by up to `dc` (1..kMaxUsageDebits entries,
// strictly ascending by payer, dc > 0). Each (epoch, chunk) applies once.
struct SettleUsage {
  uint64_t epoch = 0;
  uint32_t chunk = 0;
  std::vector<UsageDebit> debits;
};

using TxBody =
    std::variant<Transfer, BurnForCredits, DelegateCredits, SpendCredits, SubmitPrice,
                 RegisterMaker, OnboardDevice, AssertLocation, TransferDevice, Stake, Unstake,
                 Withdraw, PostRewardRoot, ClaimRewards, Slash, SetDeviceStatus, SettleUsage>;

// Stable wire numbers of the kinds (the variant index + 1); never reuse one.
enum class TxKind : uint8_t {
  kTransfer = 1,
  kBurnForCredits,
  kDelegateCredits,
  kSpendCredits,
  kSubmitPrice,
  kRegisterMaker,
  kOnboardDevice,
  kAssertLocation,
  kTransferDevice,
  kStake,
  kUnstake,
  kWithdraw,
  kPostRewardRoot,
  kClaimRewards,
  kSlash,
  kSetDeviceStatus,
  kSettleUsage,
};
std::string_view TxKindName(TxKind kind);

struct Cosignature {
  Address key;
  crypto::Signature sig{};
};

struct Tx {
  Address signer;
  uint64_t nonce = 0;
  uint64_t fee = 0;
  TxBody body;
  crypto::Signature sig{};
  std::vector<Cosignature> cosigs;

  // The network (chain id) the transaction is signed for: part of the signing bytes of both
  // layouts. Set it before SignTx; the state machine refuses another network's (wrong_network).
  std::string network_id;

  // Set only for a transaction that arrived in wire format (tx_codec.h): its signatures cover
  // wire's canonical signing bytes, which are kept verbatim together with the protobuf bytes (block
  // bodies store those). Empty for native transactions.
  util::Bytes wire_signing_bytes;
  util::Bytes wire_encoded;

  TxKind kind() const { return static_cast<TxKind>(body.index() + 1); }
};

// The bytes every signature of `tx` covers (independent of the signatures themselves): the
// native layout above, or wire_signing_bytes for a wire-format transaction.
util::Bytes SigningBytes(const Tx& tx);
Hash256 TxId(const Tx& tx);

// Full native encoding: u32 length + network id, the signing bytes after the domain, then the
// signature and cosignatures.
util::Bytes EncodeTx(const Tx& tx);
// Decodes untrusted bytes; InvalidArgument naming the field on truncation, unknown kind, trailing
// bytes or a limit (kMaxTxBytes, network id 1..32 bytes, kMaxCosigners, name and proof lengths,
// kMaxUsageDebits).
util::Result<Tx> DecodeTx(util::ByteView data);

// Signs `tx` as its signer (sets tx->sig) / adds a co-signature by `key`, for tx->network_id. The
// cosigner keys must be listed (AddCosigner) before anyone signs, since the signing bytes include
// them.
void AddCosigner(Tx* tx, const Address& key);
void SignTx(Tx* tx, const crypto::KeyPair& key);
void CosignTx(Tx* tx, const crypto::KeyPair& key);

// True iff the primary signature and every co-signature verify over SigningBytes(tx).
bool VerifyTxSignatures(const Tx& tx);

}  // namespace depin::ledger
