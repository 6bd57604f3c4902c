// Households: where emulated devices connect from. In a real network every device reports from
// its owner's home connection, and the node's origin density (docs/rewards.md 1.5) reduces many
// devices behind one uplink; an emulated fleet that sent everything from 127.0.0.1 would look
// like one giant farm. Linux routes all of 127.0.0.0/8 to loopback, so each emulated household
// gets its own source address 127.a.b.1 (its own /24: its own origin) and the fleet binds its
// connections to it (http::DeviceClientOptions::source_address). Real source addresses, no
// trusted header. Only for nodes on loopback; elsewhere every device uses the default route.
//
// Households are one device each: devices that share an uplink are reduced by design unless their
// owner is exempt ([rewards.origin] exempt_owners), which is a deployment decision, not the
// fleet's. HouseholdSource is pure; SourceClients is not thread-safe (one per worker thread).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "fleet/node_api.h"

namespace depin::fleet {

// The source address of device `index`'s household: 127.a.b.1 with a.b = index + 1 (65,535
// households, then they wrap).
std::string HouseholdSource(uint64_t index);

// The source address of an adversary population's network origin `origin` (adversary.h):
// 127.(128 + population).origin.1, so each (population, origin) is its own /24, none shared with
// the honest households below 127.128.0.0 (fleets up to 32,767 households; larger fleets wrap
// into this range). Populations 0..127, origins 0..255 (both wrap).
std::string AdversarySource(uint32_t population, uint32_t origin);

// True when `url`'s host is a loopback address or "localhost" (so 127.0.0.0/8 sources work).
bool IsLoopbackUrl(const std::string& url);

// A bounded set of node connections, one per source address, least recently used closed first
// (a fleet of thousands of households does not hold thousands of sockets open).
class SourceClients {
 public:
  SourceClients(std::string url, size_t capacity) : url_(std::move(url)), capacity_(capacity) {}
  util::Result<NodeApi*> For(const std::string& source);

 private:
  std::string url_;
  size_t capacity_;
  std::list<std::string> order_;  // most recently used first
  std::unordered_map<std::string,
                     std::pair<std::unique_ptr<NodeApi>, std::list<std::string>::iterator>>
      clients_;
};

}  // namespace depin::fleet
