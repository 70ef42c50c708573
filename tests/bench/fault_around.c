// tests/bench/fault_around.c: how many bytes of a shared library one touched byte makes resident.
// The operator's file-backed RSS (11 MiB of shared libraries and the binary, docs/operator.md) is set
// by this: the kernel maps the page-cache pages around each fault (fault-around), so running a few
// functions scattered through libcrypto makes most of it resident. MADV_RANDOM does not change it.
// Build and run: cc -O2 -o /tmp/fault_around tests/bench/fault_around.c && /tmp/fault_around [LIB]
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static long resident_kib(void) {
  long size = 0, resident = 0;
  FILE* f = fopen("/proc/self/statm", "r");
  if (f == NULL || fscanf(f, "%ld %ld", &size, &resident) != 2) return -1;
  fclose(f);
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static long touch(const char* path, int advice, size_t stride, size_t* touches) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) return -1;
  const size_t len = (size_t)st.st_size;
  char* map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return -1;
  if (advice >= 0) madvise(map, len, advice);
  const long before = resident_kib();
  volatile char sink = 0;
  *touches = 0;
  for (size_t at = 0; at < len; at += stride, ++*touches) sink += map[at];
  const long added = resident_kib() - before;
  munmap(map, len);
  return added;
}

int main(int argc, char** argv) {
  const char* lib = argc > 1 ? argv[1] : "/usr/lib/x86_64-linux-gnu/libcrypto.so.3";
  const size_t stride = 256 * 1024;
  size_t touches = 0;
  touch(lib, -1, 4096, &touches);  // into the page cache first, as a library in use is
  const long plain = touch(lib, -1, stride, &touches);
  const long random = touch(lib, MADV_RANDOM, stride, &touches);
  if (plain < 0 || random < 0) {
    perror(lib);
    return 1;
  }
  printf(
      "%s: one byte read every %zu KiB (%zu reads) made %ld KiB resident (%ld KiB per read); with MADV_RANDOM %ld "
      "KiB\n",
      lib, stride / 1024, touches, plain, plain / (long)touches, random);
  return 0;
}
