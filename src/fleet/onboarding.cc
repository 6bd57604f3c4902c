#include "fleet/onboarding.h"

#include <chrono>
#include <thread>

namespace depin::fleet {
namespace {

__extension__ typedef unsigned __int128 u128;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

util::Result<uint64_t> NonceSigner::Take(NodeApi& api) {
  util::MutexLock lock(mu_);
  if (!next_) {
    DEPIN_ASSIGN_OR_RETURN(AccountInfo a, api.GetAccount(key_.public_key()));
    next_ = a.nonce;
  }
  return (*next_)++;
}

void NonceSigner::Reset() {
  util::MutexLock lock(mu_);
  next_.reset();
}

uint64_t TokensForCredits(const Economics& e, uint64_t dc) {
  // DC = tokens * price_e8 * 10 / (10^decimals * nanos_per_dc), floored; invert and round up.
  u128 scale = 1;
  for (uint32_t i = 0; i < e.token_decimals; ++i) scale *= 10;
  const u128 num = static_cast<u128>(dc) * scale * e.usd_nanos_per_dc;
  const u128 den = static_cast<u128>(e.price_usd_e8) * 10;
  const u128 tokens = (num + den - 1) / den;
  return tokens > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(tokens);
}

ledger::BurnForCredits Burn(uint64_t tokens) {
  ledger::BurnForCredits b;
  b.amount = tokens;
  return b;
}

ledger::OnboardDevice Onboard(const ManagedDevice& device, const ledger::Address& maker) {
  ledger::OnboardDevice b;
  b.device = device.key.public_key();
  b.maker = maker;
  b.resource_class = device.resource_class;
  return b;
}

std::string_view StageName(Stage stage) {
  switch (stage) {
    case Stage::kFund:
      return "fund";
    case Stage::kBurn:
      return "burn";
    case Stage::kOnboard:
      return "onboard";
    case Stage::kDone:
      return "done";
  }
  return "unknown";
}

Onboarding::Onboarding(OnboardingKeys keys, std::vector<const ManagedDevice*> devices,
                       Economics economics, OnboardingOptions options)
    : keys_(keys), devices_(std::move(devices)), economics_(economics), options_(options) {}

util::Result<Onboarding::Plan> Onboarding::Read(NodeApi& api) {
  Plan plan;
  const std::string owner = keys_.owner->address().ToBase58();
  onboarded_ = 0;
  for (const ManagedDevice* d : devices_) {
    DEPIN_ASSIGN_OR_RETURN(std::optional<DeviceInfo> info, api.GetDevice(d->key.public_key()));
    if (!info) {
      plan.onboard.push_back(d);
      plan.assert_location.push_back(d);
      plan.dc_needed += economics_.onboard_fee_dc +
                        (economics_.first_location_free ? 0 : economics_.location_fee_dc);
      continue;
    }
    if (info->owner != owner) {
      return util::Status::AlreadyExists("device " + d->key.public_key().ToBase58() +
                                         " is onboarded by another owner, " + info->owner);
    }
    ++onboarded_;
    if (info->cell != d->cell) {
      plan.assert_location.push_back(d);
      const bool free = economics_.first_location_free && info->location_asserts == 0;
      plan.dc_needed += free ? 0 : economics_.location_fee_dc;
    }
  }
  return plan;
}

util::Result<Stage> Onboarding::Step(NodeApi& api) {
  DEPIN_ASSIGN_OR_RETURN(Plan plan, Read(api));
  if (plan.onboard.empty() && plan.assert_location.empty()) return stage_ = Stage::kDone;
  DEPIN_ASSIGN_OR_RETURN(AccountInfo owner, api.GetAccount(keys_.owner->address()));
  uint64_t burn = 0;
  if (owner.credits < plan.dc_needed) {
    burn = TokensForCredits(economics_, plan.dc_needed - owner.credits);
    if (owner.balance < burn) {
      stage_ = Stage::kFund;
      return Fund(api, burn - owner.balance);
    }
  }
  stage_ = burn > 0 ? Stage::kBurn : Stage::kOnboard;
  return RunChain(api, plan, burn);
}

util::Result<Stage> Onboarding::Fund(NodeApi& api, uint64_t tokens) {
  if (keys_.funder == nullptr) {
    return util::Status::FailedPrecondition(
        "owner " + keys_.owner->address().ToBase58() + " needs " + std::to_string(tokens) +
        " more token base units to buy the data credits for onboarding; fund it");
  }
  DEPIN_ASSIGN_OR_RETURN(
      crypto::Hash256 id,
      Submit(api, keys_.funder, ledger::Transfer{keys_.owner->address(), tokens + tokens / 10},
             {}));
  std::string error;
  util::Status s = WaitCommitted(api, id, &error);
  if (!s.ok()) {
    keys_.funder->Reset();
    return s.WithContext("funding the owner");
  }
  return stage_ = Stage::kBurn;
}

util::Status Onboarding::SubmitPrice(NodeApi& api) {
  DEPIN_ASSIGN_OR_RETURN(
      crypto::Hash256 id,
      Submit(api, keys_.price_oracle, ledger::SubmitPrice{economics_.price_usd_e8}, {}));
  std::string error;
  util::Status s = WaitCommitted(api, id, &error);
  if (!s.ok()) keys_.price_oracle->Reset();
  return s;
}

util::Result<Stage> Onboarding::RunChain(NodeApi& api, const Plan& plan, uint64_t burn_tokens) {
  if (burn_tokens > 0 && keys_.price_oracle != nullptr) {
    DEPIN_RETURN_IF_ERROR(SubmitPrice(api).WithContext("submitting a price"));
  }
  std::vector<crypto::Hash256> ids;
  auto submit = [&](ledger::TxBody body, std::vector<const crypto::KeyPair*> cosigners) {
    util::Result<crypto::Hash256> id = Submit(api, keys_.owner, std::move(body), cosigners);
    if (id.ok()) ids.push_back(*id);
    return id.status();
  };
  util::Status s;
  if (burn_tokens > 0) s = submit(Burn(burn_tokens), {});
  for (size_t i = 0; s.ok() && i < plan.onboard.size(); ++i) {
    const ManagedDevice* d = plan.onboard[i];
    s = submit(Onboard(*d, keys_.maker->public_key()), {keys_.maker, &d->key});
  }
  for (size_t i = 0; s.ok() && i < plan.assert_location.size(); ++i) {
    const ManagedDevice* d = plan.assert_location[i];
    s = submit(ledger::AssertLocation{d->key.public_key(), d->cell}, {});
  }
  std::string error;
  if (s.ok() && !ids.empty()) s = WaitCommitted(api, ids.back(), &error);
  if (!s.ok()) {
    keys_.owner->Reset();
    // The first rejected tx names the cause (the later ones fail with bad_nonce after it).
    for (const crypto::Hash256& id : ids) {
      util::Result<TxStatus> st = api.GetTx(id);
      if (st.ok() && st->state == TxState::kRejected) {
        error = st->tx_error;
        break;
      }
    }
    return util::Status::Unavailable("onboarding " + std::to_string(plan.onboard.size()) +
                                     " devices: " + (error.empty() ? s.ToString() : error));
  }
  onboarded_ += plan.onboard.size();
  return stage_ = Stage::kDone;
}

util::Result<crypto::Hash256> Onboarding::Submit(
    NodeApi& api, NonceSigner* signer, ledger::TxBody body,
    const std::vector<const crypto::KeyPair*>& cosigners) {
  DEPIN_ASSIGN_OR_RETURN(uint64_t nonce, signer->Take(api));
  ledger::Tx tx;
  tx.signer = signer->address();
  tx.nonce = nonce;
  tx.body = std::move(body);
  DEPIN_ASSIGN_OR_RETURN(tx.network_id, api.NetworkId());
  for (const crypto::KeyPair* c : cosigners) ledger::AddCosigner(&tx, c->public_key());
  ledger::SignTx(&tx, signer->key());
  for (const crypto::KeyPair* c : cosigners) ledger::CosignTx(&tx, *c);
  util::Result<SubmitOutcome> out = api.SubmitTx(tx);
  if (!out.ok() || !out->pending) {
    signer->Reset();
    return util::Status::Unavailable(std::string(ledger::TxKindName(tx.kind())) + " by " +
                                     signer->address().ToBase58() + ": " +
                                     (out.ok() ? out->error : out.status().ToString()));
  }
  return out->id;
}

util::Status Onboarding::WaitCommitted(NodeApi& api, const crypto::Hash256& id,
                                       std::string* tx_error) {
  const int64_t deadline = SteadyMs() + options_.commit_timeout_ms;
  while (true) {
    DEPIN_ASSIGN_OR_RETURN(TxStatus st, api.GetTx(id));
    if (st.state == TxState::kCommitted) return util::Status::Ok();
    if (st.state == TxState::kRejected) {
      *tx_error = st.tx_error;
      return util::Status::Unavailable("tx " + crypto::ToHex(id) + " rejected: " + st.tx_error);
    }
    if (options_.stop != nullptr && options_.stop->load()) {
      return util::Status::Unavailable("stopping");
    }
    if (SteadyMs() >= deadline) {
      return util::Status::Unavailable("tx " + crypto::ToHex(id) + " not committed after " +
                                       std::to_string(options_.commit_timeout_ms) + " ms");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(options_.poll_ms));
  }
}

}  // namespace depin::fleet
