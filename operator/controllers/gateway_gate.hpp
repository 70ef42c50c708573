// operator/controllers/gateway_gate.hpp
//! When a cell's gateway may first start, as a pure decision. multigateway v0.1.0 registers itself in
//! the topology synchronously within 10 s of starting and exits when it cannot
//! (go/services/multigateway/init.go, RegisterSynchronous): started beside a managed etcd that is still
//! forming its quorum, it crash-loops until the etcd answers. So the gateway Deployment is first created
//! once every managed topology server it registers in (the cluster's global one, the cell's own) is
//! Available; an external etcd is taken as ready. A gateway that exists is never held back: an etcd
//! that goes away later must not take the cell's gateways with it.
#pragma once

#include <string>
#include <vector>

namespace mg::controllers {

struct TopoServerState {
  std::string name;
  bool found = false;      //!< the TopoServer is in the cache
  bool available = false;  //!< its condition Available is True
};

struct GatewayGate {
  bool start = true;
  std::string waiting_for;  //!< when !start: "TopoServer <name> (not Available)" for status and logs
};

//! `managed`: the managed TopoServers the gateway registers in (none when the etcd is external).
GatewayGate gateway_gate(bool gateway_exists, const std::vector<TopoServerState>& managed);

}  // namespace mg::controllers
