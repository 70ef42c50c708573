// common/api/meta.cpp
#include "common/api/meta.hpp"

namespace mg::api {

void Describe<OwnerReference>::fields(Fields<OwnerReference>& f) {
  f("apiVersion", &OwnerReference::apiVersion);
  f("kind", &OwnerReference::kind);
  f("name", &OwnerReference::name);
  f("uid", &OwnerReference::uid);
  f("controller", &OwnerReference::controller);
  f("blockOwnerDeletion", &OwnerReference::blockOwnerDeletion);
}

void Describe<ObjectMeta>::fields(Fields<ObjectMeta>& f) {
  f("name", &ObjectMeta::name);
  f("generateName", &ObjectMeta::generateName);
  f("namespace", &ObjectMeta::namespace_);
  f("uid", &ObjectMeta::uid);
  f("resourceVersion", &ObjectMeta::resourceVersion);
  f("generation", &ObjectMeta::generation);
  f("creationTimestamp", &ObjectMeta::creationTimestamp);
  f("deletionTimestamp", &ObjectMeta::deletionTimestamp);
  f("labels", &ObjectMeta::labels);
  f("annotations", &ObjectMeta::annotations);
  f("ownerReferences", &ObjectMeta::ownerReferences);
  f("finalizers", &ObjectMeta::finalizers);
}

void Describe<Condition>::fields(Fields<Condition>& f) {
  f("type", &Condition::type).require().max_len(316);
  f("status", &Condition::status).require().max_len(16);
  f("observedGeneration", &Condition::observedGeneration).min(0);
  f("lastTransitionTime", &Condition::lastTransitionTime).require().max_len(64);
  f("reason", &Condition::reason).require().max_len(1024);
  f("message", &Condition::message).require().max_len(kMaxConditionMessage);
}

void Describe<LocalObjectReference>::fields(Fields<LocalObjectReference>& f) {
  f("name", &LocalObjectReference::name).describe("Name of the object in the same namespace.").require().max_len(253);
}

void Describe<SecretKeySelector>::fields(Fields<SecretKeySelector>& f) {
  f("name", &SecretKeySelector::name).describe("Name of the Secret in the same namespace.").require().max_len(253);
  f("key", &SecretKeySelector::key).describe("Key within the Secret.").require().max_len(253);
}

}  // namespace mg::api
