// memory_pair(): two ends across threads, close and shutdown semantics, deadlines.
#include <gtest/gtest.h>

#include <thread>

#include "runner/transport/test_support.h"

namespace h2conform::transport {
namespace {

using testing::elapsed_ms;
using testing::in_ms;
using testing::receive_text;
using testing::send_text;

TEST(MemoryPair, BytesFlowBothWays) {
  auto [a, b] = memory_pair();
  ASSERT_TRUE(send_text(*a, "hello", in_ms(1000)));
  EXPECT_EQ(receive_text(*b, 5, in_ms(1000)), "hello");
  ASSERT_TRUE(send_text(*b, "back", in_ms(1000)));
  EXPECT_EQ(receive_text(*a, 4, in_ms(1000)), "back");
  EXPECT_EQ(a->describe(), "memory");
}

TEST(MemoryPair, ReadHonoursSmallBuffersInOrder) {
  auto [a, b] = memory_pair();
  ASSERT_TRUE(send_text(*a, "abcdef", in_ms(1000)));
  std::uint8_t buf[4];
  IoResult r = b->read_some(buf, in_ms(1000));
  ASSERT_EQ(r.n, 4u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), 4), "abcd");
  r = b->read_some(buf, in_ms(1000));
  ASSERT_EQ(r.n, 2u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), 2), "ef");
}

TEST(MemoryPair, ReaderOnAnotherThreadWakesOnWrite) {
  auto [a, b] = memory_pair();
  std::string got;
  std::thread reader([&, end = b.get()] { got = receive_text(*end, 3, in_ms(5000)); });
  ASSERT_TRUE(send_text(*a, "xyz", in_ms(1000)));
  reader.join();
  EXPECT_EQ(got, "xyz");
}

TEST(MemoryPair, ReadDeadlineGivesTimeoutWithinBound) {
  auto [a, b] = memory_pair();
  const auto start = Clock::now();
  std::uint8_t buf[4];
  EXPECT_EQ(b->read_some(buf, in_ms(100)).status, IoStatus::kTimeout);
  EXPECT_GE(elapsed_ms(start), 95);
  EXPECT_LT(elapsed_ms(start), 2000);
}

TEST(MemoryPair, ShutdownWriteGivesClosedAfterDrainingAndKeepsOtherWay) {
  auto [a, b] = memory_pair();
  ASSERT_TRUE(send_text(*a, "bye", in_ms(1000)));
  a->shutdown_write();
  EXPECT_EQ(receive_text(*b, 3, in_ms(1000)), "bye");
  std::uint8_t buf[4];
  EXPECT_EQ(b->read_some(buf, in_ms(1000)).status, IoStatus::kClosed);
  EXPECT_EQ(a->write_all(buf, in_ms(1000)).status, IoStatus::kError);
  ASSERT_TRUE(send_text(*b, "ok", in_ms(1000)));
  EXPECT_EQ(receive_text(*a, 2, in_ms(1000)), "ok");
}

TEST(MemoryPair, CloseGivesClosedAfterDrainingAndWakesBlockedReader) {
  auto [a, b] = memory_pair();
  ASSERT_TRUE(send_text(*a, "end", in_ms(1000)));
  a->close();
  EXPECT_EQ(receive_text(*b, 3, in_ms(1000)), "end");
  std::uint8_t buf[4];
  EXPECT_EQ(b->read_some(buf, in_ms(1000)).status, IoStatus::kClosed);
  EXPECT_EQ(b->write_all(buf, in_ms(1000)).status, IoStatus::kClosed);
  EXPECT_EQ(a->read_some(buf, in_ms(1000)).status, IoStatus::kError);

  auto [c, d] = memory_pair();
  IoResult r;
  std::thread reader([&, end = d.get()] { r = end->read_some(buf, in_ms(5000)); });
  c.reset();  // destruction closes
  reader.join();
  EXPECT_EQ(r.status, IoStatus::kClosed);
}

}  // namespace
}  // namespace h2conform::transport
