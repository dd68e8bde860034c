/* interrupt.c - see interrupt.h.  The flag, the table of tracked paths and the line of a
 * plugin's run under way are the file-scope mutable state a signal handler needs; a
 * handler may only call async-signal-safe functions (unlink, write, sigaction, raise), so
 * the table holds copies of the paths in fixed slots, claimed and freed with atomic
 * operations, and the line is formatted before the run starts. */
#define _XOPEN_SOURCE 700 /* sigaltstack, SA_ONSTACK */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/* the signals a crashing process dies of, and what they did before on_crash */
static const int crash_sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
static const char *const crash_names[] = {"SIGSEGV", "SIGBUS", "SIGABRT", "SIGFPE", "SIGILL"};
#define N_CRASH (sizeof crash_sigs / sizeof *crash_sigs)
static struct sigaction old_crash[N_CRASH];

/* a plugin's run under way (ob_interrupt_run_begin): its line's head, and 1 while it runs */
static char run_line[1024];
static size_t run_len;
static int in_run;        /* atomic */
static int exit_hook;     /* on_exit_in_run is registered */

static void remove_tracked(void)
{
    for (int i = 0; i < SLOTS; i++)
        if (__atomic_load_n(&used[i], __ATOMIC_ACQUIRE) == 2) unlink(paths[i]);
}

static void say(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w <= 0) return;
        s += w, n -= (size_t)w;
    }
}

static void on_catch(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void on_fatal(int sig)
{
    remove_tracked();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* A crash: the tracked files go, the run's line names the plugin and the signal, and the
 * signal goes on to what it did before (the default: the process dies of it, so that its
 * status still says so; a sanitizer's handler: its report).  Raised here it is blocked
 * until the handler returns, then delivered to that action. */
static void on_crash(int sig)
{
    int saved = errno;
    remove_tracked();
    size_t k = 0;
    while (k + 1 < N_CRASH && crash_sigs[k] != sig) k++;
    if (__atomic_load_n(&in_run, __ATOMIC_ACQUIRE)) {
        say(run_line, run_len);
        say(" crashed (", 10);
        say(crash_names[k], strlen(crash_names[k]));
        say(") during its run\n", 17);
    }
    sigaction(sig, &old_crash[k], NULL);
    raise(sig);
    errno = saved;
}

/* exit() while a plugin's run is under way: the plugin ended the process before its run
 * finished, which is a failure whatever status it gave */
static void on_exit_in_run(void)
{
    if (!__atomic_load_n(&in_run, __ATOMIC_ACQUIRE)) return;
    remove_tracked();
    fflush(stdout); /* what the command printed before the run stays printed */
    say(run_line, run_len);
    static const char tail[] = " ended the process (exit) before its run finished\n";
    say(tail, sizeof tail - 1);
    _exit(1);
}

static void forget_all(void)
{
    for (int i = 0; i < SLOTS; i++) __atomic_store_n(&used[i], 0, __ATOMIC_RELEASE);
    __atomic_store_n(&in_run, 0, __ATOMIC_RELEASE);
}

/* an alternate stack for the crash handler, so that a plugin that overflows its stack
 * (SIGSEGV at the guard page) still has its files removed; only where none is set */
static void alt_stack(void)
{
    static char stack[1 << 16];
    static int done;
    if (__atomic_exchange_n(&done, 1, __ATOMIC_ACQ_REL)) return;
    stack_t cur, ss = {.ss_sp = stack, .ss_size = sizeof stack};
    if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) sigaltstack(&ss, NULL);
}

/* The removing handler on every interrupt signal still at its default (never over a
 * caller's own handler, nor over an ignored signal: nohup, a child told to ignore), and
 * on_crash on every crash signal, before whatever it had (which it passes the signal on
 * to); checked at every ob_interrupt_track, so a signal ob_interrupt_release gave back
 * its default gets it again (a few system calls beside the file being written). */
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
    alt_stack();
    for (size_t k = 0; k < N_CRASH; k++) {
        struct sigaction cur, sa = {.sa_handler = on_crash, .sa_flags = SA_ONSTACK};
        sigemptyset(&sa.sa_mask);
        if (sigaction(crash_sigs[k], NULL, &cur) != 0 ||
            (cur.sa_handler == on_crash && !(cur.sa_flags & SA_SIGINFO)))
            continue;
        old_crash[k] = cur;
        sigaction(crash_sigs[k], &sa, NULL);
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

void ob_interrupt_run_begin(const char *fmt, ...)
{
    __atomic_store_n(&in_run, 0, __ATOMIC_RELEASE);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(run_line, sizeof run_line, fmt, ap);
    va_end(ap);
    run_len = n < 0 ? 0 : (size_t)n < sizeof run_line ? (size_t)n : sizeof run_line - 1;
    install();
    if (!__atomic_exchange_n(&exit_hook, 1, __ATOMIC_ACQ_REL)) atexit(on_exit_in_run);
    __atomic_store_n(&in_run, 1, __ATOMIC_RELEASE);
}

void ob_interrupt_run_end(void)
{
    __atomic_store_n(&in_run, 0, __ATOMIC_RELEASE);
}
