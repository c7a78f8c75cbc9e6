#include "cli/cursor_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli/usage_error.h"

namespace sitrep::cli {
namespace {

namespace fs = std::filesystem;

std::string Content(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

class CursorFileTest : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/sitrep-cursor-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    path_ = dir_ / "feed.cursor";
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  fs::path path_;
};

TEST_F(CursorFileTest, AMissingFileStartsAtTheBeginningAndIsNotCreatedByReading) {
  {
    CursorFile file(path_);
    EXPECT_EQ(file.cursor(), "");
  }
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(CursorFileTest, ASavedCursorIsReadByTheNextRun) {
  {
    CursorFile file(path_);
    file.Save("c-41");
    file.Save("c-42");
    EXPECT_EQ(file.cursor(), "c-42");
  }
  EXPECT_EQ(Content(path_), "c-42\n");
  CursorFile next(path_);
  EXPECT_EQ(next.cursor(), "c-42");
}

TEST_F(CursorFileTest, WhitespaceAroundTheCursorIsIgnored) {
  std::ofstream(path_) << "  c-7\r\n\n";
  EXPECT_EQ(CursorFile(path_).cursor(), "c-7");
  std::ofstream(path_, std::ios::trunc) << "\n";
  EXPECT_EQ(CursorFile(path_).cursor(), "");
}

TEST_F(CursorFileTest, SaveReplacesTheFileByRenameLeavingNoTemporary) {
  std::ofstream(path_) << "old\n";
  // A reader that opened the old file keeps seeing it whole: the new content went to another
  // inode, renamed over the name, not written into the old one.
  std::ifstream reader(path_);
  CursorFile file(path_);
  file.Save("new");
  std::string seen;
  std::getline(reader, seen);
  EXPECT_EQ(seen, "old");
  EXPECT_EQ(Content(path_), "new\n");
  EXPECT_FALSE(fs::exists(dir_ / "feed.cursor.tmp"));
}

TEST_F(CursorFileTest, SavingTheSameCursorAgainWritesNothing) {
  CursorFile file(path_);
  file.Save("c-1");
  const fs::file_time_type written = fs::last_write_time(path_);
  fs::last_write_time(path_, written - std::chrono::hours(1));
  file.Save("c-1");
  EXPECT_EQ(fs::last_write_time(path_), written - std::chrono::hours(1));
}

TEST_F(CursorFileTest, ASecondRunOnTheSameFileIsRefusedWhileTheFirstLives) {
  auto first = std::make_unique<CursorFile>(path_);
  try {
    CursorFile second(path_);
    FAIL() << "two runs follow the same file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another sitrep is following"), std::string::npos)
        << e.what();
  }
  first.reset();
  EXPECT_NO_THROW(CursorFile again(path_));
}

TEST_F(CursorFileTest, AnUnreadableFileIsAUsageError) {
  fs::create_directory(path_);  // a directory where the file should be
  EXPECT_THROW(CursorFile file(path_), UsageError);
  EXPECT_THROW(CursorFile file(dir_ / "missing" / "feed.cursor"), UsageError);
}

TEST_F(CursorFileTest, ACursorThatCannotBeSavedSaysWhere) {
  CursorFile file(path_);
  fs::create_directory(dir_ / "feed.cursor.tmp");  // the temporary cannot be created
  try {
    file.Save("c-1");
    FAIL() << "saved into a directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot save the cursor to " + path_.string()),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(file.cursor(), "");
}

}  // namespace
}  // namespace sitrep::cli
