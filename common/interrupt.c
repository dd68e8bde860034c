/* interrupt.c - see interrupt.h.  The flag and the table of tracked paths are the two
 * pieces of file-scope mutable state a signal handler needs; a handler may only call
 * async-signal-safe functions (unlink, signal, raise), so the table holds copies of the
 * paths in fixed slots, claimed and freed with atomic operations. */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "common/interrupt.h"

static volatile sig_atomic_t interrupted;
static int catching;
static struct sigaction old_int, old_term;

#define SLOTS 256
#define SLOT_LEN 4096
static char paths[SLOTS][SLOT_LEN];
static int used[SLOTS];   /* 0 free, 1 being written, 2 tracked (atomic) */
static int atfork;        /* forget_all is registered */

static void on_catch(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void on_fatal(int sig)
{
    for (int i = 0; i < SLOTS; i++)
        if (__atomic_load_n(&used[i], __ATOMIC_ACQUIRE) == 2) unlink(paths[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void forget_all(void)
{
    for (int i = 0; i < SLOTS; i++) __atomic_store_n(&used[i], 0, __ATOMIC_RELEASE);
}

/* the removing handler on every interrupt signal still at its default (never over a
 * caller's own handler, nor over an ignored signal: nohup, a child told to ignore);
 * checked at every ob_interrupt_track, so a signal ob_interrupt_release gave back its
 * default gets it again (a few system calls beside the file being written) */
static void install(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++) {
        struct sigaction cur, sa = {.sa_handler = on_fatal};
        sigemptyset(&sa.sa_mask);
        if (sigaction(sigs[k], NULL, &cur) == 0 && cur.sa_handler == SIG_DFL &&
            !(cur.sa_flags & SA_SIGINFO))
            sigaction(sigs[k], &sa, NULL);
    }
    if (!__atomic_exchange_n(&atfork, 1, __ATOMIC_ACQ_REL)) pthread_atfork(NULL, NULL, forget_all);
}

void ob_interrupt_catch(void)
{
    /* no SA_RESTART: a process blocked reading (a bench worker's queue) wakes up */
    struct sigaction sa = {.sa_handler = on_catch};
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    catching = 1;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
}

void ob_interrupt_release(void)
{
    if (!catching) return;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    catching = 0;
}

int ob_interrupted(void)
{
    return interrupted;
}

int ob_interrupt_caught(void)
{
    return catching;
}

int ob_interrupt_track(const char *path)
{
    size_t len = strlen(path);
    if (len >= SLOT_LEN) return -1;
    install();
    for (int i = 0; i < SLOTS; i++) {
        int free_ = 0;
        if (!__atomic_compare_exchange_n(&used[i], &free_, 1, 0, __ATOMIC_ACQ_REL,
                                         __ATOMIC_RELAXED))
            continue;
        memcpy(paths[i], path, len + 1);
        __atomic_store_n(&used[i], 2, __ATOMIC_RELEASE);
        return i;
    }
    return -1;
}

void ob_interrupt_untrack(int slot)
{
    if (slot >= 0 && slot < SLOTS) __atomic_store_n(&used[slot], 0, __ATOMIC_RELEASE);
}
