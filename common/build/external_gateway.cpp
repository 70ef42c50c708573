// common/build/external_gateway.cpp
#include "common/build/external_gateway.hpp"

#include "common/build/multigateway.hpp"
#include "common/build/objects.hpp"
#include "common/naming/names.hpp"
#include "common/resolve/defaults.hpp"

namespace mg::build {

std::optional<api::k8s::Service> external_gateway_service(const resolve::ResolvedCluster& rc) {
  if (!rc.externalGateway) return std::nullopt;
  const api::ExternalGatewaySpec& spec = *rc.externalGateway;
  // Every cell's gateways: the selector leaves the cell out.
  naming::Scope scope;
  scope.cluster = rc.name;
  scope.component = naming::kComponentGateway;
  api::k8s::Service s;
  s.metadata = object_meta(naming::external_gateway(rc.name), rc.namespace_, scope, controller_ref(rc.owner));
  s.metadata.annotations = spec.annotations;
  s.spec.type = std::string(
      api::Codec<api::ExternalServiceType>::name(spec.type.value_or(resolve::kDefaultExternalServiceType)));
  s.spec.selector = naming::selector(scope);
  s.spec.ports = {service_port("postgres", kPostgresPort), service_port("pg-replica", kGatewayPgReplicaPort)};
  s.spec.externalIPs = spec.externalIPs;
  return s;
}

}  // namespace mg::build
