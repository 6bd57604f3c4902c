#include "util/env.h"

#include <gtest/gtest.h>

#include "util/temp_dir.h"

namespace depin::util {
namespace {

TEST(EnvTest, WriteReadAppendTruncate) {
  TempDir dir;
  Env* env = Env::Default();
  std::string path = dir.File("a.bin");
  {
    auto f = env->NewWritableFile(path);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    ASSERT_TRUE((*f)->Append(AsBytes("hello ")).ok());
    ASSERT_TRUE((*f)->Sync().ok());
    ASSERT_TRUE((*f)->Close().ok());
  }
  {
    auto f = env->NewAppendableFile(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append(AsBytes("world")).ok());
    ASSERT_TRUE((*f)->Close().ok());
  }
  auto data = env->ReadFile(path);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(AsChars(*data), "hello world");
  ASSERT_TRUE(env->TruncateFile(path, 5).ok());
  EXPECT_EQ(*env->GetFileSize(path), 5u);
}

TEST(EnvTest, MissingFileIsNotFoundWithPath) {
  TempDir dir;
  auto r = Env::Default()->ReadFile(dir.File("nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("nope"), std::string_view::npos);
}

TEST(EnvTest, AtomicWriteReplacesAndKeepsMode) {
  TempDir dir;
  Env* env = Env::Default();
  std::string path = dir.File("key");
  ASSERT_TRUE(env->WriteFileAtomic(path, AsBytes("one"), 0600).ok());
  ASSERT_TRUE(env->WriteFileAtomic(path, AsBytes("two"), 0600).ok());
  EXPECT_EQ(AsChars(*env->ReadFile(path)), "two");
  EXPECT_EQ(*env->GetFileMode(path), 0600u);
  EXPECT_FALSE(env->FileExists(path + ".tmp"));
}

TEST(EnvTest, ChildrenAndDirs) {
  TempDir dir;
  Env* env = Env::Default();
  ASSERT_TRUE(env->CreateDirs(dir.File("x/y")).ok());
  ASSERT_TRUE(env->CreateDirs(dir.File("x/y")).ok());
  auto kids = env->GetChildren(dir.File("x"));
  ASSERT_TRUE(kids.ok());
  ASSERT_EQ(kids->size(), 1u);
  EXPECT_EQ((*kids)[0], "y");
  EXPECT_TRUE(env->SyncDir(dir.path()).ok());
}

TEST(EnvTest, ClocksAdvance) {
  Env* env = Env::Default();
  uint64_t a = env->NowMicros();
  uint64_t b = env->NowMicros();
  EXPECT_LE(a, b);
  EXPECT_GT(env->NowUnixMillis(), 1'600'000'000'000);  // after 2020
}

TEST(PathTest, JoinAndDirName) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("c"), ".");
  EXPECT_EQ(DirName("/c"), "/");
}

}  // namespace
}  // namespace depin::util
