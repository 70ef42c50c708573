// tests/unit/controllers/gateway_gate_test.cpp
#include <catch2/catch.hpp>

#include "operator/controllers/gateway_gate.hpp"

using mg::controllers::gateway_gate;
using mg::controllers::TopoServerState;

TEST_CASE("a new gateway waits for every managed etcd it registers in", "[controllers]") {
  CHECK(gateway_gate(false, {}).start);  // external etcd: nothing to wait for
  CHECK(gateway_gate(false, {{"g", true, true}, {"c", true, true}}).start);
  auto gate = gateway_gate(false, {{"g", true, true}, {"c", true, false}});
  CHECK_FALSE(gate.start);
  CHECK(gate.waiting_for == "TopoServer c (not Available)");
  gate = gateway_gate(false, {{"g", false, false}});
  CHECK_FALSE(gate.start);
  CHECK(gate.waiting_for == "TopoServer g (not created yet)");
}

TEST_CASE("a gateway that exists is never held back by its etcd", "[controllers]") {
  CHECK(gateway_gate(true, {{"g", true, false}}).start);
  CHECK(gateway_gate(true, {{"g", false, false}}).start);
}
