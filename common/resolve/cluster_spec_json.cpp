// common/resolve/cluster_spec_json.cpp
#include "common/resolve/cluster_spec_json.hpp"

#include "common/resolve/defaults.hpp"

namespace mg::resolve::spec_json {

json::Value* member(json::Value& v, std::string_view key) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(json::Value(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  return it == v.MemberEnd() ? nullptr : &it->value;
}

json::Value& ensure_object(json::Value& parent, std::string_view key, json::Allocator& a) {
  json::Value* m = member(parent, key);
  if (m != nullptr && m->IsObject()) return *m;
  json::set(parent, key, json::Value(rapidjson::kObjectType), a);
  return *member(parent, key);
}

json::Value& ensure_array(json::Value& parent, std::string_view key, json::Allocator& a) {
  json::Value* m = member(parent, key);
  if (m != nullptr && m->IsArray()) return *m;
  json::set(parent, key, json::Value(rapidjson::kArrayType), a);
  return *member(parent, key);
}

std::string cell_name(const json::Value& cell) {
  for (const char* field : {"name", "zone", "region"}) {
    std::string v = json::get_string(cell, field);
    if (!v.empty()) return v;
  }
  return {};
}

int index_of(const json::Value* list, std::string_view name, bool cells) {
  if (list == nullptr || !list->IsArray()) return -1;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const auto& e = (*list)[i];
    if ((cells ? cell_name(e) : json::get_string(e, "name")) == name) return static_cast<int>(i);
  }
  return -1;
}

json::Value& ensure_entry(json::Value& list, std::string_view name, json::Allocator& a) {
  int i = index_of(&list, name);
  if (i >= 0) return list[static_cast<rapidjson::SizeType>(i)];
  json::Value entry(rapidjson::kObjectType);
  json::set(entry, "name", json::str(name, a), a);
  list.PushBack(std::move(entry), a);
  return list[list.Size() - 1];
}

std::vector<std::string> cell_names(const json::Value& object) {
  std::vector<std::string> out;
  const json::Value* cells = json::at_path(object, "spec.cells");
  if (cells == nullptr || !cells->IsArray()) return out;
  for (const auto& c : cells->GetArray()) out.push_back(cell_name(c));
  return out;
}

namespace {

const json::Value* entry_of(const json::Value* list, std::string_view name) {
  int i = index_of(list, name);
  return i < 0 ? nullptr : &(*list)[static_cast<rapidjson::SizeType>(i)];
}

std::vector<std::string> names_or(const json::Value* list, const char* implicit) {
  std::vector<std::string> out;
  if (list != nullptr && list->IsArray()) {
    for (const auto& e : list->GetArray()) out.push_back(json::get_string(e, "name"));
  }
  if (out.empty()) out.emplace_back(implicit);
  return out;
}

bool empty_list(const json::Value* list) {
  return list == nullptr || !list->IsArray() || list->Empty();
}

}  // namespace

const json::Value* databases(const json::Value& object) {
  return json::at_path(object, "spec.databases");
}

const json::Value* tablegroups(const json::Value& object, std::string_view db) {
  const json::Value* e = entry_of(databases(object), db);
  return e == nullptr ? nullptr : json::find(*e, "tablegroups");
}

const json::Value* shards(const json::Value& object, std::string_view db, std::string_view tg) {
  const json::Value* e = entry_of(tablegroups(object, db), tg);
  return e == nullptr ? nullptr : json::find(*e, "shards");
}

std::vector<std::string> database_names(const json::Value& object) {
  return names_or(databases(object), resolve::kDefaultDatabase);
}

std::vector<std::string> tablegroup_names(const json::Value& object, std::string_view db) {
  return names_or(tablegroups(object, db), resolve::kDefaultTableGroup);
}

std::vector<std::string> shard_names(const json::Value& object, std::string_view db, std::string_view tg) {
  return names_or(shards(object, db, tg), resolve::kDefaultShard);
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  for (const auto& n : names) {
    if (n == name) return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

json::Value& ensure_database(json::Value& doc, const json::Value& live, std::string_view db, json::Allocator& a) {
  json::Value& list = ensure_array(ensure_object(doc, "spec", a), "databases", a);
  if (empty_list(databases(live))) ensure_entry(list, resolve::kDefaultDatabase, a);
  return ensure_entry(list, db, a);
}

json::Value& ensure_tablegroup(json::Value& doc, const json::Value& live, std::string_view db, std::string_view tg,
                               json::Allocator& a) {
  json::Value& list = ensure_array(ensure_database(doc, live, db, a), "tablegroups", a);
  if (empty_list(tablegroups(live, db))) ensure_entry(list, resolve::kDefaultTableGroup, a);
  return ensure_entry(list, tg, a);
}

json::Value& ensure_shard(json::Value& doc, const json::Value& live, std::string_view db, std::string_view tg,
                          std::string_view shard, json::Allocator& a) {
  json::Value& list = ensure_array(ensure_tablegroup(doc, live, db, tg, a), "shards", a);
  if (empty_list(shards(live, db, tg))) ensure_entry(list, resolve::kDefaultShard, a);
  return ensure_entry(list, shard, a);
}

}  // namespace mg::resolve::spec_json
