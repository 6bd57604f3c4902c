// The report log's format version (issue 16): a log written under wire v1 is refused before it is
// opened, with an error naming the version and what to do, and nothing in it changes; a version 2
// log is recognised with or without its FORMAT file.
#include "ingest/log_version.h"

#include <gtest/gtest.h>

#include <map>

#include "crypto/ed25519.h"
#include "ingest/log_payload.h"
#include "ingest/report_builder.h"
#include "ingest/report_log.h"
#include "util/temp_dir.h"

namespace depin::ingest {
namespace {

using util::Code;

// Every file under <dir>/reports with its bytes: what "changes nothing" compares.
std::map<std::string, util::Bytes> Snapshot(const util::TempDir& dir) {
  util::Env* env = util::Env::Default();
  std::map<std::string, util::Bytes> out;
  const std::string log_dir = dir.File("reports");
  auto names = env->GetChildren(log_dir);
  if (!names.ok()) return out;
  for (const std::string& name : *names) out[name] = env->ReadFile(log_dir + "/" + name).value();
  return out;
}

// A log record holding a heartbeat whose Report.version is `version`, appended through the log
// itself (which treats payloads as opaque), as the node of that version wrote it.
void WriteLogWithReportVersion(const util::TempDir& dir, uint32_t version) {
  const crypto::KeyPair device = crypto::KeyPair::Generate();
  wire::v1::SignedReport signed_report;
  *signed_report.mutable_report() = MakeHeartbeat(device.public_key(), 1'700'000'000'000, 1, 1);
  signed_report.mutable_report()->set_version(version);
  signed_report.set_signature(std::string(64, '\x07'));
  const std::string bytes = signed_report.SerializeAsString();
  util::Bytes payload;
  EncodeSignedReportPayload(util::AsBytes(bytes), &payload);
  ReportLogOptions options;
  options.data_dir = dir.path();
  auto log = ReportLog::Open(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_TRUE((*log)->AppendAndWait(3, std::vector<AppendRecord>{{1, payload}}).ok());
  ASSERT_TRUE((*log)->Close().ok());
}

TEST(ReportLogFormatTest, AWireV1LogIsRefusedNamingTheVersionAndWhatToDoAndNothingChanges) {
  util::TempDir dir;
  WriteLogWithReportVersion(dir, 1);
  const auto before = Snapshot(dir);
  ASSERT_FALSE(before.empty());
  util::Status s = CheckReportLogFormat(util::Env::Default(), dir.path(), /*record=*/true);
  EXPECT_EQ(s.code(), Code::kUnsupported) << s.ToString();
  EXPECT_NE(s.message().find("format version 1"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("reads version 2"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("depin init"), std::string::npos) << s.ToString();
  EXPECT_EQ(Snapshot(dir), before);
}

TEST(ReportLogFormatTest, AFormatFileNamingAnotherVersionIsRefused) {
  util::TempDir dir;
  WriteLogWithReportVersion(dir, 2);
  ASSERT_TRUE(util::Env::Default()
                  ->WriteFileAtomic(dir.File("reports/FORMAT"),
                                    util::AsBytes(std::string("opendepin report log 1\n")))
                  .ok());
  const auto before = Snapshot(dir);
  util::Status s = CheckReportLogFormat(util::Env::Default(), dir.path(), /*record=*/true);
  EXPECT_EQ(s.code(), Code::kUnsupported) << s.ToString();
  EXPECT_NE(s.message().find("format version 1"), std::string::npos) << s.ToString();
  EXPECT_EQ(Snapshot(dir), before);
}

TEST(ReportLogFormatTest, AVersion2LogWithoutTheFileGetsItAndANewLogToo) {
  util::TempDir dir;
  WriteLogWithReportVersion(dir, 2);
  ASSERT_TRUE(CheckReportLogFormat(util::Env::Default(), dir.path(), /*record=*/true).ok());
  auto text = util::Env::Default()->ReadFile(dir.File("reports/FORMAT"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(std::string(util::AsChars(*text)), "opendepin report log 2\n");
  EXPECT_TRUE(CheckReportLogFormat(util::Env::Default(), dir.path(), /*record=*/true).ok());

  util::TempDir fresh;
  ASSERT_TRUE(CheckReportLogFormat(util::Env::Default(), fresh.path(), /*record=*/true).ok());
  EXPECT_TRUE(util::Env::Default()->FileExists(fresh.File("reports/FORMAT")));
}

}  // namespace
}  // namespace depin::ingest
