// operator/controllers/gateway_gate.cpp
#include "operator/controllers/gateway_gate.hpp"

namespace mg::controllers {

GatewayGate gateway_gate(bool gateway_exists, const std::vector<TopoServerState>& managed) {
  if (gateway_exists) return {};
  for (const auto& topo : managed) {
    if (!topo.found) return {false, "TopoServer " + topo.name + " (not created yet)"};
    if (!topo.available) return {false, "TopoServer " + topo.name + " (not Available)"};
  }
  return {};
}

}  // namespace mg::controllers
