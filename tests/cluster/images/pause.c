/* The sandbox ("pause") process of every pod on the real-node plane: it holds the pod's namespaces,
 * reaps the zombies of processes that end up as its children, and exits on SIGINT or SIGTERM.
 * Built static by images.sh, so its image is this one file. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, 0, WNOHANG) > 0) {
  }
}

static void stop(int sig) {
  (void)sig;
  _exit(0);
}

int main(void) {
  signal(SIGCHLD, reap);
  signal(SIGINT, stop);
  signal(SIGTERM, stop);
  for (;;) pause();
}
