/* version.h - optbench's version and the git commit it was built from (baked in at build
 * time by the Makefile; "unknown" outside a git checkout). */
#ifndef OB_VERSION_H
#define OB_VERSION_H

const char *ob_version(void); /* "0.5.0" */
const char *ob_commit(void);  /* "6723526a1b2c", "6723526a1b2c-dirty" or "unknown" */

#endif
