// tests/fuzz/pod_list_fuzz.cpp
//! The Pods list as the plugin's status and topology read it from the API server in protobuf
//! (common/kube/pod_list_protobuf.hpp): the body as given, and again behind the "k8s\0" prefix so that
//! the fuzzer reaches the envelope and the PodList without having to find the prefix first.
//! Properties:
//!   - a body decodes or is refused with an Invalid error, never a crash;
//!   - every decoded item is a v1 Pod whose fields the views read (view::pod_info) without a crash;
//!   - a body without the prefix is always refused.

#include "common/kube/pod_list_protobuf.hpp"
#include "common/view/objects.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace mg;

namespace {

void decode(std::string_view body) {
  auto reply = kube::parse_pod_list_protobuf(body);
  if (!reply.ok()) {
    fuzz::check(reply.error().code == ErrorCode::Invalid, "a bad Pods list is not an Invalid error",
                reply.error().message);
    return;
  }
  fuzz::check(body.starts_with(std::string_view("k8s\0", 4)), "a body without the k8s\\0 prefix decoded");
  for (const auto& item : reply->items) {
    fuzz::check(json::get_string(item, "apiVersion") == "v1" && json::get_string(item, "kind") == "Pod",
                "a decoded item is not a v1 Pod", json::to_json(item));
    (void)view::pod_info(item);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::text(data, size);
  decode(in);
  decode(std::string("k8s\0", 4) + std::string(in));
  return 0;
}
