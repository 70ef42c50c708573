// common/kube/request_options.cpp
#include "common/kube/request_options.hpp"

#include "common/util/json.hpp"

namespace mg::kube {
namespace {

void add_validation(QueryParams& q, FieldValidation v) {
  switch (v) {
    case FieldValidation::ServerDefault:
      return;
    case FieldValidation::Strict:
      q.emplace_back("fieldValidation", "Strict");
      return;
    case FieldValidation::Warn:
      q.emplace_back("fieldValidation", "Warn");
      return;
    case FieldValidation::Ignore:
      q.emplace_back("fieldValidation", "Ignore");
      return;
  }
}

const char* propagation_name(Propagation p) {
  switch (p) {
    case Propagation::Foreground:
      return "Foreground";
    case Propagation::Background:
      return "Background";
    case Propagation::Orphan:
      return "Orphan";
    case Propagation::ServerDefault:
      break;
  }
  return "";
}

}  // namespace

QueryParams list_query(const ListOptions& o) {
  QueryParams q;
  if (!o.label_selector.empty()) q.emplace_back("labelSelector", o.label_selector);
  if (!o.field_selector.empty()) q.emplace_back("fieldSelector", o.field_selector);
  if (o.limit > 0) q.emplace_back("limit", std::to_string(o.limit));
  if (!o.continue_token.empty()) q.emplace_back("continue", o.continue_token);
  // A continue token carries its own version; the server refuses both.
  if (!o.resource_version.empty() && o.continue_token.empty()) q.emplace_back("resourceVersion", o.resource_version);
  if (!o.resource_version_match.empty() && o.continue_token.empty()) {
    q.emplace_back("resourceVersionMatch", o.resource_version_match);
  }
  if (o.timeout_seconds > 0) q.emplace_back("timeoutSeconds", std::to_string(o.timeout_seconds));
  return q;
}

QueryParams watch_query(const WatchOptions& o) {
  QueryParams q{{"watch", "1"}};
  if (!o.label_selector.empty()) q.emplace_back("labelSelector", o.label_selector);
  if (!o.field_selector.empty()) q.emplace_back("fieldSelector", o.field_selector);
  if (!o.resource_version.empty()) q.emplace_back("resourceVersion", o.resource_version);
  if (!o.resource_version_match.empty()) q.emplace_back("resourceVersionMatch", o.resource_version_match);
  if (o.allow_bookmarks) q.emplace_back("allowWatchBookmarks", "true");
  if (o.send_initial_events) q.emplace_back("sendInitialEvents", "true");
  if (o.timeout_seconds > 0) q.emplace_back("timeoutSeconds", std::to_string(o.timeout_seconds));
  return q;
}

QueryParams write_query(const WriteOptions& o) {
  QueryParams q;
  if (o.dry_run) q.emplace_back("dryRun", "All");
  if (!o.field_manager.empty()) q.emplace_back("fieldManager", o.field_manager);
  add_validation(q, o.field_validation);
  return q;
}

QueryParams apply_query(const ApplyOptions& o) {
  QueryParams q;
  if (o.dry_run) q.emplace_back("dryRun", "All");
  q.emplace_back("fieldManager", o.field_manager);
  if (o.force) q.emplace_back("force", "true");
  add_validation(q, o.field_validation);
  return q;
}

QueryParams delete_query(const DeleteOptions& o) {
  QueryParams q;
  if (o.dry_run) q.emplace_back("dryRun", "All");
  return q;
}

std::string delete_body(const DeleteOptions& o) {
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  json::set(doc, "apiVersion", json::str("v1", a), a);
  json::set(doc, "kind", json::str("DeleteOptions", a), a);
  if (o.propagation != Propagation::ServerDefault) {
    json::set(doc, "propagationPolicy", json::str(propagation_name(o.propagation), a), a);
  }
  if (!o.precondition_uid.empty() || !o.precondition_resource_version.empty()) {
    json::Value pre(rapidjson::kObjectType);
    if (!o.precondition_uid.empty()) json::set(pre, "uid", json::str(o.precondition_uid, a), a);
    if (!o.precondition_resource_version.empty()) {
      json::set(pre, "resourceVersion", json::str(o.precondition_resource_version, a), a);
    }
    json::set(doc, "preconditions", std::move(pre), a);
  }
  if (o.grace_period_seconds) json::set(doc, "gracePeriodSeconds", json::Value(*o.grace_period_seconds), a);
  if (o.dry_run) {
    json::Value dry(rapidjson::kArrayType);
    dry.PushBack(json::str("All", a), a);
    json::set(doc, "dryRun", std::move(dry), a);
  }
  return json::to_json(doc);
}

const char* patch_content_type(PatchType type) {
  switch (type) {
    case PatchType::Merge:
      return "application/merge-patch+json";
    case PatchType::Json:
      return "application/json-patch+json";
    case PatchType::Strategic:
      return "application/strategic-merge-patch+json";
  }
  return "application/merge-patch+json";
}

}  // namespace mg::kube
