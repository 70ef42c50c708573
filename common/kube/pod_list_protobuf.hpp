// common/kube/pod_list_protobuf.hpp
//! A Pods list in the API server's protobuf encoding, decoded into JSON items that carry only the fields
//! of common/kube/pod_list.proto, as a JSON list reply would carry them. Pure.
#pragma once

#include <string_view>

#include "common/kube/client.hpp"

namespace mg::kube {

//! The media type to ask for: the API server encodes built-in kinds as protobuf on request.
inline constexpr const char* kProtobufMediaType = "application/vnd.kubernetes.protobuf";

//! Decodes the body of a Pods list sent as kProtobufMediaType ("k8s\0" + runtime.Unknown + PodList).
//! Items get apiVersion v1 and kind Pod; a malformed body is an Invalid error, never a crash.
Result<ListReply> parse_pod_list_protobuf(std::string_view body);

}  // namespace mg::kube
