// common/build/restore_job.cpp
#include "common/build/restore_job.hpp"

#include "common/build/backup.hpp"
#include "common/build/pod_defaults.hpp"
#include "common/build/pool_containers.hpp"
#include "common/build/shard_common.hpp"

namespace mg::build {

namespace k8s = api::k8s;

const std::string& restore_prune_program() {
  // Backups newer than the label go newest first, so a dependent always goes before what it depends
  // on; the label and the backups it depends on are older and stay. WAL file names start with their
  // 24-hex segment (timeline first), so every name that sorts after the stop segment comes later.
  static const std::string kProgram = R"PERL(use strict; use warnings; use JSON::PP; use File::Find;
my $label = shift or die "usage: LABEL\n";
my $repo = $ENV{PGBACKREST_REPO1_PATH};
my $out = `pgbackrest --output=json info 2>&1`;
$? == 0 or die "pgbackrest info failed: $out\n";
my ($stanza) = grep { $_->{name} eq $ENV{PGBACKREST_STANZA} } @{decode_json($out)};
$stanza or die "the repository at $repo has no stanza $ENV{PGBACKREST_STANZA}\n";
my @backups = @{$stanza->{backup} // []};
my ($at) = grep { $backups[$_]{label} eq $label } 0 .. $#backups;
defined $at or die "backup $label is not in the repository at $repo (it has: " . join(' ', map { $_->{label} } @backups) . ")\n";
!$backups[$at]{error} or die "backup $label is marked in error in the repository\n";
my $stop = $backups[$at]{archive}{stop} or die "backup $label has no WAL stop segment\n";
my $timeline = substr($stop, 0, 8);
for my $b (reverse @backups[$at + 1 .. $#backups]) {
  print "expiring backup $b->{label}\n";
  system('pgbackrest', "--set=$b->{label}", 'expire') == 0 or die "pgbackrest expire --set=$b->{label} failed\n";
}
my $removed = 0;
find(sub {
  return unless -f $_;
  my $later = /^([0-9A-F]{8})\.history$/ ? $1 gt $timeline : /^([0-9A-F]{24})/ ? $1 gt $stop : 0;
  if ($later) { unlink $_ or die "removing $File::Find::name: $!\n"; $removed++; }
}, "$repo/archive/$ENV{PGBACKREST_STANZA}");
print "kept backup $label (WAL to $stop); expired " . ($#backups - $at) . " later backup(s), removed $removed later WAL file(s)\n";
)PERL";
  return kProgram;
}

k8s::Job restore_prune_job(const api::Shard& shard, const std::string& restore, const std::string& label,
                           const api::OwnerReference& owner) {
  const api::ShardEnvironment& env = shard.spec.environment;
  const naming::ShardKey key = shard_key(shard);
  k8s::Job job;
  job.metadata = shard_meta(shard, naming::restore_job(restore, key), shard_scope(shard, naming::kComponentRestore));
  job.metadata.ownerReferences = {owner};
  // A failed run has told what it found; running it again would not change that.
  job.spec.backoffLimit = 0;
  job.spec.activeDeadlineSeconds = 1800;
  job.spec.template_.metadata.labels = job.metadata.labels;
  k8s::PodSpec& pod = job.spec.template_.spec;
  pod = base_pod_spec(env.images.imagePullSecrets);
  pod.restartPolicy = "Never";
  k8s::Container c = base_container("prune", env.images.postgres, env.images.imagePullPolicy);
  c.command = {"perl", "-e", restore_prune_program(), label};
  const std::string path = backup_path(env.backup);
  c.env = {env_value("PGBACKREST_STANZA", kPgBackRestStanza), env_value("PGBACKREST_REPO1_TYPE", "posix"),
           env_value("PGBACKREST_REPO1_PATH", path),          env_value("PGBACKREST_LOCK_PATH", "/tmp/pgbackrest"),
           env_value("PGBACKREST_LOG_PATH", "/tmp"),          env_value("PGBACKREST_LOG_LEVEL_FILE", "off"),
           env_value("PGBACKREST_LOG_LEVEL_CONSOLE", "warn")};
  c.volumeMounts = {volume_mount(kBackupVolume, path)};
  pod.containers = {std::move(c)};
  k8s::Volume repo;
  repo.name = kBackupVolume;
  repo.persistentVolumeClaim = k8s::PersistentVolumeClaimVolumeSource{naming::backup_pvc(key)};
  pod.volumes = {std::move(repo)};
  return job;
}

}  // namespace mg::build
