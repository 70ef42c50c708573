// plugin/drain_protocol.cpp
#include "plugin/drain_protocol.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "common/naming/labels.hpp"
#include "plugin/init_spec.hpp"

namespace mg::plugin {
namespace {

std::string label(const json::Value& object, const char* key) {
  const json::Value* labels = json::at_path(object, "metadata.labels");
  return labels != nullptr && labels->IsObject() ? json::get_string(*labels, key) : "";
}

//! Seconds since the epoch of a (Micro)Time "2024-05-01T10:00:00[.123456]Z"; nullopt when malformed.
std::optional<int64_t> parse_time(const std::string& text) {
  std::tm tm{};
  if (text.empty() || text.back() != 'Z' ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm));
}

std::string shown(const std::string& state) { return state.empty() ? "(none)" : state; }

}  // namespace

std::string pool_pod_problem(const json::Value& pod) {
  const std::string name = pod_key(pod);
  const std::string component = label(pod, naming::kLabelComponent);
  if (label(pod, naming::kLabelCluster).empty() || component != naming::kComponentPool) {
    return "pod " + name + " is not a pool pod of a MultigresCluster (it lacks the labels " +
           naming::kLabelComponent + "=" + naming::kComponentPool + " and " + naming::kLabelCluster +
           "); only pool pods can be drained (list them: kubectl get pods -l " + pool_pod_selector() + ")";
  }
  return "";
}

std::string pool_pod_selector() {
  return std::string(naming::kLabelComponent) + "=" + naming::kComponentPool + "," + naming::kLabelCluster;
}

std::string pod_key(const json::Value& pod) {
  const json::Value* meta = json::find(pod, "metadata");
  if (meta == nullptr) return "";
  return json::get_string(*meta, "namespace") + "/" + json::get_string(*meta, "name");
}

std::string drain_state(const json::Value& pod) { return json::annotation(pod, kDrainAnnotation); }

std::vector<std::string> progress_lines(const DrainStates& before, const DrainStates& after, int64_t elapsed_seconds) {
  std::vector<std::string> lines;
  for (const auto& [pod, state] : after) {
    const auto it = before.find(pod);
    const std::string old = it == before.end() ? "" : it->second;  // a pod not seen before had no state
    if (old == state) continue;
    lines.push_back("pod " + pod + ": " + shown(old) + " -> " + shown(state) + " (" + std::to_string(elapsed_seconds) +
                    "s)");
  }
  return lines;
}

std::string drain_message(const json::Value& pod) { return json::annotation(pod, kDrainMessageAnnotation); }

std::vector<std::string> message_lines(const DrainMessages& before, const DrainMessages& after) {
  std::vector<std::string> lines;
  for (const auto& [pod, message] : after) {
    const auto it = before.find(pod);
    if (message.empty() || (it != before.end() && it->second == message)) continue;
    lines.push_back("pod " + pod + ": operator: " + message);
  }
  return lines;
}

std::string unfinished(const DrainStates& states, const DrainMessages& messages) {
  std::string out;
  for (const auto& [pod, state] : states) {
    if (state == kDrainFinished) continue;
    const auto it = messages.find(pod);
    const std::string why = it == messages.end() || it->second.empty() ? "" : ": " + it->second;
    out += (out.empty() ? "" : ", ") + pod + " (" + shown(state) + why + ")";
  }
  return out;
}

OperatorInfo parse_operator_lease(const json::Value& lease, int64_t now_unix) {
  OperatorInfo op;
  if (const json::Value* meta = json::find(lease, "metadata"); meta != nullptr) {
    op.namespace_name = json::get_string(*meta, "namespace");
    op.name = json::get_string(*meta, "name");
  }
  op.version = json::annotation(lease, kOperatorVersionAnnotation);
  op.capabilities = split_list(json::annotation(lease, kOperatorCapabilitiesAnnotation));
  const json::Value* spec = json::find(lease, "spec");
  if (spec == nullptr) return op;
  op.holder = json::get_string(*spec, "holderIdentity");
  const json::Value* duration = json::find(*spec, "leaseDurationSeconds");
  const auto renewed = parse_time(json::get_string(*spec, "renewTime"));
  if (renewed && duration != nullptr && duration->IsInt()) op.stale = *renewed + duration->GetInt() < now_unix;
  return op;
}

bool is_running(const OperatorInfo& op) { return !op.holder.empty() && !op.stale; }

bool has_capability(const OperatorInfo& op, std::string_view capability) {
  for (const auto& c : op.capabilities) {
    if (c == capability) return true;
  }
  return false;
}

std::string describe_operator(const OperatorInfo& op) {
  std::string out = (op.version.empty() ? std::string("(version unknown)") : op.version) + " (lease " +
                    op.namespace_name + "/" + op.name;
  if (op.holder.empty()) return out + "; released: no replica leads)";
  out += ", holder " + op.holder;
  return out + (op.stale ? "; not renewed in time: stopped?)" : ")");
}

std::string drain_refusal(const std::vector<OperatorInfo>& operators) {
  bool any_running = false;
  for (const auto& op : operators) {
    if (!is_running(op)) continue;
    any_running = true;
    if (!has_capability(op, kDrainCapability)) {
      return "the operator " + describe_operator(op) +
             " does not support drain yet (it does not advertise the \"drain\" capability); nothing was changed";
    }
  }
  if (!any_running) {
    return "no running operator found (no renewed Lease labelled " + std::string(kOperatorLeaseSelector) +
           "); drain needs the operator to move pods off; nothing was changed";
  }
  return "";
}

std::optional<SemVer> parse_semver(std::string_view text) {
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  const std::string s(text.substr(0, text.find('+')));
  SemVer v;
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%d.%d.%d%n", &v.major, &v.minor, &v.patch, &consumed) != 3 || v.major < 0 ||
      v.minor < 0 || v.patch < 0 || !std::isdigit(static_cast<unsigned char>(s.front()))) {
    return std::nullopt;
  }
  const std::string rest = s.substr(static_cast<size_t>(consumed));
  if (!rest.empty() && (rest.front() != '-' || rest.size() == 1)) return std::nullopt;
  if (!rest.empty()) v.pre_release = rest.substr(1);
  return v;
}

std::string version_skew_warning(const std::string& plugin, const std::string& operator_version) {
  const std::string both = "plugin " + plugin + ", operator " + operator_version;
  const std::string fix = "; use the plugin of the operator's version (docs/versioning.md)";
  const auto p = parse_semver(plugin);
  const auto o = parse_semver(operator_version);
  if (!p || !o) return "cannot compare versions (" + both + "): not MAJOR.MINOR.PATCH" + fix;
  if (p->major != o->major) return "major versions differ (" + both + "): they are not compatible" + fix;
  const int minor_skew = std::abs(p->minor - o->minor);
  if (p->major == 0 && minor_skew != 0) {
    return "minor versions differ (" + both + "): before 1.0 only the same minor version is compatible" + fix;
  }
  if (minor_skew > 1) return "minor versions differ by more than one (" + both + ")" + fix;
  const bool same = p->minor == o->minor && p->patch == o->patch && p->pre_release == o->pre_release;
  if (!same && (!p->pre_release.empty() || !o->pre_release.empty())) {
    return "a pre-release differs from the other version (" + both + "): pre-releases match only themselves" + fix;
  }
  return "";
}

}  // namespace mg::plugin
