// ConnectionLimiter (see connection_limiter.h).
#include "http/connection_limiter.h"

#include <boost/asio/ip/address.hpp>

namespace depin::http {

std::string_view AdmissionReason(Admission admission) {
  switch (admission) {
    case Admission::kOverClientCap:
      return "per_client";
    case Admission::kOverTotalCap:
      return "total";
    case Admission::kAdmitted:
      break;
  }
  return "admitted";
}

std::string ClientKeyOf(std::string_view address) {
  boost::system::error_code ec;
  boost::asio::ip::address ip = boost::asio::ip::make_address(std::string(address), ec);
  if (ec) return std::string(address);
  if (ip.is_v4()) return ip.to_string();
  boost::asio::ip::address_v6 v6 = ip.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  }
  boost::asio::ip::address_v6::bytes_type bytes = v6.to_bytes();
  for (size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

Admission ConnectionLimiter::Admit(const std::string& client) {
  std::lock_guard lock(mu_);
  if (caps_.total != 0 && open_ >= caps_.total) return Admission::kOverTotalCap;
  size_t& mine = per_client_[client];
  if (caps_.per_client != 0 && mine >= caps_.per_client) return Admission::kOverClientCap;
  ++mine;
  ++open_;
  return Admission::kAdmitted;
}

void ConnectionLimiter::Release(const std::string& client) {
  std::lock_guard lock(mu_);
  auto it = per_client_.find(client);
  if (it == per_client_.end() || it->second == 0) return;  // unpaired: a programmer error
  if (--it->second == 0) per_client_.erase(it);
  --open_;
}

size_t ConnectionLimiter::open() const {
  std::lock_guard lock(mu_);
  return open_;
}

size_t ConnectionLimiter::open_from(const std::string& client) const {
  std::lock_guard lock(mu_);
  auto it = per_client_.find(client);
  return it == per_client_.end() ? 0 : it->second;
}

}  // namespace depin::http
