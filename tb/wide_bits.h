// Reading and writing bit fields of Verilator port values, narrow (integers) or wide (VlWide).
#pragma once
#include <algorithm>
#include <cstdint>

#include <verilated.h>

namespace mixpe::tb {

template <typename T>
void set_bits(T& port, int lsb, int width, uint64_t value) {
  const uint64_t mask = width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
  port = T((uint64_t(port) & ~(mask << lsb)) | ((value & mask) << lsb));
}

// Word by word: a field of up to 64 bits spans at most three 32-bit words.
template <std::size_t N>
void set_bits(VlWide<N>& port, int lsb, int width, uint64_t value) {
  int done = 0;
  while (done < width) {
    const int bit = lsb + done, word = bit / 32, off = bit % 32;
    const int take = std::min(32 - off, width - done);
    const uint32_t mask = (take == 32 ? ~0u : ((1u << take) - 1u)) << off;
    port[word] = (port[word] & ~mask) | ((uint32_t(value >> done) << off) & mask);
    done += take;
  }
}

template <typename T>
uint64_t get_bits(const T& port, int lsb, int width) {
  const uint64_t mask = width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
  return (uint64_t(port) >> lsb) & mask;
}

template <std::size_t N>
uint64_t get_bits(const VlWide<N>& port, int lsb, int width) {
  uint64_t v = 0;
  int done = 0;
  while (done < width) {
    const int bit = lsb + done, word = bit / 32, off = bit % 32;
    const int take = std::min(32 - off, width - done);
    const uint32_t mask = take == 32 ? ~0u : ((1u << take) - 1u);
    v |= uint64_t((port[word] >> off) & mask) << done;
    done += take;
  }
  return v;
}

}  // namespace mixpe::tb
