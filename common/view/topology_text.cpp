// common/view/topology_text.cpp
//! `kubectl multigres topology`: cluster -> cells -> databases -> tablegroups -> shards -> pools ->
//! pods. A shard whose pools span cells appears under each of those cells with the pools placed there.
#include <set>

#include "common/view/render.hpp"
#include "common/view/text.hpp"

namespace mg::view {
namespace {

class Tree {
 public:
  explicit Tree(bool color) : color_(color) {}

  //! Adds a line at `depth` (0 = root); `last` says whether it is the last child of its parent.
  void line(size_t depth, bool last, const std::string& text) {
    if (depth == 0) {
      out_ += text + "\n";
      return;
    }
    if (open_.size() < depth + 1) open_.resize(depth + 1, false);
    std::string prefix;
    for (size_t i = 1; i < depth; ++i) prefix += open_[i] ? "│  " : "   ";
    prefix += last ? "└─ " : "├─ ";
    open_[depth] = !last;
    out_ += paint(prefix, Color::Dim, color_) + text + "\n";
  }
  [[nodiscard]] const std::string& str() const { return out_; }

 private:
  bool color_;
  std::vector<bool> open_;  // open_[d]: the line at depth d has siblings below it
  std::string out_;
};

std::string ready_text(int64_t ready, int64_t desired, bool color) {
  const Cell c = ratio(ready, desired);
  return paint(c.text, c.color, color);
}

//! Pools of `shard` placed in `cell`.
std::vector<const PoolView*> pools_in(const ShardView& shard, const std::string& cell) {
  std::vector<const PoolView*> out;
  for (const auto& p : shard.pools) {
    if (p.cell == cell) out.push_back(&p);
  }
  return out;
}

bool tablegroup_in(const TableGroupView& t, const std::string& cell) {
  for (const auto& s : t.shards) {
    if (!pools_in(s, cell).empty()) return true;
  }
  return false;
}

bool database_in(const DatabaseView& d, const std::string& cell) {
  for (const auto& t : d.table_groups) {
    if (tablegroup_in(t, cell)) return true;
  }
  return false;
}

void pods(Tree& tree, size_t depth, const PoolView& pool, bool color) {
  size_t width = 0;
  for (const auto& p : pool.pods) width = std::max(width, display_width(p.name));
  for (size_t i = 0; i < pool.pods.size(); ++i) {
    const PodView& p = pool.pods[i];
    std::string text = p.name + std::string(width - display_width(p.name), ' ') + "  ";
    text += p.ready ? paint("ready", Color::Green, color)
                    : paint("not ready (" + p.status + ")", p.status == "Running" ? Color::Yellow : Color::Red, color);
    text += "  node " + (p.node.empty() ? std::string("-") : p.node);
    text += "  zone " + (p.zone.empty() ? std::string("-") : p.zone) +
            (p.zone_from_node || p.zone.empty() ? "" : " (cell)");
    if (!p.role.empty()) text += "  " + paint(p.role, Color::Cyan, color);
    if (p.restarts > 0) text += "  restarts " + std::to_string(p.restarts);
    tree.line(depth, i + 1 == pool.pods.size(), text);
  }
}

void cell_subtree(Tree& tree, const ClusterView& v, const std::string& cell, bool color) {
  std::vector<const DatabaseView*> dbs;
  for (const auto& d : v.databases) {
    if (database_in(d, cell)) dbs.push_back(&d);
  }
  if (dbs.empty()) {
    tree.line(2, true, paint("(no pools in this cell)", Color::Dim, color));
    return;
  }
  for (size_t di = 0; di < dbs.size(); ++di) {
    const DatabaseView& d = *dbs[di];
    tree.line(2, di + 1 == dbs.size(), "database " + paint(d.name, Color::Bold, color));
    std::vector<const TableGroupView*> tgs;
    for (const auto& t : d.table_groups) {
      if (tablegroup_in(t, cell)) tgs.push_back(&t);
    }
    for (size_t ti = 0; ti < tgs.size(); ++ti) {
      const TableGroupView& t = *tgs[ti];
      tree.line(3, ti + 1 == tgs.size(),
                "tablegroup " + t.name + "  shards " + ready_text(t.ready_shards, t.total_shards, color));
      std::vector<const ShardView*> shards;
      for (const auto& s : t.shards) {
        if (!pools_in(s, cell).empty()) shards.push_back(&s);
      }
      for (size_t si = 0; si < shards.size(); ++si) {
        const ShardView& s = *shards[si];
        std::string text =
            "shard " + s.name + "  " + paint(s.phase.empty() ? "-" : s.phase, phase_color(s.phase), color);
        if (!s.primary_cell.empty()) text += "  primary in " + s.primary_cell;
        tree.line(4, si + 1 == shards.size(), text);
        const auto pools = pools_in(s, cell);
        for (size_t pi = 0; pi < pools.size(); ++pi) {
          const PoolView& p = *pools[pi];
          tree.line(5, pi + 1 == pools.size(),
                    "pool " + p.name + "  " + p.type + "  " + ready_text(p.ready, p.replicas, color) + " ready");
          pods(tree, 6, p, color);
        }
      }
    }
  }
}

}  // namespace

std::string topology_text(const ClusterView& v, bool color) {
  Tree tree(color);
  std::string root = paint("MultigresCluster " + v.namespace_name + "/" + v.name, Color::Bold, color);
  root += "  " +
          (v.has_status ? paint(v.phase, phase_color(v.phase), color) : paint("(no status yet)", Color::Yellow, color));
  tree.line(0, true, root);
  // Cells of the spec, then cells that only pools name (a pool in a cell the cluster does not list).
  std::vector<std::pair<std::string, const CellView*>> cells;
  std::set<std::string> known;
  for (const auto& c : v.cells) {
    cells.emplace_back(c.name, &c);
    known.insert(c.name);
  }
  for (const auto& d : v.databases) {
    for (const auto& t : d.table_groups) {
      for (const auto& s : t.shards) {
        for (const auto& p : s.pools) {
          if (known.insert(p.cell).second) cells.emplace_back(p.cell, nullptr);
        }
      }
    }
  }
  if (cells.empty()) tree.line(1, true, paint("(no cells)", Color::Dim, color));
  for (size_t ci = 0; ci < cells.size(); ++ci) {
    const auto& [name, cell] = cells[ci];
    std::string text = "cell " + paint(name, Color::Bold, color);
    if (cell == nullptr) {
      text += "  " + paint("(not in spec.cells)", Color::Red, color);
    } else {
      if (!cell->zone.empty())
        text += "  zone " + cell->zone;
      else if (!cell->region.empty())
        text += "  region " + cell->region;
      text += "  gateway " + ready_text(cell->gateway_ready, cell->gateway_desired, color);
    }
    tree.line(1, ci + 1 == cells.size(), text);
    cell_subtree(tree, v, name, color);
  }
  return tree.str();
}

}  // namespace mg::view
