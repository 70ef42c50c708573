// tests/unit/runtime/workqueue_test.cpp: WorkQueue dedup, one worker per key, backoff, delays and shutdown.
#include "operator/runtime/workqueue.hpp"

#include <array>
#include <atomic>
#include <catch2/catch.hpp>

#include "tests/unit/runtime/fake_clock.hpp"
#include <chrono>
#include <stop_token>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using mg::runtime::Clock;
using mg::runtime::ExponentialBackoff;
using mg::runtime::WorkQueue;
using mg::runtime::WorkQueueOptions;

namespace {

using mg::test::FakeClock;

//! get() that must not block: the caller has arranged for a key to be ready.
std::optional<std::string> get_ready(WorkQueue& q) {
  REQUIRE(q.size() > 0);
  return q.get(std::stop_token{});
}

}  // namespace

TEST_CASE("add dedups keys that are waiting", "[runtime]") {
  FakeClock clock;
  WorkQueue q(clock);
  q.add("ns/a");
  q.add("ns/b");
  q.add("ns/a");
  CHECK(q.size() == 2);
  CHECK(get_ready(q) == "ns/a");
  CHECK(get_ready(q) == "ns/b");
  CHECK(q.size() == 0);
}

TEST_CASE("a key re-added while processing is queued once, after done", "[runtime]") {
  FakeClock clock;
  WorkQueue q(clock);
  q.add("ns/a");
  auto key = get_ready(q);
  REQUIRE(key == "ns/a");

  q.add("ns/a");
  q.add("ns/a");
  CHECK(q.size() == 0);  // not handed out while a worker holds it

  q.done("ns/a");
  CHECK(q.size() == 1);
  CHECK(get_ready(q) == "ns/a");
  q.done("ns/a");
  CHECK(q.size() == 0);
}

TEST_CASE("never two workers with the same key under 4 threads", "[runtime]") {
  WorkQueue q;  // real clock; no delays are used
  constexpr int kKeys = 3;
  const std::array<std::string, kKeys> keys = {"ns/k0", "ns/k1", "ns/k2"};
  std::array<std::atomic<bool>, kKeys> busy{};
  std::atomic<int> overlaps{0};
  std::atomic<int> processed{0};

  auto index_of = [&](const std::string& key) { return key.back() - '0'; };
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < 4; ++w) {
      workers.emplace_back([&, w](std::stop_token stop) {
        int n = 0;
        while (auto key = q.get(stop)) {
          const int i = index_of(*key);
          if (busy[i].exchange(true)) {
            overlaps.fetch_add(1);
          }
          if ((n++ + w) % 2 == 0) {
            q.add(*key);  // re-add while processing
          }
          std::this_thread::yield();
          busy[i].store(false);
          processed.fetch_add(1);
          q.done(*key);
        }
      });
    }
    for (int n = 0; processed.load() < 2000; ++n) {
      q.add(keys[n % kKeys]);
      if (n % 8 == 0) {
        std::this_thread::yield();
      }
    }
    q.shut_down();
  }  // joins the workers
  CHECK(overlaps.load() == 0);
  CHECK(processed.load() >= 2000);
}

TEST_CASE("backoff doubles from the base and caps at the max", "[runtime]") {
  SECTION("defaults: 5 ms doubling to 1000 s") {
    ExponentialBackoff b;
    CHECK(b.next("k") == 5ms);
    CHECK(b.next("k") == 10ms);
    CHECK(b.next("k") == 20ms);
    CHECK(b.next("k") == 40ms);
    for (int i = 0; i < 100; ++i) {
      CHECK(b.next("k") <= 1000s);  // no overflow past the cap
    }
    CHECK(b.next("k") == 1000s);
    CHECK(b.num_requeues("k") == 105);
    CHECK(b.next("other") == 5ms);  // per key
  }
  SECTION("configured") {
    ExponentialBackoff b(1ms, 6ms);
    CHECK(b.next("k") == 1ms);
    CHECK(b.next("k") == 2ms);
    CHECK(b.next("k") == 4ms);
    CHECK(b.next("k") == 6ms);
    CHECK(b.next("k") == 6ms);
  }
}

TEST_CASE("add_rate_limited delays by the backoff on the clock", "[runtime]") {
  FakeClock clock;
  WorkQueue q(clock, WorkQueueOptions{10ms, 40ms});
  for (auto expected : {10ms, 20ms, 40ms, 40ms}) {
    q.add_rate_limited("ns/a");
    clock.advance(expected - 1ms);
    CHECK(q.size() == 0);
    clock.advance(1ms);
    CHECK(q.size() == 1);
    CHECK(get_ready(q) == "ns/a");
    q.done("ns/a");
  }
  CHECK(q.num_requeues("ns/a") == 4);
}

TEST_CASE("forget resets the backoff", "[runtime]") {
  FakeClock clock;
  WorkQueue q(clock);
  q.add_rate_limited("ns/a");
  q.add_rate_limited("ns/a");
  CHECK(q.num_requeues("ns/a") == 2);
  q.forget("ns/a");
  CHECK(q.num_requeues("ns/a") == 0);

  clock.advance(5ms);  // the pending add is due (of 5 ms and 10 ms, the earlier time is kept)
  CHECK(get_ready(q) == "ns/a");
  q.done("ns/a");
  q.add_rate_limited("ns/a");
  clock.advance(4ms);
  CHECK(q.size() == 0);
  clock.advance(1ms);  // back to the 5 ms base
  CHECK(q.size() == 1);
}

TEST_CASE("add_after hands keys out in ready-time order", "[runtime]") {
  FakeClock clock;
  WorkQueue q(clock);
  q.add_after("ns/late", 30ms);
  q.add_after("ns/early", 10ms);
  q.add_after("ns/mid", 20ms);
  q.add_after("ns/mid", 25ms);  // a later time for a delayed key is ignored
  q.add_after("ns/now", 0ms);
  CHECK(q.size() == 1);
  CHECK(get_ready(q) == "ns/now");

  clock.advance(15ms);
  CHECK(q.size() == 1);
  CHECK(get_ready(q) == "ns/early");
  clock.advance(100ms);
  CHECK(q.size() == 2);
  CHECK(get_ready(q) == "ns/mid");
  CHECK(get_ready(q) == "ns/late");
}

TEST_CASE("a getter blocked on a delayed key wakes when the clock moves", "[runtime]") {
  FakeClock clock;
  WorkQueue q(clock);
  q.add_after("ns/a", 1h);  // a real wait of an hour if tick() did not wake the getter
  std::optional<std::string> got;
  std::jthread getter([&](std::stop_token stop) { got = q.get(stop); });
  clock.advance(1h);
  q.tick();
  getter.join();
  CHECK(got == "ns/a");
}

TEST_CASE("shut_down and stop wake blocked getters", "[runtime]") {
  SECTION("shut_down") {
    WorkQueue q;
    std::atomic<int> returned_empty{0};
    {
      std::vector<std::jthread> getters;
      for (int i = 0; i < 3; ++i) {
        getters.emplace_back([&](std::stop_token stop) {
          if (!q.get(stop)) {
            returned_empty.fetch_add(1);
          }
        });
      }
      q.shut_down();
    }
    CHECK(returned_empty.load() == 3);
    q.add("ns/a");  // ignored after shutdown
    CHECK(q.size() == 0);
    CHECK(q.shutting_down());
  }
  SECTION("stop_token") {
    WorkQueue q;
    std::optional<std::string> got = "unset";
    std::jthread getter([&](std::stop_token stop) { got = q.get(stop); });
    getter.request_stop();
    getter.join();
    CHECK_FALSE(got.has_value());
  }
}
