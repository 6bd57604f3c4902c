#include "ledger/state.h"

namespace depin::ledger {
namespace {

bool HasPrefix(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::optional<util::Bytes> Overlay::Get(std::string_view key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  return base_ ? base_->Get(key) : std::nullopt;
}

void Overlay::ScanPrefix(std::string_view prefix, const ScanFn& fn) const {
  std::map<std::string, util::Bytes, std::less<>> merged;
  if (base_) {
    base_->ScanPrefix(prefix, [&](std::string_view k, util::ByteView v) {
      merged.emplace(std::string(k), util::Bytes(v.begin(), v.end()));
    });
  }
  for (auto it = writes_.lower_bound(prefix); it != writes_.end() && HasPrefix(it->first, prefix);
       ++it) {
    if (it->second) {
      merged[it->first] = *it->second;
    } else {
      merged.erase(it->first);
    }
  }
  for (const auto& [k, v] : merged) fn(k, v);
}

void Overlay::MergeInto(Overlay* parent) {
  for (auto& [k, v] : writes_) parent->writes_[k] = std::move(v);
  writes_.clear();
}

std::optional<util::Bytes> MemoryState::Get(std::string_view key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void MemoryState::ScanPrefix(std::string_view prefix, const ScanFn& fn) const {
  for (auto it = entries_.lower_bound(prefix); it != entries_.end() && HasPrefix(it->first, prefix);
       ++it) {
    fn(it->first, it->second);
  }
}

void MemoryState::Apply(const Overlay::Writes& writes) {
  for (const auto& [k, v] : writes) {
    if (v) {
      entries_[k] = *v;
    } else {
      entries_.erase(k);
    }
  }
}

}  // namespace depin::ledger
