/* version.c - see version.h.  OB_VERSION and OB_COMMIT come from the build's
 * build-info.h, which the Makefile rewrites only when the commit changes. */
#include "common/version.h"

#include "build-info.h"

const char *ob_version(void) { return OB_VERSION; }
const char *ob_commit(void) { return OB_COMMIT; }
