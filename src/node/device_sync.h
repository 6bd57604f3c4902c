// DeviceSync: keeps ingest's in-memory device registry (ingest/device_registry.h) equal to the
// ledger's device table, so a device onboarded on the ledger may send reports as soon as its
// block is durable, only the report kinds its resource class allows, and nothing once
// governance suspends or denies it (set_device_status).
//
// The ledger stores a device's resource class as an index into the network file's
// [[resource_classes]] (0 = the first). An index with no class registers the device with no
// allowed kinds, so its reports are rejected as kind_not_allowed rather than silently accepted.
//
//   DeviceSync sync(&ledger, &ingest.registry(), KindMasksOfClasses(config));
//   sync.LoadAll();                          // at start: every device in the ledger
//   producer on_commit: sync.OnBlock(block); // after each durable block: the devices it touched
//
// Thread-safety: LoadAll and OnBlock may run on any thread (the registry and the ledger are
// thread-safe); OnBlock is called by the block producer's thread only.
#pragma once

#include <vector>

#include "ingest/device_registry.h"
#include "ledger/block.h"
#include "ledger/ledger.h"
#include "node/network_config.h"

namespace depin::node {

// The allowed-kinds mask of each [[resource_classes]] entry, by index.
std::vector<ingest::KindMask> KindMasksOfClasses(const NetworkConfig& config);

class DeviceSync {
 public:
  DeviceSync(const ledger::Ledger* ledger, ingest::InMemoryDeviceRegistry* registry,
             std::vector<ingest::KindMask> class_kinds)
      : ledger_(ledger), registry_(registry), class_kinds_(std::move(class_kinds)) {}

  // Registers every device the ledger holds; returns how many.
  size_t LoadAll();
  // Re-reads the devices that `block`'s transactions onboarded or changed.
  void OnBlock(const ledger::Block& block);

 private:
  ingest::DeviceInfo InfoOf(const ledger::Device& device) const;
  void Refresh(const ledger::Address& device);

  const ledger::Ledger* ledger_;
  ingest::InMemoryDeviceRegistry* registry_;
  std::vector<ingest::KindMask> class_kinds_;
};

}  // namespace depin::node
