// `depin tx <kind> …`: build, sign and submit one ledger transaction to a running node
// (POST /v1/ledger/tx), then wait until it is committed or rejected (ledger/tx_client.h).
//   common: --node URL (default http://127.0.0.1:8080) --key FILE (the signer) [--nonce N]
//           [--fee N] [--no-wait] [--timeout SECONDS]
//   transfer --to ADDR --amount N   burn --amount N [--min-credits N] [--recipient ADDR]
//   delegate-credits --delegate ADDR --amount N
//   spend-credits [--owner ADDR] --network N --amount N
//   price --usd-e8 N                        register-maker --maker ADDR --name TEXT
//   onboard --maker-key FILE --device-key FILE [--class N] [--owner-key FILE]  (they co-sign)
//   set-device-status --device ADDR --status active|suspended|denied [--reason N]
//   assert-location --device ADDR --cell N  transfer-device --device ADDR --new-owner ADDR
//   stake|unstake --amount N [--device ADDR]   withdraw [--amount N]
//   post-root --epoch N --root HEX --minted N
//   claim --device ADDR --epoch N (--data DIR | --cumulative N --leaf-index N --leaf-count N
//         [--siblings HEX,HEX,…])
//   slash --staker ADDR [--device ADDR] --amount N [--reason N] [--cosign-key FILE]…
// Prints "tx <id>" and then "committed at height H index I" (or "pending" with --no-wait); a
// rejected tx exits 1 with "rejected: <tx_error name>". Nonce: --nonce, or the account's next
// nonce from GET /v1/ledger/accounts/{address}.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli.h"
#include "crypto/key_file.h"
#include "epoch/files.h"
#include "http/client.h"
#include "ledger/records.h"
#include "ledger/tx_client.h"
#include "ledger_http.h"
#include "rewards/manifest.h"
#include "util/encoding.h"

namespace depin::cli {
namespace {

struct TxArgs {
  std::string node = "http://127.0.0.1:8080";
  std::string key_file;
  std::optional<uint64_t> nonce;
  uint64_t fee = 0;
  bool no_wait = false;
  uint64_t timeout_s = 30;
  // Body fields (each subcommand binds the ones it uses).
  std::string to, delegate, owner, maker, name, device, new_owner, staker, root, data, siblings;
  std::string maker_key, device_key, owner_key;
  std::vector<std::string> cosign_keys;
  uint64_t amount = 0, min_credits = 0, usd_e8 = 0, cell = 0, epoch = 0, minted = 0;
  uint64_t cumulative = 0, leaf_index = 0, leaf_count = 0;
  uint32_t network = 0, resource_class = 0, reason = 0;
};

util::Result<ledger::Address> Addr(const std::string& text, const char* flag) {
  auto a = crypto::PublicKey::FromBase58(text);
  if (!a.ok()) return a.status().WithContext(flag);
  return *a;
}

util::Result<std::optional<ledger::Address>> OptAddr(const std::string& text, const char* flag) {
  if (text.empty()) return std::optional<ledger::Address>();
  DEPIN_ASSIGN_OR_RETURN(ledger::Address a, Addr(text, flag));
  return std::optional<ledger::Address>(a);
}

util::Result<crypto::Hash256> Hash(const std::string& hex, const char* flag) {
  auto raw = util::HexDecodeExact(hex, 32);
  if (!raw.ok()) return raw.status().WithContext(flag);
  crypto::Hash256 h;
  std::copy(raw->begin(), raw->end(), h.begin());
  return h;
}

util::Result<crypto::KeyPair> Key(const std::string& path, const char* flag) {
  auto k = crypto::ReadKeyFile(util::Env::Default(), path);
  if (!k.ok()) return k.status().WithContext(flag);
  return std::move(k).value();
}

// The transaction body, plus any co-signing keys, for one subcommand.
struct Built {
  ledger::TxBody body;
  std::vector<crypto::KeyPair> cosigners;
};
using BodyFn = std::function<util::Result<Built>(const TxArgs&, const crypto::KeyPair& signer)>;

util::Result<crypto::MerkleProof> ClaimProof(const TxArgs& a, const ledger::Address& device,
                                             uint64_t* cumulative) {
  if (!a.data.empty()) {
    DEPIN_ASSIGN_OR_RETURN(epoch::EpochLeaves leaves,
                           epoch::LoadEpochLeaves(util::Env::Default(), a.data, a.epoch));
    rewards::Manifest m;
    m.epoch = a.epoch;
    m.leaves = std::move(leaves.leaves);
    for (const auto& leaf : m.leaves) {
      if (leaf.key == device) *cumulative = leaf.cumulative;
    }
    return rewards::RewardProof(m, device);
  }
  crypto::MerkleProof p;
  p.leaf_index = a.leaf_index;
  p.leaf_count = a.leaf_count;
  *cumulative = a.cumulative;
  std::string rest = a.siblings;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    DEPIN_ASSIGN_OR_RETURN(crypto::Hash256 h, Hash(rest.substr(0, comma), "--siblings"));
    p.siblings.push_back(h);
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
  }
  return p;
}

util::Status Print(const ledger::TxOutcome& o) {
  switch (o.state) {
    case ledger::TxProgress::kPending:
      std::printf("pending\n");
      return util::Status::Ok();
    case ledger::TxProgress::kCommitted:
      std::printf("committed at height %llu index %llu\n",
                  static_cast<unsigned long long>(o.height),
                  static_cast<unsigned long long>(o.index));
      return util::Status::Ok();
    case ledger::TxProgress::kRejected:
      break;
  }
  std::printf("rejected: %s\n", o.tx_error.c_str());
  return util::Status::FailedPrecondition("tx " + crypto::ToHex(o.id) + " rejected: " + o.tx_error);
}

util::Status Run(const TxArgs& a, const BodyFn& make_body) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair signer, Key(a.key_file, "--key"));
  DEPIN_ASSIGN_OR_RETURN(Built built, make_body(a, signer));
  std::string host;
  uint16_t port = 0;
  DEPIN_RETURN_IF_ERROR(http::ParseServerUrl(a.node, &host, &port).WithContext("--node"));
  DEPIN_ASSIGN_OR_RETURN(auto http, http::DeviceClient::Connect(host, port));
  ledger::LedgerClient client(LedgerHttp(http.get()));
  uint64_t nonce = 0;
  if (a.nonce) {
    nonce = *a.nonce;
  } else {
    DEPIN_ASSIGN_OR_RETURN(ledger::AccountView acct, client.GetAccount(signer.public_key()));
    nonce = acct.nonce;
  }
  // Signed for the node's network: a transaction for another network is refused (wrong_network).
  DEPIN_ASSIGN_OR_RETURN(std::string network_id, client.GetNetworkId());
  std::vector<const crypto::KeyPair*> cosigners;
  for (const crypto::KeyPair& k : built.cosigners) cosigners.push_back(&k);
  ledger::Tx tx =
      ledger::BuildSignedTx(network_id, signer, nonce, a.fee, std::move(built.body), cosigners);
  DEPIN_ASSIGN_OR_RETURN(ledger::TxOutcome sent, client.Submit(tx));
  std::printf("tx %s\n", crypto::ToHex(sent.id).c_str());
  std::fflush(stdout);
  if (sent.state != ledger::TxProgress::kPending || a.no_wait) return Print(sent);
  DEPIN_ASSIGN_OR_RETURN(ledger::TxOutcome done,
                         client.WaitForTx(sent.id, std::chrono::seconds(a.timeout_s)));
  return Print(done);
}

// Registers `depin tx <name>` with the common flags; `bind` adds the body's flags.
CLI::App* AddTx(CLI::App& group, Selected& selected, const std::shared_ptr<TxArgs>& args,
                const std::string& name, const std::string& description, BodyFn make_body) {
  CLI::App* c = AddCommand(group, selected, name, description, [args, make_body] {
    return [args, make_body] { return Run(*args, make_body); };
  });
  c->add_option("--node", args->node, "Node API URL (default http://127.0.0.1:8080)");
  c->add_option("--key", args->key_file, "The signer's key file")->required();
  c->add_option("--nonce", args->nonce, "Nonce (default: the account's next nonce)");
  c->add_option("--fee", args->fee, "Fee in base units (default 0)");
  c->add_flag("--no-wait", args->no_wait, "Print the tx id and return without waiting");
  c->add_option("--timeout", args->timeout_s, "Seconds to wait for the outcome (default 30)");
  return c;
}

using Args = TxArgs;
using K = crypto::KeyPair;

void AddTransfers(CLI::App& g, Selected& sel, const std::shared_ptr<TxArgs>& args) {
  CLI::App* c = AddTx(g, sel, args, "transfer", "Send tokens",
                      [](const Args& a, const K&) -> util::Result<Built> {
                        DEPIN_ASSIGN_OR_RETURN(ledger::Address to, Addr(a.to, "--to"));
                        return util::Result<Built>(Built{ledger::Transfer{to, a.amount}, {}});
                      });
  c->add_option("--to", args->to, "Recipient address")->required();
  c->add_option("--amount", args->amount, "Base units")->required();
  c = AddTx(
      g, sel, args, "burn", "Burn tokens for data credits",
      [](const Args& a, const K&) -> util::Result<Built> {
        DEPIN_ASSIGN_OR_RETURN(auto to, OptAddr(a.to, "--recipient"));
        return util::Result<Built>(Built{ledger::BurnForCredits{a.amount, a.min_credits, to}, {}});
      });
  c->add_option("--amount", args->amount, "Base units to burn")->required();
  c->add_option("--recipient", args->to, "Account that receives the DC (default: the signer)");
  c->add_option("--min-credits", args->min_credits, "Reject if fewer DC would be minted");
  c = AddTx(g, sel, args, "delegate-credits", "Let a key spend some of your DC",
            [](const Args& a, const K&) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(ledger::Address d, Addr(a.delegate, "--delegate"));
              return Built{ledger::DelegateCredits{d, a.amount}, {}};
            });
  c->add_option("--delegate", args->delegate, "Delegate address")->required();
  c->add_option("--amount", args->amount, "DC")->required();
  c = AddTx(g, sel, args, "spend-credits", "Spend DC on usage (own, or as a delegate)",
            [](const Args& a, const K& signer) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(auto owner, OptAddr(a.owner, "--owner"));
              return Built{
                  ledger::SpendCredits{owner.value_or(signer.public_key()), a.network, a.amount},
                  {}};
            });
  c->add_option("--owner", args->owner, "Whose DC (default: the signer)");
  c->add_option("--network", args->network, "Network number the usage is counted in")->required();
  c->add_option("--amount", args->amount, "DC")->required();
}

void AddOracleAndGovernance(CLI::App& g, Selected& sel, const std::shared_ptr<TxArgs>& args) {
  CLI::App* c = AddTx(g, sel, args, "price", "(price oracle) Submit the token price",
                      [](const Args& a, const K&) -> util::Result<Built> {
                        return util::Result<Built>(Built{ledger::SubmitPrice{a.usd_e8}, {}});
                      });
  c->add_option("--usd-e8", args->usd_e8, "USD per whole token, times 10^8")->required();
  c = AddTx(g, sel, args, "register-maker", "(governance) Register a device maker",
            [](const Args& a, const K&) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(ledger::Address m, Addr(a.maker, "--maker"));
              return Built{ledger::RegisterMaker{m, a.name}, {}};
            });
  c->add_option("--maker", args->maker, "Maker address")->required();
  c->add_option("--name", args->name, "Maker name (at most 64 bytes)")->required();
  c = AddTx(g, sel, args, "post-root", "(reward oracle) Post an epoch's reward root",
            [](const Args& a, const K&) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(crypto::Hash256 root, Hash(a.root, "--root"));
              return Built{ledger::PostRewardRoot{a.epoch, root, a.minted}, {}};
            });
  c->add_option("--epoch", args->epoch, "Closed epoch")->required();
  c->add_option("--root", args->root, "Manifest Merkle root (64 hex)")->required();
  c->add_option("--minted", args->minted, "Tokens minted for the epoch")->required();
  c = AddTx(g, sel, args, "slash", "(governance or oracle quorum) Slash a stake",
            [](const Args& a, const K&) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(ledger::Address staker, Addr(a.staker, "--staker"));
              DEPIN_ASSIGN_OR_RETURN(auto device, OptAddr(a.device, "--device"));
              Built b{ledger::Slash{staker, device, a.amount, a.reason}, {}};
              for (const std::string& path : a.cosign_keys) {
                DEPIN_ASSIGN_OR_RETURN(K k, Key(path, "--cosign-key"));
                b.cosigners.push_back(std::move(k));
              }
              return b;
            });
  c->add_option("--staker", args->staker, "Staker address")->required();
  c->add_option("--device", args->device, "The device the stake is delegated to");
  c->add_option("--amount", args->amount, "Base units")->required();
  c->add_option("--reason", args->reason, "Reason code");
  c->add_option("--cosign-key", args->cosign_keys, "Further oracle key files (repeatable)");
}

void AddDevices(CLI::App& g, Selected& sel, const std::shared_ptr<TxArgs>& args) {
  CLI::App* c =
      AddTx(g, sel, args, "onboard", "Onboard a device (maker and device co-sign)",
            [](const Args& a, const K& signer) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(K maker, Key(a.maker_key, "--maker-key"));
              DEPIN_ASSIGN_OR_RETURN(K device, Key(a.device_key, "--device-key"));
              ledger::OnboardDevice body{device.public_key(), maker.public_key(), a.resource_class};
              std::vector<K> keys;
              keys.push_back(std::move(device));
              keys.push_back(std::move(maker));
              if (!a.owner_key.empty()) {
                DEPIN_ASSIGN_OR_RETURN(K owner, Key(a.owner_key, "--owner-key"));
                if (owner.public_key() != signer.public_key()) body.owner = owner.public_key();
                keys.push_back(std::move(owner));
              }
              Built b{body, {}};
              for (K& k : keys) {  // every key but the signer's co-signs, once
                bool seen = k.public_key() == signer.public_key();
                for (const K& cosigner : b.cosigners) {
                  seen = seen || cosigner.public_key() == k.public_key();
                }
                if (!seen) b.cosigners.push_back(std::move(k));
              }
              return b;
            });
  c->add_option("--maker-key", args->maker_key, "The maker's key file")->required();
  c->add_option("--device-key", args->device_key, "The device's key file")->required();
  c->add_option("--class", args->resource_class, "Resource class number (default 0)");
  c->add_option("--owner-key", args->owner_key, "Owner's key file, if not the signer (co-signs)");
  c = AddTx(g, sel, args, "set-device-status", "(governance) Activate, suspend or deny a device",
            [](const Args& a, const K&) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(ledger::Address d, Addr(a.device, "--device"));
              uint8_t status = 0;
              for (uint8_t s : {1, 2, 3}) {
                if (a.name == ledger::DeviceStatusName(static_cast<ledger::DeviceStatus>(s))) {
                  status = s;
                }
              }
              if (status == 0) {
                return util::Status::InvalidArgument("--status: want active, suspended or denied");
              }
              return Built{ledger::SetDeviceStatus{d, status, a.reason}, {}};
            });
  c->add_option("--device", args->device, "Device address")->required();
  c->add_option("--status", args->name, "active, suspended or denied")->required();
  c->add_option("--reason", args->reason, "Reason code");
  c = AddTx(g, sel, args, "assert-location", "Record a device's S2 cell",
            [](const Args& a, const K&) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(ledger::Address d, Addr(a.device, "--device"));
              return Built{ledger::AssertLocation{d, a.cell}, {}};
            });
  c->add_option("--device", args->device, "Device address")->required();
  c->add_option("--cell", args->cell, "S2 cell id")->required();
  c = AddTx(g, sel, args, "transfer-device", "Give a device to a new owner",
            [](const Args& a, const K&) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(ledger::Address d, Addr(a.device, "--device"));
              DEPIN_ASSIGN_OR_RETURN(ledger::Address o, Addr(a.new_owner, "--new-owner"));
              return Built{ledger::TransferDevice{d, o}, {}};
            });
  c->add_option("--device", args->device, "Device address")->required();
  c->add_option("--new-owner", args->new_owner, "New owner address")->required();
  c = AddTx(g, sel, args, "claim", "Claim a reward leaf's cumulative reward",
            [](const Args& a, const K&) -> util::Result<Built> {
              DEPIN_ASSIGN_OR_RETURN(ledger::Address d, Addr(a.device, "--device"));
              uint64_t cumulative = 0;
              DEPIN_ASSIGN_OR_RETURN(crypto::MerkleProof p, ClaimProof(a, d, &cumulative));
              return Built{ledger::ClaimRewards{d, a.epoch, cumulative, std::move(p)}, {}};
            });
  c->add_option("--device", args->device, "The leaf's key (device or account)")->required();
  c->add_option("--epoch", args->epoch, "Epoch whose root proves the leaf")->required();
  c->add_option("--data", args->data, "Node data directory: read the epoch's leaves from it");
  c->add_option("--cumulative", args->cumulative, "Cumulative reward (without --data)");
  c->add_option("--leaf-index", args->leaf_index, "Proof leaf index (without --data)");
  c->add_option("--leaf-count", args->leaf_count, "Proof leaf count (without --data)");
  c->add_option("--siblings", args->siblings,
                "Proof siblings, comma-separated hex (without --data)");
}

void AddStaking(CLI::App& g, Selected& sel, const std::shared_ptr<TxArgs>& args) {
  for (bool stake : {true, false}) {
    CLI::App* c = AddTx(g, sel, args, stake ? "stake" : "unstake",
                        stake ? "Stake tokens" : "Start unbonding staked tokens",
                        [stake](const Args& a, const K&) -> util::Result<Built> {
                          DEPIN_ASSIGN_OR_RETURN(auto d, OptAddr(a.device, "--device"));
                          if (stake) return Built{ledger::Stake{a.amount, d}, {}};
                          return Built{ledger::Unstake{a.amount, d}, {}};
                        });
    c->add_option("--amount", args->amount, "Base units")->required();
    c->add_option("--device", args->device, "Delegate the stake to this device");
  }
  CLI::App* c = AddTx(g, sel, args, "withdraw", "Withdraw released unbonding tokens",
                      [](const Args& a, const K&) -> util::Result<Built> {
                        return util::Result<Built>(Built{ledger::Withdraw{a.amount}, {}});
                      });
  c->add_option("--amount", args->amount, "Base units (default 0: all)");
}

// Every numeric flag of `depin tx` with its largest value. CLI11 converts unsigned options with
// strtoull, which reads "-5" as 2^64 - 5 and saturates past 2^64; checking the text first makes
// such input a usage error (exit 2) before anything is signed or sent.
constexpr std::pair<const char*, uint64_t> kNumericFlags[] = {
    {"--nonce", UINT64_MAX},      {"--fee", UINT64_MAX},         {"--timeout", 86'400},
    {"--amount", UINT64_MAX},     {"--min-credits", UINT64_MAX}, {"--network", UINT32_MAX},
    {"--usd-e8", UINT64_MAX},     {"--epoch", UINT64_MAX},       {"--minted", UINT64_MAX},
    {"--reason", UINT32_MAX},     {"--class", UINT32_MAX},       {"--cell", UINT64_MAX},
    {"--cumulative", UINT64_MAX}, {"--leaf-index", UINT64_MAX},  {"--leaf-count", UINT64_MAX},
};

CLI::Validator UnsignedAtMost(uint64_t max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        uint64_t value = 0;
        const char* end = text.data() + text.size();
        auto [at, ec] = std::from_chars(text.data(), end, value);
        if (text.empty() || text[0] < '0' || text[0] > '9' || at != end ||
            (ec != std::errc() && ec != std::errc::result_out_of_range)) {
          return "\"" + text + "\" is not an unsigned integer";
        }
        if (ec == std::errc::result_out_of_range || value > max) {
          return "\"" + text + "\" is out of range (at most " + std::to_string(max) + ")";
        }
        return "";
      },
      "UINT");
}

void CheckNumericFlags(CLI::App* group) {
  for (CLI::App* command : group->get_subcommands({})) {
    for (const auto& [flag, max] : kNumericFlags) {
      if (CLI::Option* option = command->get_option_no_throw(flag)) {
        option->check(UnsignedAtMost(max));
      }
    }
  }
}

}  // namespace

void RegisterTxCommands(CLI::App& app, Selected& selected) {
  CLI::App* group =
      app.add_subcommand("tx", "Build, sign and submit a ledger transaction to a running node");
  group->require_subcommand(1, 1);
  auto args = std::make_shared<TxArgs>();
  AddTransfers(*group, selected, args);
  AddOracleAndGovernance(*group, selected, args);
  AddDevices(*group, selected, args);
  AddStaking(*group, selected, args);
  CheckNumericFlags(group);
}

}  // namespace depin::cli
