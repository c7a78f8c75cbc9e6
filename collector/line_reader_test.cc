#include "collector/line_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sitrep::collector {
namespace {

// A pipe fed with `content` by a thread (a pipe holds only 64 KiB), its writing end closed
// afterwards unless `keep_open`.
class Pipe {
 public:
  explicit Pipe(std::string content, bool keep_open = false) {
    EXPECT_EQ(::pipe(fds_), 0);
    writer_ = std::thread([this, content = std::move(content), keep_open] {
      for (size_t done = 0; done < content.size();) {
        const ssize_t n = ::write(fds_[1], content.data() + done, content.size() - done);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
      }
      if (!keep_open) Close();
    });
  }
  ~Pipe() {
    writer_.join();
    Close();
    ::close(fds_[0]);
  }
  void Close() {
    std::lock_guard lock(mu_);
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }
  // Waits until everything was written, then closes the writing end.
  void Finish() {
    writer_.join();
    writer_ = std::thread([] {});
    Close();
  }
  int read_end() const { return fds_[0]; }

 private:
  int fds_[2] = {-1, -1};
  std::mutex mu_;
  std::thread writer_;
};

TEST(LineReaderTest, SplitsLinesAndStripsCarriageReturns) {
  Pipe pipe("one\r\ntwo\n\nlast without newline");
  LineReader reader(pipe.read_end(), 100);
  std::string line;
  std::vector<std::string> lines;
  while (reader.Next(line) == LineReader::Result::kLine) lines.push_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "", "last without newline"}));
  EXPECT_EQ(reader.offset(), 30u);
  EXPECT_EQ(reader.Next(line), LineReader::Result::kEnd);
}

TEST(LineReaderTest, SkipsAnOverlongLineAndGoesOn) {
  const std::string huge(300'000, 'x');
  Pipe pipe("short\n" + huge + "\nafter\n" + huge);
  LineReader reader(pipe.read_end(), 1000);
  std::string line;
  EXPECT_EQ(reader.Next(line), LineReader::Result::kLine);
  EXPECT_EQ(reader.Next(line), LineReader::Result::kTooLong);
  EXPECT_EQ(reader.offset(), 6u + huge.size() + 1);
  EXPECT_EQ(reader.Next(line), LineReader::Result::kLine);
  EXPECT_EQ(line, "after");
  EXPECT_EQ(reader.Next(line), LineReader::Result::kTooLong);  // the unterminated last one
  EXPECT_EQ(reader.Next(line), LineReader::Result::kEnd);
}

TEST(LineReaderTest, OffsetsCountFromTheResumePosition) {
  Pipe pipe("abc\ndef\n");
  LineReader reader(pipe.read_end(), 100, /*start_offset=*/1000);
  std::string line;
  ASSERT_EQ(reader.Next(line), LineReader::Result::kLine);
  EXPECT_EQ(reader.offset(), 1004u);
}

TEST(LineReaderTest, ReportsIdleWhenAPipeHasNothingMore) {
  Pipe pipe("ready\npartial", /*keep_open=*/true);
  LineReader reader(pipe.read_end(), 100, 0, std::chrono::milliseconds(20));
  std::string line;
  EXPECT_EQ(reader.Next(line), LineReader::Result::kLine);
  EXPECT_EQ(reader.Next(line), LineReader::Result::kIdle);
  pipe.Finish();
  EXPECT_EQ(reader.Next(line), LineReader::Result::kLine);
  EXPECT_EQ(line, "partial");
}

}  // namespace
}  // namespace sitrep::collector
