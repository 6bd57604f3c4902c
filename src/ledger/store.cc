#include "ledger/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <string>

namespace depin::ledger {
namespace {

using util::Status;

constexpr size_t kMaxCachedEntries = 2'000'000;

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS state(key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks(height INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE,
                                  header BLOB NOT NULL, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS txs(id BLOB PRIMARY KEY, height INTEGER NOT NULL,
                               idx INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
)sql";

Status SqlError(const std::exception& e, std::string_view what) {
  return Status::IOError("ledger store: " + std::string(what) + ": " + e.what());
}

void BindBlob(SQLite::Statement& s, int i, util::ByteView b) {
  // A null pointer would bind SQL NULL; an empty value must stay a zero-length blob.
  static const uint8_t kEmpty = 0;
  s.bind(i, b.empty() ? &kEmpty : b.data(), static_cast<int>(b.size()));
}
void BindKey(SQLite::Statement& s, int i, std::string_view k) {
  s.bind(i, k.data(), static_cast<int>(k.size()));
}
util::Bytes ColumnBytes(const SQLite::Column& c) {
  const auto* p = static_cast<const uint8_t*>(c.getBlob());
  return util::Bytes(p, p + c.getBytes());
}
util::Bytes U64Bytes(uint64_t v) {
  util::Bytes b;
  util::ByteWriter(&b).U64(v);
  return b;
}
uint64_t BytesU64(const util::Bytes& b) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < b.size(); ++i) v |= static_cast<uint64_t>(b[i]) << (8 * i);
  return v;
}

void PutMeta(SQLite::Database& db, const char* name, util::ByteView value) {
  SQLite::Statement s(db, "INSERT OR REPLACE INTO meta(name, value) VALUES(?, ?)");
  s.bind(1, name);
  BindBlob(s, 2, value);
  s.exec();
}

}  // namespace

Store::Store(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
Store::~Store() = default;

util::Result<std::unique_ptr<Store>> Store::Open(const std::string& path, bool read_only) {
  try {
    int flags = read_only ? SQLite::OPEN_READONLY : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    auto db = std::make_unique<SQLite::Database>(path, flags);
    db->setBusyTimeout(5000);
    if (!read_only) {
      // WAL: a commit appends to the log and readers never block the writer. FULL: the WAL is
      // fsynced at every commit, so an acknowledged block survives power loss, not only kill -9.
      db->exec("PRAGMA journal_mode=WAL");
      db->exec("PRAGMA synchronous=FULL");
      db->exec(kSchema);
    }
    std::unique_ptr<Store> store(new Store(std::move(db)));
    store->get_stmt_ =
        std::make_unique<SQLite::Statement>(*store->db_, "SELECT value FROM state WHERE key = ?");
    DEPIN_RETURN_IF_ERROR(store->LoadMeta().WithContext(path));
    if (store->initialized_) DEPIN_RETURN_IF_ERROR(store->CheckFormat(path, !read_only));
    return store;
  } catch (const std::exception& e) {
    return SqlError(e, "open " + path);
  }
}

Status Store::LoadMeta() {
  SQLite::Statement s(*db_, "SELECT name, value FROM meta");
  while (s.executeStep()) {
    std::string name = s.getColumn(0).getString();
    util::Bytes value = ColumnBytes(s.getColumn(1));
    if (name == "chain_id") {
      chain_id_.assign(value.begin(), value.end());
      initialized_ = true;
    } else if (name == "height") {
      height_ = BytesU64(value);
    } else if (name == "tip_hash" && value.size() == 32) {
      std::copy(value.begin(), value.end(), tip_hash_.begin());
    } else if (name == "tip_ts") {
      tip_timestamp_ms_ = static_cast<int64_t>(BytesU64(value));
    } else if (name == "format") {
      format_ = static_cast<uint32_t>(BytesU64(value));
    } else if (name == "lthash") {
      DEPIN_ASSIGN_OR_RETURN(lthash_, LtHash::Deserialize(value));
    }
  }
  return Status::Ok();
}

Status Store::CheckFormat(const std::string& path, bool record) {
  uint32_t found = format_;
  std::string how = "as its meta table says";
  if (found == 0 && height_ == 0) found = kLedgerFormat;  // nothing signed in it yet
  if (found == 0) {
    // Written before the entry existed: each wire version hashes block headers its own way.
    SQLite::Statement s(*db_, "SELECT header, hash FROM blocks WHERE height = 1");
    if (!s.executeStep()) return Status::Corruption(path + ": block 1 is missing");
    util::Bytes header_bytes = ColumnBytes(s.getColumn(0));
    util::Bytes stored_hash = ColumnBytes(s.getColumn(1));
    util::Result<BlockHeader> header = DecodeBlockHeader(header_bytes);
    if (!header.ok()) return header.status().WithContext(path + ": block 1");
    const Hash256 hash = BlockHash(*header);
    const bool same = stored_hash.size() == hash.size() &&
                      std::equal(hash.begin(), hash.end(), stored_hash.begin());
    found = same ? kLedgerFormat : 1;
    how = "its blocks are hashed under wire version 1";
  }
  if (found != kLedgerFormat) {
    const std::string advice =
        found > kLedgerFormat
            ? "It was written by a newer depin: read it with that version"
            : "Its blocks and transactions are signed under wire version 1, which names no "
              "network (docs/wire-format.md section 10): keep the depin that wrote it to settle "
              "what it owes, then start a new network directory (depin init)";
    return Status::Unsupported(path + ": ledger database format version " + std::to_string(found) +
                               " (" + how + "); this depin reads version " +
                               std::to_string(kLedgerFormat) + " only and changed nothing. " +
                               advice);
  }
  if (format_ == 0 && record) {
    PutMeta(*db_, "format", U64Bytes(kLedgerFormat));
    format_ = kLedgerFormat;
  }
  return Status::Ok();
}

void Store::Remember(std::string_view key, std::optional<util::Bytes> value) const {
  if (cache_.size() >= kMaxCachedEntries) cache_.clear();
  cache_.insert_or_assign(std::string(key), std::move(value));
}

util::Result<std::optional<util::Bytes>> Store::Read(std::string_view key) const {
  auto it = cache_.find(std::string(key));
  if (it != cache_.end()) return it->second;
  try {
    get_stmt_->reset();
    BindKey(*get_stmt_, 1, key);
    std::optional<util::Bytes> value;
    if (get_stmt_->executeStep()) value = ColumnBytes(get_stmt_->getColumn(0));
    get_stmt_->reset();
    Remember(key, value);
    return value;
  } catch (const std::exception& e) {
    return SqlError(e, "read state");
  }
}

Status Store::Scan(std::string_view prefix, const ScanFn& fn) const {
  try {
    SQLite::Statement s(*db_, "SELECT key, value FROM state WHERE key >= ? ORDER BY key");
    BindKey(s, 1, prefix);
    while (s.executeStep()) {
      util::Bytes k = ColumnBytes(s.getColumn(0));
      std::string_view key = util::AsChars(k);
      if (key.substr(0, prefix.size()) != prefix) break;
      util::Bytes v = ColumnBytes(s.getColumn(1));
      fn(key, v);
    }
    return Status::Ok();
  } catch (const std::exception& e) {
    return SqlError(e, "scan state");
  }
}

std::optional<util::Bytes> Store::Get(std::string_view key) const {
  util::Result<std::optional<util::Bytes>> value = Read(key);
  if (value.ok()) return std::move(value).value();
  if (status_.ok()) status_ = value.status();
  return std::nullopt;
}

void Store::ScanPrefix(std::string_view prefix, const ScanFn& fn) const {
  Status s = Scan(prefix, fn);
  if (!s.ok() && status_.ok()) status_ = std::move(s);
}

Status Store::InitGenesis(const std::string& chain_id, const Overlay::Writes& writes,
                          const LtHash& lthash, const Hash256& genesis_hash) {
  if (initialized_) return Status::FailedPrecondition("ledger store: genesis already written");
  try {
    SQLite::Transaction txn(*db_);
    SQLite::Statement put(*db_, "INSERT OR REPLACE INTO state(key, value) VALUES(?, ?)");
    for (const auto& [k, v] : writes) {
      if (!v) continue;
      put.reset();
      BindKey(put, 1, k);
      BindBlob(put, 2, *v);
      put.exec();
    }
    PutMeta(*db_, "chain_id", util::AsBytes(chain_id));
    PutMeta(*db_, "format", U64Bytes(kLedgerFormat));
    PutMeta(*db_, "genesis_hash", genesis_hash);
    PutMeta(*db_, "height", U64Bytes(0));
    PutMeta(*db_, "tip_hash", genesis_hash);
    PutMeta(*db_, "tip_ts", U64Bytes(0));
    PutMeta(*db_, "lthash", lthash.Serialize());
    txn.commit();
  } catch (const std::exception& e) {
    return SqlError(e, "write genesis");
  }
  initialized_ = true;
  format_ = kLedgerFormat;
  chain_id_ = chain_id;
  tip_hash_ = genesis_hash;
  lthash_ = lthash;
  cache_.clear();
  return Status::Ok();
}

Status Store::CommitBlock(const Block& block, const Hash256& hash,
                          const std::vector<Hash256>& tx_ids, const Overlay::Writes& writes,
                          const LtHash& lthash) {
  if (block.header.height != height_ + 1) {
    return Status::FailedPrecondition("ledger store: block " + std::to_string(block.header.height) +
                                      " does not follow tip " + std::to_string(height_));
  }
  try {
    SQLite::Transaction txn(*db_);
    SQLite::Statement put(*db_, "INSERT OR REPLACE INTO state(key, value) VALUES(?, ?)");
    SQLite::Statement del(*db_, "DELETE FROM state WHERE key = ?");
    for (const auto& [k, v] : writes) {
      SQLite::Statement& s = v ? put : del;
      s.reset();
      BindKey(s, 1, k);
      if (v) BindBlob(s, 2, *v);
      s.exec();
    }
    SQLite::Statement ins(*db_, "INSERT INTO blocks(height, hash, header, body) VALUES(?,?,?,?)");
    ins.bind(1, static_cast<int64_t>(block.header.height));
    BindBlob(ins, 2, hash);
    util::Bytes header = EncodeBlockHeader(block.header);
    util::Bytes body = EncodeBlockBody(block.txs);
    BindBlob(ins, 3, header);
    BindBlob(ins, 4, body);
    ins.exec();
    SQLite::Statement idx(*db_, "INSERT OR IGNORE INTO txs(id, height, idx) VALUES(?,?,?)");
    for (size_t i = 0; i < tx_ids.size(); ++i) {
      idx.reset();
      BindBlob(idx, 1, tx_ids[i]);
      idx.bind(2, static_cast<int64_t>(block.header.height));
      idx.bind(3, static_cast<int64_t>(i));
      idx.exec();
    }
    PutMeta(*db_, "height", U64Bytes(block.header.height));
    PutMeta(*db_, "tip_hash", hash);
    PutMeta(*db_, "tip_ts", U64Bytes(static_cast<uint64_t>(block.header.timestamp_ms)));
    PutMeta(*db_, "lthash", lthash.Serialize());
    txn.commit();
  } catch (const std::exception& e) {
    cache_.clear();  // the transaction rolled back; cached reads are still valid but be safe
    return SqlError(e, "commit block " + std::to_string(block.header.height));
  }
  for (const auto& [k, v] : writes) Remember(k, v);
  height_ = block.header.height;
  tip_hash_ = hash;
  tip_timestamp_ms_ = block.header.timestamp_ms;
  lthash_ = lthash;
  return Status::Ok();
}

util::Result<std::optional<Block>> Store::GetBlock(uint64_t height) const {
  try {
    SQLite::Statement s(*db_, "SELECT header, body FROM blocks WHERE height = ?");
    s.bind(1, static_cast<int64_t>(height));
    if (!s.executeStep()) return std::optional<Block>();
    Block b;
    util::Bytes header = ColumnBytes(s.getColumn(0));
    util::Bytes body = ColumnBytes(s.getColumn(1));
    auto h = DecodeBlockHeader(header);
    if (!h.ok()) return Status::Corruption(h.status().ToString());
    auto txs = DecodeBlockBody(body);
    if (!txs.ok()) return Status::Corruption(txs.status().ToString());
    b.header = *h;
    b.txs = std::move(txs).value();
    return std::optional<Block>(std::move(b));
  } catch (const std::exception& e) {
    return SqlError(e, "read block " + std::to_string(height));
  }
}

util::Result<std::optional<uint64_t>> Store::HeightOfHash(const Hash256& hash) const {
  try {
    SQLite::Statement s(*db_, "SELECT height FROM blocks WHERE hash = ?");
    BindBlob(s, 1, hash);
    if (!s.executeStep()) return std::optional<uint64_t>();
    return std::optional<uint64_t>(static_cast<uint64_t>(s.getColumn(0).getInt64()));
  } catch (const std::exception& e) {
    return SqlError(e, "find block by hash");
  }
}

util::Result<std::optional<TxLocation>> Store::FindTx(const Hash256& id) const {
  try {
    SQLite::Statement s(*db_, "SELECT height, idx FROM txs WHERE id = ?");
    BindBlob(s, 1, id);
    if (!s.executeStep()) return std::optional<TxLocation>();
    return std::optional<TxLocation>(TxLocation{static_cast<uint64_t>(s.getColumn(0).getInt64()),
                                                static_cast<uint32_t>(s.getColumn(1).getInt())});
  } catch (const std::exception& e) {
    return SqlError(e, "find tx");
  }
}

util::Result<LtHash> Store::RecomputeLtHash() const {
  try {
    LtHash h;
    SQLite::Statement s(*db_, "SELECT key, value FROM state");
    while (s.executeStep()) {
      util::Bytes k = ColumnBytes(s.getColumn(0));
      util::Bytes v = ColumnBytes(s.getColumn(1));
      h.Add(util::AsChars(k), v);
    }
    return h;
  } catch (const std::exception& e) {
    return SqlError(e, "scan state for hashing");
  }
}

}  // namespace depin::ledger
