// The JSON shapes of the dashboard API (docs/api.md, "Dashboard routes"), shared by its route
// files. Amounts and 64-bit ids are decimal strings, keys base58, hashes hex; coordinates are
// degrees (display only). Pure functions except ClaimedOf/EpochJson, which read the ledger
// (thread-safe).
#pragma once

#include <nlohmann/json.hpp>

#include "dashboard/api.h"
#include "dashboard/epochs.h"
#include "dashboard/index.h"
#include "ledger/ledger.h"

namespace depin::dashboard {

nlohmann::json PageJson(uint64_t total, const Page& page, nlohmann::json items);
// One epoch's network-health row; `registered` = devices onboarded before the epoch's end.
nlohmann::json HealthJson(const EpochSummary& s, uint64_t registered);
// A device row with its latest epoch (null when `latest` is null or the device is not in it).
nlohmann::json DeviceJson(const DeviceRow& d, const EpochSummary* latest);
nlohmann::json DeviceEpochJson(const EpochSummary& s, const DeviceEpochRow& row);
nlohmann::json CellJson(uint64_t cell, const std::vector<ledger::Address>& devices,
                        const EpochSummary* latest);
// How many of an epoch's device leaves the ledger has paid out in full. Every leaf is a device's
// except a recipient pool's (paid at posting), including devices that sent nothing that epoch:
// their lifetime total stays claimable. One ledger read per device leaf (EpochClaims:
// dashboard_epochs.h).
// Errors: the ledger's store cannot be read (Unavailable), never a false count.
util::Result<EpochClaims> CountEpochClaims(const EpochSummary& s, const ledger::Ledger& ledger);
// An epoch with its claim status (the posted root from the ledger, `claims` as counted above);
// `full` adds pools, recipients, unallocated entries and the leaves count by kind.
util::Result<nlohmann::json> EpochJson(const EpochSummary& s, const ledger::Ledger& ledger,
                                       const EpochClaims& claims, bool full);
// The lifetime reward the device has claimed on the ledger.
util::Result<uint64_t> ClaimedOf(const ledger::Ledger& ledger, const ledger::Address& device);

}  // namespace depin::dashboard
