// operator/main.cpp
//! multigres-operator: flags -> client, manager, controllers, probes and metrics; runs until SIGTERM
//! (exit 0) or until it loses the leader Lease (exit 1, so the Deployment restarts it).
#include <malloc.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <thread>

#include "common/crypto/password.hpp"
#include "common/kube/client.hpp"
#include "common/pg/pg.hpp"
#include "operator/controllers/setup.hpp"
#include "operator/runtime/applier.hpp"
#include "operator/runtime/events.hpp"
#include "operator/runtime/http_server.hpp"
#include "operator/runtime/log.hpp"
#include "operator/runtime/manager.hpp"

namespace {

using namespace mg;

struct Flags {
  std::string kubeconfig;
  std::string context;
  std::string watch_namespace;
  int workers = 2;
  bool leader_elect = false;
  std::string lease_namespace;
  std::string lease_name = "multigres-operator";
  int lease_duration_seconds = 15;
  int renew_deadline_seconds = 10;
  int retry_period_seconds = 2;
  std::string health_address = ":8081";
  std::string metrics_address = ":8080";
  std::string log_level = "info";
  std::string multiadmin_address;
  int drain_timeout_seconds = 300;
  bool restart_wait_for_cohort = true;
};

std::string env_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

//! The pod name when running in Kubernetes, else host_pid: unique per process.
std::string instance_name() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return env_or("POD_NAME", std::string(host) + "_" + std::to_string(getpid()));
}

sigset_t shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

//! Blocks SIGTERM and SIGINT. Called first thing in main: threads inherit the mask, so none of them
//! can take the signal's default action (death) instead of the orderly shutdown.
void block_shutdown_signals() {
  sigset_t signals = shutdown_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

//! A thread that turns SIGTERM or SIGINT into a stop request.
std::jthread stop_on_signals(std::stop_source& stop) {
  return std::jthread([signals = shutdown_signals(), &stop] {
    int received = 0;
    sigwait(&signals, &received);
    runtime::log_info("main", "signal received; shutting down", {{"signal", strsignal(received)}});
    stop.request_stop();
  });
}

Result<std::unique_ptr<runtime::HttpServer>> start_http(const std::string& flag, const std::string& value,
                                                        const runtime::Metrics* metrics) {
  auto address = runtime::parse_listen_address(value);
  if (!address.ok()) return address.error().with_context(flag);
  if (!*address) return std::unique_ptr<runtime::HttpServer>();
  auto server = std::make_unique<runtime::HttpServer>(**address, metrics);
  return server;
}

int run(const Flags& flags) {
  // glibc gives each thread that allocates an arena of its own, up to 8 per core; ~50 mostly idle
  // threads (watchers, workers) then keep ~1.5 MiB of partly used arenas. Two suit a 2-core request.
  mallopt(M_ARENA_MAX, 2);
  auto level = runtime::parse_log_level(flags.log_level);
  if (!level.ok()) {
    std::fprintf(stderr, "multigres-operator: --log-level: %s\n", level.error().message.c_str());
    return 2;
  }
  runtime::Logger::global().set_level(*level);

  runtime::Metrics metrics;
  runtime::describe_operator_metrics(metrics);
  kube::ClientOptions client_options;
  client_options.user_agent = std::string("multigres-operator/") + MG_VERSION;
  client_options.on_warning = [](const std::string& w) { runtime::log_warn("kube", "API warning", {{"warning", w}}); };
  client_options.on_response = [&metrics](std::string_view verb, int code) {
    metrics.inc(runtime::kApiRequests, {{"verb", std::string(verb)}, {"code", std::to_string(code)}});
  };
  auto client = kube::connect(
      kube::LoadOptions{.kubeconfig_path = flags.kubeconfig, .context = flags.context, .prefer_in_cluster = true},
      client_options);
  if (!client.ok()) {
    runtime::log_error("main", "cannot load the Kubernetes configuration", {{"error", client.error().message}});
    return 1;
  }

  runtime::ManagerOptions options{.watch_namespace = flags.watch_namespace, .workers = flags.workers};
  std::unique_ptr<kube::Client> election_client;
  if (flags.leader_elect) {
    // One attempt per request, bounded by half the renew deadline: a slow API server must make the
    // leader step down before a standby's lease expires, never after.
    kube::ClientOptions bounded = client_options;
    bounded.request_timeout = std::chrono::milliseconds(flags.renew_deadline_seconds * 500);
    bounded.connect_timeout = std::min(bounded.connect_timeout, bounded.request_timeout);
    bounded.retry.max_attempts = 1;
    auto second = kube::connect(
        kube::LoadOptions{.kubeconfig_path = flags.kubeconfig, .context = flags.context, .prefer_in_cluster = true}, bounded);
    if (!second.ok()) {
      runtime::log_error("main", "cannot load the Kubernetes configuration", {{"error", second.error().message}});
      return 1;
    }
    election_client = std::move(*second);
    options.election_client = election_client.get();
    options.leader_election = runtime::LeaderElectionConfig{
        .lease_namespace = flags.lease_namespace.empty() ? env_or("POD_NAMESPACE", (*client)->default_namespace())
                                                         : flags.lease_namespace,
        .lease_name = flags.lease_name,
        .identity = instance_name(),
        .lease_duration = std::chrono::seconds(flags.lease_duration_seconds),
        .renew_deadline = std::chrono::seconds(flags.renew_deadline_seconds),
        .retry_period = std::chrono::seconds(flags.retry_period_seconds)};
  }
  runtime::Manager manager(**client, metrics, options);
  runtime::Applier applier(**client);
  runtime::EventRecorder events(**client, "multigres.com/operator", instance_name());
  topo::Multiadmin multiadmin;
  controllers::Context ctx{applier,
                           events,
                           {},
                           [] { return controllers::Clock::now(); },
                           controllers::DrainSettings{.multiadmin_address = flags.multiadmin_address,
                                                      .timeout = std::chrono::seconds(flags.drain_timeout_seconds),
                                                      .wait_for_cohort = flags.restart_wait_for_cohort,
                                                      .multiadmin = &multiadmin}};
  // Pod addresses are reachable only from inside the cluster network; from outside (a kubeconfig on a
  // workstation, or kwok's fake pods) the operator must not dial them.
  ctx.pod_network = (*client)->config().in_cluster;
  kube::Client& api = **client;
  runtime::SecretData secret_data([&api](const std::string& ns, const std::string& name) -> Result<json::Document> {
    auto reply = api.get(kube::ObjectRef{.api_version = "v1", .kind = "Secret", .namespace_name = ns, .name = name});
    if (!reply.ok()) return reply.error();
    return std::move(reply->object);
  });
  ctx.secret_data = &secret_data;
  if (ctx.pod_network) ctx.reload_settings = pg::reload_settings_file;
  controllers::register_controllers(manager, ctx);

  auto health = start_http("--health-probe-bind-address", flags.health_address, nullptr);
  auto metrics_server = start_http("--metrics-bind-address", flags.metrics_address, &metrics);
  for (auto* server : {&health, &metrics_server}) {
    if (!server->ok()) {
      runtime::log_error("main", "bad listen address", {{"error", server->error().message}});
      return 2;
    }
  }
  if (*health) {
    (*health)->add_liveness("ping", [] { return std::optional<std::string>(); });
    (*health)->add_readiness("informers-synced", [&manager]() -> std::optional<std::string> {
      if (manager.synced()) return std::nullopt;
      return "caches are still syncing";
    });
  }
  for (auto* server : {&health, &metrics_server}) {
    if (!**server) continue;
    if (auto port = (**server)->start(); !port.ok()) {
      runtime::log_error("main", "cannot listen", {{"error", port.error().message}});
      return 1;
    }
  }

  std::stop_source stop;
  std::jthread signals = stop_on_signals(stop);
  runtime::log_info("main", "starting", {{"version", MG_VERSION},
                                         {"namespace", flags.watch_namespace.empty() ? "(all)" : flags.watch_namespace},
                                         {"leaderElection", flags.leader_elect ? "on" : "off"}});
  const int rc = manager.run(stop.get_token());
  stop.request_stop();  // ends the informers when the run ended by losing the lease
  signals.detach();     // still parked in sigwait; the process is exiting
  runtime::log_info("main", "stopped", {{"exitCode", std::to_string(rc)}});
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  block_shutdown_signals();
  CLI::App app{"multigres-operator: reconciles MultigresClusters into running Multigres", "multigres-operator"};
  Flags f;
  app.add_option("--kubeconfig", f.kubeconfig, "kubeconfig file (default: in-cluster, then KUBECONFIG, then ~/.kube/config)");
  app.add_option("--context", f.context, "kubeconfig context");
  app.add_option("--watch-namespace", f.watch_namespace, "only this namespace (default: all)");
  app.add_option("--workers", f.workers, "concurrent reconciles per controller")->check(CLI::Range(1, 64));
  app.add_flag("--leader-elect", f.leader_elect, "elect a leader through a Lease; only the leader reconciles");
  app.add_option("--leader-election-namespace", f.lease_namespace, "namespace of the Lease (default: POD_NAMESPACE, then the context's)");
  app.add_option("--leader-election-id", f.lease_name, "name of the Lease");
  app.add_option("--lease-duration", f.lease_duration_seconds, "seconds a standby waits before taking over")->check(CLI::Range(2, 300));
  app.add_option("--renew-deadline", f.renew_deadline_seconds, "seconds the leader keeps trying to renew")->check(CLI::Range(1, 299));
  app.add_option("--retry-period", f.retry_period_seconds, "seconds between election attempts")->check(CLI::Range(1, 60));
  app.add_option("--health-probe-bind-address", f.health_address, "address of /healthz and /readyz (0 = off)");
  app.add_option("--metrics-bind-address", f.metrics_address, "address of /metrics (0 = off)");
  app.add_option("--log-level", f.log_level, "debug, info, warn or error");
  app.add_option("--multiadmin-address", f.multiadmin_address,
                 "host:port of multiadmin for every cluster's switchovers (default: each cluster's multiadmin "
                 "Service; set it when the operator runs outside the cluster)");
  app.add_option("--drain-timeout", f.drain_timeout_seconds,
                 "seconds a drain may take before a DrainTimeout Warning (the drain goes on)")
      ->check(CLI::Range(1, 86400));
  app.add_option("--restart-wait-for-cohort", f.restart_wait_for_cohort,
                 "restart pool pods only once every pod is back in the primary's cohort, asked through multiadmin "
                 "(true or false; false restarts on readiness alone, for an operator that cannot reach multiadmin)");
  app.set_version_flag("--version", MG_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (f.leader_elect && !(f.lease_duration_seconds > f.renew_deadline_seconds && f.renew_deadline_seconds > f.retry_period_seconds)) {
    std::fprintf(stderr, "multigres-operator: --lease-duration > --renew-deadline > --retry-period is required\n");
    return 2;
  }
  return run(f);
}
