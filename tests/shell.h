/* shell.h - the tests' one way to run a shell command: sh("fmt", ...) formats it, runs it
 * with system() and returns its exit status (-1 when it did not exit normally).  Included
 * by one test file each. */
#ifndef OB_TEST_SHELL_H
#define OB_TEST_SHELL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

__attribute__((format(printf, 1, 2))) static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

#endif
