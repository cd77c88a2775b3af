// Static table (Appendix A) and dynamic table (RFC 7541 §4).
#include <gtest/gtest.h>

#include "runner/hpack/hpack.h"

namespace h2conform::hpack {
namespace {

TEST(HpackStaticTable, HasSixtyOneEntriesOneBased) {
  EXPECT_EQ(static_entry(0), nullptr);
  EXPECT_EQ(static_entry(62), nullptr);
  ASSERT_NE(static_entry(1), nullptr);
  EXPECT_EQ(static_entry(1)->name, ":authority");
  EXPECT_EQ(static_entry(2)->value, "GET");
  EXPECT_EQ(static_entry(16)->value, "gzip, deflate");
  EXPECT_EQ(static_entry(61)->name, "www-authenticate");
}

TEST(HpackStaticTable, FindsExactAndNameMatches) {
  bool exact = false;
  EXPECT_EQ(static_find(":method", "POST", &exact), 3u);
  EXPECT_TRUE(exact);
  EXPECT_EQ(static_find(":method", "PUT", &exact), 2u);  // lowest index with the name
  EXPECT_FALSE(exact);
  EXPECT_EQ(static_find(":status", "404", &exact), 13u);
  EXPECT_TRUE(exact);
  EXPECT_EQ(static_find("cookie", "a=b", &exact), 32u);
  EXPECT_FALSE(exact);
  EXPECT_EQ(static_find("x-custom", "", &exact), 0u);
  EXPECT_FALSE(exact);
  EXPECT_EQ(static_find("authorization", "", &exact), 23u);
  EXPECT_TRUE(exact);
  for (std::size_t i = 1; i <= kStaticTableSize; ++i) {
    EXPECT_EQ(static_find(static_entry(i)->name, static_entry(i)->value, &exact), i) << i;
    EXPECT_TRUE(exact) << i;
  }
}

TEST(HpackDynamicTable, InsertsNewestFirstAndCountsSizes) {
  DynamicTable t;
  t.insert("a", "1");
  t.insert("bb", "22");
  EXPECT_EQ(t.count(), 2u);
  EXPECT_EQ(t.size(), 34u + 36u);
  EXPECT_EQ(t.at(1)->name, "bb");
  EXPECT_EQ(t.at(2)->name, "a");
  EXPECT_EQ(t.at(0), nullptr);
  EXPECT_EQ(t.at(3), nullptr);
  EXPECT_EQ(t.inserted(), 2u);
}

TEST(HpackDynamicTable, EvictsOldestToFit) {
  DynamicTable t(100);
  t.insert("aaaa", "1111");  // 40
  t.insert("bbbb", "2222");  // 80
  t.insert("cccc", "3333");  // would be 120: evicts aaaa
  EXPECT_EQ(t.count(), 2u);
  EXPECT_EQ(t.size(), 80u);
  EXPECT_EQ(t.at(2)->name, "bbbb");
  EXPECT_EQ(t.evictions(), 1u);
}

TEST(HpackDynamicTable, EntryLargerThanTableEmptiesIt) {
  DynamicTable t(64);
  t.insert("a", "b");
  t.insert(std::string(40, 'n'), std::string(40, 'v'));  // RFC 7541 §4.4
  EXPECT_EQ(t.count(), 0u);
  EXPECT_EQ(t.size(), 0u);
}

TEST(HpackDynamicTable, EntryExactlyTheTableSizeFits) {
  DynamicTable t(64);
  t.insert(std::string(16, 'n'), std::string(16, 'v'));
  EXPECT_EQ(t.count(), 1u);
  EXPECT_EQ(t.size(), 64u);
}

TEST(HpackDynamicTable, LoweringMaxSizeEvicts) {
  DynamicTable t;
  for (int i = 0; i < 10; ++i) t.insert("name" + std::to_string(i), "value");
  t.set_max_size(100);  // RFC 7541 §4.3
  EXPECT_EQ(t.count(), 2u);
  EXPECT_EQ(t.at(1)->name, "name9");
  t.set_max_size(0);
  EXPECT_EQ(t.count(), 0u);
  t.insert("x", "y");
  EXPECT_EQ(t.count(), 0u);
}

TEST(HpackDynamicTable, GrowsPastInitialRingCapacityInOrder) {
  DynamicTable t(1 << 20);
  for (int i = 0; i < 1000; ++i) t.insert("n" + std::to_string(i), "v");
  ASSERT_EQ(t.count(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(t.at(1000 - i)->name, "n" + std::to_string(i));
}

TEST(HpackDynamicTable, WrapsAroundTheRingManyTimes) {
  DynamicTable t(10 * 34);
  for (int i = 0; i < 500; ++i) t.insert("n", std::to_string(i % 10));
  ASSERT_EQ(t.count(), 10u);
  for (int k = 1; k <= 10; ++k) EXPECT_EQ(t.at(k)->value, std::to_string((500 - k) % 10));
  EXPECT_EQ(t.evictions(), 490u);
}

}  // namespace
}  // namespace h2conform::hpack
