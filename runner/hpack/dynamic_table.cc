// Dynamic table (RFC 7541 §4): a ring buffer, newest entry at head_.
#include <utility>

#include "runner/hpack/hpack.h"

namespace h2conform::hpack {
namespace {

std::size_t entry_size(std::string_view name, std::string_view value) {
  return name.size() + value.size() + kEntryOverhead;  // RFC 7541 §4.1
}

}  // namespace

void DynamicTable::evict_to(std::size_t target) {
  // RFC 7541 §4.4: evict from the end (oldest) until the new entry fits.
  while (size_ > target && count_ > 0) {
    const HeaderField& oldest = ring_[(head_ + count_ - 1) & mask_];
    size_ -= entry_size(oldest.name, oldest.value);
    --count_;
    ++evictions_;
  }
}

void DynamicTable::grow() {
  const std::size_t cap = ring_.empty() ? 16 : ring_.size() * 2;
  std::vector<HeaderField> bigger(cap);
  for (std::size_t i = 0; i < count_; ++i) bigger[i] = std::move(ring_[(head_ + i) & mask_]);
  ring_ = std::move(bigger);
  mask_ = cap - 1;
  head_ = 0;
}

void DynamicTable::insert_copy(std::string_view name, std::string_view value) {
  const std::size_t need = entry_size(name, value);
  ++inserted_;
  if (need > max_size_) {
    // RFC 7541 §4.4: an entry larger than the maximum size empties the table.
    evict_to(0);
    return;
  }
  evict_to(max_size_ - need);
  if (count_ == ring_.size()) grow();
  head_ = (head_ + ring_.size() - 1) & mask_;
  HeaderField& slot = ring_[head_];
  slot.name.assign(name.data(), name.size());
  slot.value.assign(value.data(), value.size());
  slot.never_index = false;
  ++count_;
  size_ += need;
}

void DynamicTable::insert(std::string name, std::string value) {
  insert_copy(name, value);
}

void DynamicTable::set_max_size(std::uint32_t max_size) {
  max_size_ = max_size;
  evict_to(max_size);  // RFC 7541 §4.3
}

}  // namespace h2conform::hpack
