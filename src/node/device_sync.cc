#include "node/device_sync.h"

#include <spdlog/spdlog.h>

#include <type_traits>
#include <variant>

#include "ledger/records.h"
#include "node/ingest_service.h"

namespace depin::node {

std::vector<ingest::KindMask> KindMasksOfClasses(const config::NetworkConfig& config) {
  std::vector<ingest::KindMask> masks;
  masks.reserve(config.resource_classes.size());
  for (const config::ResourceClass& rc : config.resource_classes) {
    ingest::KindMask mask = 0;
    for (config::ProofKind k : rc.proofs) mask |= KindBitOf(k);
    masks.push_back(mask);
  }
  return masks;
}

ingest::DeviceInfo DeviceSync::InfoOf(const ledger::Address& key,
                                      const ledger::Device& device) const {
  ingest::DeviceInfo info;
  info.active = device.status == ledger::DeviceStatus::kActive && !denied_.count(key);
  if (device.resource_class < class_kinds_.size()) {
    info.allowed_kinds = class_kinds_[device.resource_class];
  }
  return info;
}

namespace {

// The device whose registration (status, class, existence) `tx` may change, if any: what ingest's
// registry holds. Staking, claims and other txs naming a device leave it as it is.
std::optional<ledger::Address> RegistrationTouchedBy(const ledger::Tx& tx) {
  return std::visit(
      [](const auto& body) -> std::optional<ledger::Address> {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, ledger::OnboardDevice> ||
                      std::is_same_v<T, ledger::AssertLocation> ||
                      std::is_same_v<T, ledger::TransferDevice> ||
                      std::is_same_v<T, ledger::SetDeviceStatus>) {
          return body.device;
        } else {
          return std::nullopt;
        }
      },
      tx.body);
}

}  // namespace

util::Result<size_t> DeviceSync::LoadAll() {
  util::MutexLock lock(mu_);
  // keys::Device(d) is the two-byte prefix "d/" followed by the device key.
  const std::string prefix = ledger::keys::Device(ledger::Address{}).substr(0, 2);
  // Collected first and registered after the scan: the registry is written under mu_, which the
  // scan callback cannot show the thread-safety analysis it holds.
  std::vector<std::pair<ledger::Address, ledger::Device>> devices;
  util::Status scanned =
      ledger_->ScanState(prefix, [&](std::string_view key, util::ByteView value) {
        if (key.size() != prefix.size() + crypto::kPublicKeySize) return;
        util::Result<ledger::Device> device = ledger::DecodeDevice(value);
        if (!device.ok()) {
          spdlog::error("device sync: undecodable device record: {}", device.status().ToString());
          return;
        }
        ledger::Address address;
        std::copy(key.begin() + static_cast<std::ptrdiff_t>(prefix.size()), key.end(),
                  address.bytes.begin());
        devices.emplace_back(address, std::move(device).value());
      });
  if (!scanned.ok()) return scanned.WithContext("device sync: loading the device table");
  for (const auto& [address, device] : devices) {
    registry_->Upsert(address.bytes, InfoOf(address, device));
  }
  return devices.size();
}

void DeviceSync::Refresh(const ledger::Address& address) {
  util::Result<std::optional<ledger::Device>> device = ledger_->ReadDevice(address);
  if (!device.ok()) {
    // Fail closed: while the record cannot be read the device sends nothing.
    spdlog::warn("device sync: {} registered inactive until its record can be read: {}",
                 address.ToBase58(), device.status().ToString());
    registry_->Upsert(address.bytes, ingest::DeviceInfo{});
    pending_.insert(address);
    return;
  }
  pending_.erase(address);
  if (!device->has_value()) return;
  registry_->Upsert(address.bytes, InfoOf(address, **device));
}

void DeviceSync::RetryPending() {
  const std::set<ledger::Address> pending = pending_;
  for (const ledger::Address& d : pending) Refresh(d);
}

size_t DeviceSync::pending_refresh() const {
  util::MutexLock lock(mu_);
  return pending_.size();
}

void DeviceSync::SetDenied(const std::vector<ledger::Address>& devices) {
  util::MutexLock lock(mu_);
  std::set<ledger::Address> changed(devices.begin(), devices.end());
  changed.insert(denied_.begin(), denied_.end());
  denied_ = std::set<ledger::Address>(devices.begin(), devices.end());
  for (const ledger::Address& d : changed) Refresh(d);
}

void DeviceSync::OnBlock(const ledger::Block& block) {
  util::MutexLock lock(mu_);
  RetryPending();
  for (const ledger::Tx& tx : block.txs) {
    if (std::optional<ledger::Address> d = RegistrationTouchedBy(tx)) Refresh(*d);
  }
}

}  // namespace depin::node
