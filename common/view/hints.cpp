// common/view/hints.cpp
//! One line of advice per reason: condition reasons the operator sets (docs/operator.md), pod statuses
//! and the Warning event reasons Kubernetes components report.
#include <cctype>
#include <set>

#include "common/view/cluster_view.hpp"

namespace mg::view {
namespace {

bool one_of(const std::string& reason, const std::set<std::string>& reasons) {
  return reasons.count(reason) > 0;
}

}  // namespace

std::string hint_for(const std::string& reason, const std::string& object, const std::string& message,
                     const ClusterView& view) {
  const std::string ns = " -n " + view.namespace_name;
  const std::string name = view.name;
  const auto slash = object.find('/');
  const std::string kind = slash == std::string::npos ? object : object.substr(0, slash);
  const std::string object_name = slash == std::string::npos ? "" : object.substr(slash + 1);
  const std::string pod = kind == "Pod" ? object_name : "POD";
  bool progressing = false;
  for (const auto& c : view.conditions) progressing = progressing || (c.type == "Progressing" && c.status == "True");

  if (reason == "TemplateMissing") {
    return "create the template or fix the name in spec (cellTemplate/shardTemplate); "
           "kubectl get celltemplates,shardtemplates" +
           ns + " lists what exists";
  }
  if (reason == "InvalidSpec") {
    return "fix the field named in the message with kubectl edit multigrescluster " + name + ns +
           "; kubectl multigres validate -f FILE checks a manifest offline";
  }
  if (reason == "ApplyFailed") {
    return "the API server refused what the operator applied: change the field the message names with "
           "kubectl edit multigrescluster " +
           name + ns;
  }
  if (reason == "SpecNotApplied") {
    return "nothing running was changed; the spec applies once the problem above is fixed";
  }
  if (reason == "Starting" && kind != "Pod") {
    return "still starting up: follow it with kubectl multigres status " + name + ns + " --watch";
  }
  if (reason == "ComponentsNotReady") {
    return progressing ? "a change is rolling out: follow it with kubectl multigres status " + name + ns + " --watch"
                       : "kubectl multigres topology " + name + ns + " shows which pods are not ready";
  }
  if (reason == "ComponentsFailing") {
    return "nothing is rolling out: kubectl multigres topology " + name + ns + " shows the pods that are not ready";
  }
  if (reason == "NoStatus") {
    return "check that the operator runs and watches namespace " + view.namespace_name + " (its log names the cluster)";
  }
  if (reason == "NotObserved") {
    return "the operator has not caught up yet; if this lasts, check that the operator is running";
  }
  if (reason == "GatewayNotReady") {
    return "kubectl get pods" + ns + " -l multigres.com/cluster=" + name +
           ",app.kubernetes.io/component=multigateway shows the gateway pods";
  }
  if (reason == "EtcdUnreachable" || reason == "EtcdError") {
    return "the operator cannot write the topology records: check the etcd the message names (kubectl get "
           "toposervers" +
           ns + ", or the external endpoints in spec.globalTopoServer); it retries by itself";
  }
  if (reason == "DrainTimeout") {
    return "the message says why each pod waits (a primary waits for a switchover: multiadmin must offer "
           "switch-primary, or multiorch must move the primary); the drain goes on by itself, and removing the "
           "pod's drain.multigres.com/state annotation cancels it (docs/operations.md)";
  }
  if (reason == "RecordNotOwned") {
    return "a topology record is not this cluster's (docs/topology.md): delete it or use another rootPath";
  }
  if (reason == "CellInUse") {
    return "the cell stays registered while the databases the message names list it; it is removed after them";
  }
  if (reason == "NoQuorum") {
    return "etcd has lost quorum: kubectl get pods" + ns + " -l multigres.com/topo-server=" + object_name;
  }
  if (reason == "PodsNotReady" || reason == "Creating" || reason == "ShardsNotReady") {
    return "kubectl multigres topology " + name + ns + " shows their pods";
  }
  const bool scheduling = one_of(reason, {"Pending", "FailedScheduling", "Unschedulable"});
  std::string lower = message;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheduling &&
      (lower.find("persistentvolumeclaim") != std::string::npos || lower.find("volumebinding") != std::string::npos)) {
    return "volumes are not bound yet: kubectl get pvc" + ns + " (check the StorageClass and its provisioner)";
  }
  if (scheduling) {
    return "check node capacity/zone labels: kubectl describe pod " + pod + ns +
           "; kubectl get nodes -L topology.kubernetes.io/zone";
  }
  if (one_of(reason, {"Starting", "ContainerCreating", "PodInitializing", "FailedMount", "FailedAttachVolume"})) {
    return "volumes or containers are not ready yet: kubectl describe pod " + pod + ns + "; kubectl get pvc" + ns;
  }
  if (one_of(reason, {"CrashLoopBackOff", "BackOff", "Error", "RunContainerError", "CreateContainerError"})) {
    return "a container keeps failing: kubectl logs " + pod + ns + " --all-containers --previous";
  }
  if (one_of(reason, {"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"})) {
    return "check spec.images and imagePullSecrets of the cluster; kubectl describe pod " + pod + ns;
  }
  if (one_of(reason, {"OOMKilled", "Evicted"})) {
    return "raise the resources in the spec or free the node; kubectl describe pod " + pod + ns;
  }
  if (reason == "NotReady" || reason == "Unhealthy") {
    return "a readiness probe fails: kubectl logs " + pod + ns + " --all-containers";
  }
  if (one_of(reason, {"ProvisioningFailed", "FailedBinding"})) {
    return "the volume cannot be provisioned: kubectl get storageclass; kubectl describe pvc" + ns;
  }
  if (object_name.empty()) return "kubectl describe multigrescluster " + name + ns;
  std::string lower_kind = kind;
  for (char& c : lower_kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "kubectl describe " + lower_kind + "/" + object_name + ns;
}

}  // namespace mg::view
