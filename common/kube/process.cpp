// common/kube/process.cpp
#include "common/kube/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;  // NOLINT: POSIX

namespace mg::kube {
namespace {

//! Owns one file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

Error sys_error(const std::string& what) {
  return make_error(ErrorCode::Internal, what + ": " + std::strerror(errno));
}

Result<std::pair<Fd, Fd>> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe");
  return std::pair<Fd, Fd>{Fd(fds[0]), Fd(fds[1])};
}

//! Owns posix_spawn_file_actions_t.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

std::vector<std::string> build_environment(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& [k, v] : extra) overridden = overridden || k == name;
    if (!overridden) env.push_back(std::move(entry));
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

}  // namespace

Result<ProcessOutput> run_process(const ProcessSpec& spec) {
  auto out_pipe = make_pipe();
  if (!out_pipe.ok()) return out_pipe.error();
  Result<std::pair<Fd, Fd>> err_pipe = std::pair<Fd, Fd>{};
  if (!spec.interactive) {
    err_pipe = make_pipe();
    if (!err_pipe.ok()) return err_pipe.error();
  }
  FileActions actions;
  posix_spawn_file_actions_adddup2(actions.get(), out_pipe->second.get(), STDOUT_FILENO);
  if (!spec.interactive) {
    posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(actions.get(), err_pipe->second.get(), STDERR_FILENO);
  }

  std::vector<std::string> env_strings = build_environment(spec.extra_env);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> arg_strings{spec.command};
  arg_strings.insert(arg_strings.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (auto& s : arg_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, spec.command.c_str(), actions.get(), nullptr, argv.data(), envp.data());
  if (rc != 0) {
    ErrorCode code = (rc == ENOENT || rc == EACCES) ? ErrorCode::NotFound : ErrorCode::Internal;
    return make_error(code, "starting \"" + spec.command + "\": " + std::strerror(rc));
  }
  out_pipe->second.reset();
  err_pipe->second.reset();

  ProcessOutput result;
  auto deadline = std::chrono::steady_clock::now() + spec.timeout;
  bool timed_out = false;
  std::vector<std::pair<Fd*, std::string*>> open{{&out_pipe->first, &result.out}};
  if (!spec.interactive) open.emplace_back(&err_pipe->first, &result.err);
  while (!open.empty()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    std::vector<pollfd> fds;
    for (auto& [fd, sink] : open) fds.push_back(pollfd{fd->get(), POLLIN, 0});
    int n = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t got = ::read(fds[i].fd, buf, sizeof(buf));
      if (got > 0) {
        open[i].second->append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return make_error(ErrorCode::Transient,
                      "\"" + spec.command + "\" did not finish within " + std::to_string(spec.timeout.count()) + " ms");
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace mg::kube
