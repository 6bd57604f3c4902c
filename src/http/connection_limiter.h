// ConnectionLimiter: admission of the HTTP server's TCP connections, a cap per client and a cap in
// total, so one source of idle or slow sockets cannot take every descriptor and lock out other
// clients. A client is one IPv4 address, or one IPv6 /64 (one subscriber's usual allocation, so
// an attacker cannot dodge the cap by walking the addresses of its own prefix).
//
// Admission is decided at accept time, before any per-connection state exists, so refusing an
// over-cap connection costs one close(2).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace depin::http {

struct ConnectionCaps {
  size_t total = 0;       // open connections in all; 0: unlimited
  size_t per_client = 0;  // open connections per client; 0: unlimited
};

enum class Admission { kAdmitted, kOverClientCap, kOverTotalCap };

// "per_client" or "total": the label under which refusals are counted.
std::string_view AdmissionReason(Admission admission);

// The client an address belongs to: the IPv4 address itself ("1.2.3.4", also for IPv4-mapped
// IPv6), or the IPv6 /64 prefix ("2001:db8:1:2::/64"). `address` is textual; unparseable text
// is its own client.
std::string ClientKeyOf(std::string_view address);

class ConnectionLimiter {
 public:
  explicit ConnectionLimiter(ConnectionCaps caps) : caps_(caps) {}

  // Counts a connection from `client` if both caps allow it. Each kAdmitted is paired with
  // exactly one Release(client).
  Admission Admit(const std::string& client);
  void Release(const std::string& client);

  size_t open() const;
  size_t open_from(const std::string& client) const;
  const ConnectionCaps& caps() const { return caps_; }

 private:
  const ConnectionCaps caps_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, size_t> per_client_;  // guarded by mu_; no zero entries
  size_t open_ = 0;                                     // guarded by mu_
};

}  // namespace depin::http
