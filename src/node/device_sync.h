// DeviceSync: keeps ingest's in-memory device registry (ingest/device_registry.h) equal to the
// ledger's device table, so a device onboarded on the ledger may send reports as soon as its
// block is durable, only the report kinds its resource class allows, and nothing once
// governance suspends or denies it (set_device_status) or the operator's denylist names it
// (SetDenied; admin_routes.h).
//
// The ledger stores a device's resource class as an index into the network file's
// [[resource_classes]] (0 = the first). An index with no class registers the device with no
// allowed kinds, so its reports are rejected as kind_not_allowed rather than silently accepted.
//
//   DeviceSync sync(&ledger, &ingest.registry(), KindMasksOfClasses(config));
//   sync.LoadAll();                          // at start: every device in the ledger
//   producer on_commit: sync.OnBlock(block); // after each durable block: the devices it touched
//
// A device whose record cannot be read (the ledger's store failing) is registered inactive, so
// a read error never leaves a suspended or denied device able to send, and is re-read on every
// later block until the read succeeds (pending_refresh()).
//
// Thread-safety: all methods are thread-safe; one lock serializes them, taken before the
// ledger's (so an update never interleaves with another and leaves a stale entry).
#pragma once

#include <set>
#include <vector>

#include "config/network_config.h"
#include "ingest/device_registry.h"
#include "ledger/block.h"
#include "ledger/ledger.h"
#include "util/mutex.h"

namespace depin::node {

// The allowed-kinds mask of each [[resource_classes]] entry, by index.
std::vector<ingest::KindMask> KindMasksOfClasses(const config::NetworkConfig& config);

class DeviceSync {
 public:
  DeviceSync(const ledger::Ledger* ledger, ingest::InMemoryDeviceRegistry* registry,
             std::vector<ingest::KindMask> class_kinds)
      : ledger_(ledger), registry_(registry), class_kinds_(std::move(class_kinds)) {}

  // Registers every device the ledger holds; returns how many, or the store's error.
  util::Result<size_t> LoadAll();
  // Re-reads the devices that `block`'s transactions onboarded or changed.
  void OnBlock(const ledger::Block& block);
  // Devices that may send nothing whatever the ledger says (the operator's denylist); replaces
  // the previous set and re-registers every device that entered or left it.
  void SetDenied(const std::vector<ledger::Address>& devices);
  // Devices registered inactive because their record could not be read, awaiting a re-read.
  size_t pending_refresh() const;

 private:
  ingest::DeviceInfo InfoOf(const ledger::Address& key, const ledger::Device& device) const
      REQUIRES(mu_);
  void Refresh(const ledger::Address& device) REQUIRES(mu_);
  void RetryPending() REQUIRES(mu_);

  const ledger::Ledger* ledger_;
  ingest::InMemoryDeviceRegistry* registry_;
  std::vector<ingest::KindMask> class_kinds_;
  mutable util::Mutex mu_;
  std::set<ledger::Address> denied_ GUARDED_BY(mu_);
  std::set<ledger::Address> pending_ GUARDED_BY(mu_);
};

}  // namespace depin::node
