/* plugin.h - optimizers compiled by the user as shared objects (include/optbench.h).
 *
 * `--optimizer PATH`, where PATH contains a '/' or ends in ".so", names a plugin: the
 * loader dlopens it, checks its ABI version and its type, and adds the type to the
 * optimizer registry (ob_optimizer_register), after which it is an optimizer like the
 * built-ins, found by its own name. */
#ifndef OB_PLUGIN_H
#define OB_PLUGIN_H

#include "optimizers/optimizer.h"

/* The symbols a plugin exports. */
#define OB_PLUGIN_ABI_SYMBOL "optbench_abi"
#define OB_PLUGIN_TYPE_SYMBOL "optbench_optimizer"

/* 1 when an --optimizer value names a plugin file rather than a registered name. */
int ob_plugin_is_path(const char *name);

/* Loads the plugin at path (once: a second call with the same path gives the same type)
 * and registers it; *T is its type.  A bad plugin is OB_EINVAL with one line naming the
 * file and the problem: not a shared object, a missing symbol, another ABI version, a
 * type without name/alloc/step, an option table that does not parse (a kind, a field
 * outside ob_hparams, no "lr", a default out of range, an option twice or one of the
 * command line's), a name already taken. */
ob_status ob_plugin_load(const char *path, const ob_optimizer_type **T, ob_error *err);

/* The check of a plugin's option table that only the command line can make (its
 * commands', the schedule's and the problems' option names: cli/options.h's
 * ob_optimizer_options_check), called by every later ob_plugin_load; NULL: none. */
void ob_plugin_set_options_check(ob_status (*check)(const ob_optimizer_type *T, ob_error *err));

/* The type of --optimizer NAME_OR_PATH: a plugin path is loaded, a name looked up (NULL
 * *T and OB_OK when there is no such name: the caller lists the accepted ones). */
ob_status ob_optimizer_resolve(const char *name, const ob_optimizer_type **T, ob_error *err);

/* 1 when T came from a plugin (the benchmark runs those in a child process each). */
int ob_plugin_loaded(const ob_optimizer_type *T);

/* The path T was loaded from, or NULL for a built-in. */
const char *ob_plugin_path(const ob_optimizer_type *T);

#endif
