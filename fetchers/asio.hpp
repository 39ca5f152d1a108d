#pragma once
// The one place Asio is included. Boost 1.74's awaitable.hpp uses std::exchange
// without <utility>, which breaks under GCC 12 in C++20; include it first.
#include <utility>

#include <boost/asio.hpp>

namespace cqcwatch {
namespace asio = boost::asio;
}
