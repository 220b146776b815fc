// A dense row-major matrix: the container for X, W and Y throughout.
#pragma once
#include <cstddef>
#include <vector>

namespace mixpe {

template <typename T>
struct Matrix {
  int rows = 0;
  int cols = 0;
  std::vector<T> data;

  Matrix() = default;
  Matrix(int r, int c, T fill = T{}) : rows(r), cols(c), data(size_t(r) * size_t(c), fill) {}
  T& at(int r, int c) { return data[size_t(r) * size_t(cols) + size_t(c)]; }
  const T& at(int r, int c) const { return data[size_t(r) * size_t(cols) + size_t(c)]; }

  Matrix transposed() const {
    Matrix t(cols, rows);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) t.at(c, r) = at(r, c);
    return t;
  }
};

}  // namespace mixpe
