// POSIX implementation of Env. Every failure carries the path and strerror(errno).
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "util/env.h"

namespace depin::util {
namespace {

Status PosixError(const std::string& what, const std::string& path, int err) {
  std::string message = path + ": " + what + ": " + std::strerror(err);
  if (err == ENOENT) return Status::NotFound(message);
  if (err == EACCES || err == EPERM) return Status::PermissionDenied(message);
  return Status::IOError(message);
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) (void)Close();
  }

  Status Append(ByteView data) override {
    // Small appends are buffered so that a record written in pieces costs one write(2).
    if (buffer_.size() + data.size() > kBufferSize) DEPIN_RETURN_IF_ERROR(Flush());
    if (data.size() >= kBufferSize) return WriteAll(data);
    buffer_.insert(buffer_.end(), data.begin(), data.end());
    return Status::Ok();
  }

  Status Flush() override {
    Status s = WriteAll(buffer_);
    buffer_.clear();
    return s;
  }

  Status Sync() override {
    DEPIN_RETURN_IF_ERROR(Flush());
    if (::fdatasync(fd_) != 0) return PosixError("fdatasync", path_, errno);
    return Status::Ok();
  }

  Status Close() override {
    Status s = Flush();
    if (::close(fd_) != 0 && s.ok()) s = PosixError("close", path_, errno);
    fd_ = -1;
    return s;
  }

 private:
  static constexpr size_t kBufferSize = 64 * 1024;

  Status WriteAll(ByteView data) {
    const uint8_t* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return PosixError("write", path_, errno);
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  std::string path_;
  int fd_;
  Bytes buffer_;
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }

  Result<ByteView> Read(uint64_t offset, size_t n, uint8_t* scratch) const override {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_, scratch + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return PosixError("pread", path_, errno);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    return ByteView(scratch, got);
  }

 private:
  std::string path_;
  int fd_;
};

class PosixFileLock final : public FileLock {
 public:
  PosixFileLock(int fd, bool exclusive) : fd_(fd), exclusive_(exclusive) {}
  ~PosixFileLock() override {
    if (exclusive_) (void)::ftruncate(fd_, 0);  // no stale pid for the next reader of the file
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
  bool exclusive_;
};

// Who holds the lock on `fd`'s file: an exclusive holder's pid (from the file), or readers.
std::string DescribeHolder(int fd) {
  if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {  // only shared holders
    ::flock(fd, LOCK_UN);
    return "held by readers";
  }
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  long long pid = 0;
  for (ssize_t i = 0; i < n && text[i] >= '0' && text[i] <= '9'; ++i)
    pid = pid * 10 + (text[i] - '0');
  if (pid <= 0) return "held by another process";
  return "held by pid " + std::to_string(pid);
}

class PosixEnv final : public Env {
 public:
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path, LockMode mode) override {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError("open lock file", path, errno);
    const bool exclusive = mode == LockMode::kExclusive;
    while (::flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      Status st = err == EWOULDBLOCK ? Status::FailedPrecondition(path + ": " + DescribeHolder(fd))
                                     : PosixError("flock", path, err);
      ::close(fd);
      return st;
    }
    if (exclusive) {
      const std::string pid = std::to_string(::getpid()) + "\n";
      if (::ftruncate(fd, 0) != 0 ||
          ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        const int err = errno;
        ::close(fd);
        return PosixError("write pid to lock file", path, err);
      }
    }
    return std::unique_ptr<FileLock>(new PosixFileLock(fd, exclusive));
  }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                        uint32_t mode) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return PosixError("open for writing", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }

  Result<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError("open for appending", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }

  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PosixError("open for reading", path, errno);
    return std::unique_ptr<RandomAccessFile>(new PosixRandomAccessFile(path, fd));
  }

  Result<Bytes> ReadFile(const std::string& path) override {
    DEPIN_ASSIGN_OR_RETURN(auto file, NewRandomAccessFile(path));
    DEPIN_ASSIGN_OR_RETURN(uint64_t size, GetFileSize(path));
    Bytes out(size);
    DEPIN_ASSIGN_OR_RETURN(ByteView got, file->Read(0, size, out.data()));
    out.resize(got.size());
    return out;
  }

  Status WriteFileAtomic(const std::string& path, ByteView data, uint32_t mode) override {
    std::string tmp = path + ".tmp";
    {
      DEPIN_ASSIGN_OR_RETURN(auto file, NewWritableFile(tmp, mode));
      DEPIN_RETURN_IF_ERROR(file->Append(data));
      DEPIN_RETURN_IF_ERROR(file->Sync());
      DEPIN_RETURN_IF_ERROR(file->Close());
    }
    DEPIN_RETURN_IF_ERROR(RenameFile(tmp, path));
    return SyncDir(DirName(path));
  }

  bool FileExists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  Result<std::vector<std::string>> GetChildren(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return PosixError("opendir", dir, errno);
    std::vector<std::string> out;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") out.push_back(std::move(name));
    }
    ::closedir(d);
    return out;
  }

  Result<uint64_t> GetFileSize(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return PosixError("stat", path, errno);
    return static_cast<uint64_t>(st.st_size);
  }

  Result<uint32_t> GetFileMode(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return PosixError("stat", path, errno);
    return static_cast<uint32_t>(st.st_mode & 07777);
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PosixError("unlink", path, errno);
    return Status::Ok();
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return PosixError("rename to " + to, from, errno);
    return Status::Ok();
  }

  Status TruncateFile(const std::string& path, uint64_t size) override {
    if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) {
      return PosixError("truncate", path, errno);
    }
    return Status::Ok();
  }

  Status CreateDirs(const std::string& dir) override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError(dir + ": create directory: " + ec.message());
    return Status::Ok();
  }

  Status SyncDir(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return PosixError("open directory", dir, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return PosixError("fsync directory", dir, err);
    return Status::Ok();
  }

  uint64_t NowMicros() override {
    auto now = std::chrono::steady_clock::now().time_since_epoch();
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now).count());
  }

  int64_t NowUnixMillis() override {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  }

  bool SleepForMicros(uint64_t micros, Wakeup* wakeup) override {
    const std::chrono::microseconds d(micros);
    if (wakeup != nullptr) return wakeup->WaitFor(d);
    std::this_thread::sleep_for(d);
    return false;
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv();  // never destroyed: used until process exit
  return env;
}

Result<FileLimit> GetFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return Status::IOError(std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
  }
  auto value = [](rlim_t v) { return v == RLIM_INFINITY ? uint64_t{0} : uint64_t{v}; };
  return FileLimit{value(limit.rlim_cur), value(limit.rlim_max)};
}

Result<FileLimit> RaiseFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return Status::IOError(std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
  }
  if (limit.rlim_cur != limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) {
      return Status::IOError(std::string("setrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
    }
  }
  return GetFileLimit();
}

std::string JoinPath(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (a.back() == '/') return a + b;
  return a + "/" + b;
}

std::string DirName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace depin::util
