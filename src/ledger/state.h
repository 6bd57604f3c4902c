// The ledger's key/value state as seen by the state machine.
//
// StateReader is read access to a sorted map of byte-string keys to byte-string values. Overlay
// layers uncommitted writes over a base reader: the state machine applies each transaction in
// its own Overlay over the block's Overlay, and merges it only if the transaction succeeds, so a
// rejected transaction changes nothing. The block's Overlay is the write-back cache that the
// store commits (and hashes) at the end of the block: cost O(changed entries).
// MemoryState is a complete in-memory state, for tests and replay.
//
// None of these classes is thread-safe; a block is applied by one thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"

namespace depin::ledger {

using ScanFn = std::function<void(std::string_view key, util::ByteView value)>;

class StateReader {
 public:
  virtual ~StateReader() = default;
  virtual std::optional<util::Bytes> Get(std::string_view key) const = 0;
  // Calls fn for every entry whose key starts with `prefix`, in ascending key order.
  virtual void ScanPrefix(std::string_view prefix, const ScanFn& fn) const = 0;
};

class Overlay : public StateReader {
 public:
  // A written value, or nullopt for an erased key.
  using Writes = std::map<std::string, std::optional<util::Bytes>, std::less<>>;

  explicit Overlay(const StateReader* base) : base_(base) {}
  std::optional<util::Bytes> Get(std::string_view key) const override;
  void ScanPrefix(std::string_view prefix, const ScanFn& fn) const override;

  void Put(std::string key, util::Bytes value) { writes_[std::move(key)] = std::move(value); }
  void Erase(std::string key) { writes_[std::move(key)] = std::nullopt; }
  // Moves every write into `parent` (normally this overlay's base) and clears this overlay.
  void MergeInto(Overlay* parent);
  const Writes& writes() const { return writes_; }
  void Clear() { writes_.clear(); }
  const StateReader* base() const { return base_; }

 private:
  const StateReader* base_;
  Writes writes_;
};

class MemoryState : public StateReader {
 public:
  std::optional<util::Bytes> Get(std::string_view key) const override;
  void ScanPrefix(std::string_view prefix, const ScanFn& fn) const override;
  // Applies an overlay's writes to this state.
  void Apply(const Overlay::Writes& writes);
  const std::map<std::string, util::Bytes, std::less<>>& entries() const { return entries_; }

 private:
  std::map<std::string, util::Bytes, std::less<>> entries_;
};

}  // namespace depin::ledger
