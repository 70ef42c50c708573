// plugin/follow.cpp
#include "plugin/follow.hpp"

#include <thread>

#include "common/api/backup_types.hpp"

namespace mg::plugin {

int follow_to_end(kube::Client& client, const Follow& follow, std::chrono::milliseconds timeout, CommandContext& ctx) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string what = follow.noun + "/" + follow.object.name;
  std::string said;
  while (true) {
    auto got = client.get(follow.object);
    if (got.ok()) {
      const std::string phase = json::string_at(got->object, "status.phase");
      const std::string message = json::string_at(got->object, "status.message");
      if (phase == api::kBackupCompleted || phase == api::kBackupFailed) {
        ctx.out << what << ": " << phase << ": " << message << "\n";
        return phase == api::kBackupCompleted ? 0 : 1;
      }
      if (follow.progress && !message.empty() && message != said) ctx.err << "  " << message << "\n";
      said = message;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ctx.err << "error: " << what << " did not finish within --timeout; it goes on: follow it with `"
              << follow.how_to_watch << "`\n";
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
}

}  // namespace mg::plugin
