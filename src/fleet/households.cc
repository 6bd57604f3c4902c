#include "fleet/households.h"

#include "http/client.h"

namespace depin::fleet {

std::string HouseholdSource(uint64_t index) {
  const uint64_t n = index % 65'535 + 1;
  return "127." + std::to_string((n >> 8) & 0xff) + "." + std::to_string(n & 0xff) + ".1";
}

std::string AdversarySource(uint32_t population, uint32_t origin) {
  return "127." + std::to_string(128 + population % 128) + "." + std::to_string(origin % 256) +
         ".1";
}

bool IsLoopbackUrl(const std::string& url) {
  std::string host;
  uint16_t port = 0;
  if (!http::ParseServerUrl(url, &host, &port).ok()) return false;
  return host == "localhost" || host.rfind("127.", 0) == 0;
}

util::Result<NodeApi*> SourceClients::For(const std::string& source) {
  if (auto it = clients_.find(source); it != clients_.end()) {
    order_.splice(order_.begin(), order_, it->second.second);
    return it->second.first.get();
  }
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<NodeApi> api, NodeApi::Create(url_, source));
  if (clients_.size() >= capacity_ && !order_.empty()) {
    clients_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(source);
  NodeApi* raw = api.get();
  clients_.emplace(source, std::make_pair(std::move(api), order_.begin()));
  return raw;
}

}  // namespace depin::fleet
