/* plugin.c - loading an optimizer plugin (see plugin.h). */
#include "optimizers/plugin.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PLUGINS_MAX 16

/* The plugins loaded by this process: their paths and types.  The registry they join is
 * itself process-wide (optimizer.c); this list only remembers which came from where. */
static struct {
    char path[1024];
    const ob_optimizer_type *T;
    ob_optimizer_type old;  /* an older plugin's type, copied: a version-1 struct ends at
                               .free, a version-2 one at .precond */
} loaded[PLUGINS_MAX];

/* the size of an older ob_optimizer_type: the fields before version 2's, 3's */
#define OB_TYPE_V1_SIZE offsetof(ob_optimizer_type, threshold)
#define OB_TYPE_V2_SIZE offsetof(ob_optimizer_type, reference)
static size_t n_loaded;

/* the command line's check of an option table (ob_plugin_set_options_check), or NULL */
static ob_status (*options_check)(const ob_optimizer_type *T, ob_error *err);

void ob_plugin_set_options_check(ob_status (*check)(const ob_optimizer_type *T, ob_error *err))
{
    options_check = check;
}

int ob_plugin_is_path(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n && (strchr(name, '/') || (n > 3 && strcmp(name + n - 3, ".so") == 0));
}

int ob_plugin_loaded(const ob_optimizer_type *T) { return ob_plugin_path(T) != NULL; }

const char *ob_plugin_path(const ob_optimizer_type *T)
{
    for (size_t i = 0; i < n_loaded; i++)
        if (loaded[i].T == T) return loaded[i].path;
    return NULL;
}

/* a name becomes a results directory and a column value: letters, digits, - _ . */
static int name_ok(const char *s, int dash_only)
{
    if (!s || !s[0] || strlen(s) > 40 || s[0] == '-' || s[0] == '.') return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z' && !dash_only) ||
              (*s >= '0' && *s <= '9') || *s == '-' || (!dash_only && (*s == '_' || *s == '.'))))
            return 0;
    return 1;
}

/* one option of the table: a kind we know, fields inside ob_hparams, aligned */
static ob_status check_option(const char *path, const ob_hp_option *o, ob_error *err)
{
    size_t size = o->kind == OB_HPK_FLAG ? sizeof(int) : sizeof(double);
    if (!name_ok(o->name, 1))
        return ob_fail(err, OB_EINVAL, "%s: bad option table: option name '%.40s' (accepted: "
                       "lower-case letters, digits and '-')", path, o->name ? o->name : "");
    if (o->kind != OB_HPK_NUMBER && o->kind != OB_HPK_FLAG && o->kind != OB_HPK_PAIR)
        return ob_fail(err, OB_EINVAL, "%s: bad option table: --%s has kind %d (accepted: "
                       "OB_HPK_NUMBER, OB_HPK_FLAG, OB_HPK_PAIR)", path, o->name, (int)o->kind);
    if (o->field % size || o->field + size > sizeof(ob_hparams) ||
        (o->kind == OB_HPK_PAIR && (o->field2 % size || o->field2 + size > sizeof(ob_hparams))))
        return ob_fail(err, OB_EINVAL, "%s: bad option table: --%s points outside ob_hparams "
                       "(use the OB_HP_* macros)", path, o->name);
    if (!o->help)
        return ob_fail(err, OB_EINVAL, "%s: bad option table: --%s has no help line", path,
                       o->name);
    if (o->kind != OB_HPK_FLAG && !(isfinite(o->def) && (o->kind != OB_HPK_PAIR || isfinite(o->def2))))
        return ob_fail(err, OB_EINVAL, "%s: bad option table: --%s's default is not finite",
                       path, o->name);
    return OB_OK;
}

/* the type as a whole: what the wrapper calls, and its defaults pass its own checks */
static ob_status check_type(const char *path, const ob_optimizer_type *T, ob_error *err)
{
    if (!name_ok(T->name, 0))
        return ob_fail(err, OB_EINVAL, "%s: the optimizer's name must be 1-40 letters, digits, "
                       "'-', '_' or '.', got '%.40s'", path, T->name ? T->name : "(null)");
    if (!T->alloc || !T->step)
        return ob_fail(err, OB_EINVAL, "%s: optimizer %s has no %s function", path, T->name,
                       T->alloc ? "step" : "alloc");
    if (!T->options)
        return ob_fail(err, OB_EINVAL, "%s: bad option table: none (it must have \"lr\")", path);
    size_t n = 0;
    for (const ob_hp_option *o = T->options; o->name; o++, n++) {
        if (n == 32)
            return ob_fail(err, OB_EINVAL, "%s: bad option table: more than 32 options, or no "
                           "OB_HP_END", path);
        ob_status s = check_option(path, o, err);
        if (s != OB_OK) return s;
    }
    if (!ob_hp_option_find(T, "lr"))
        return ob_fail(err, OB_EINVAL, "%s: bad option table: no \"lr\" option (add "
                       "OB_HP_LR(default, help))", path);
    if (ob_optimizer_find(T->name))
        return ob_fail(err, OB_EINVAL, "%s: the name '%s' is taken by a built-in optimizer; "
                       "rename it", path, T->name);
    ob_hparams h;
    ob_error e2;
    /* an option of a command, of the schedule or of a problem (or twice its own: the
     * registry's check, ob_optimizer_register) would never reach the plugin */
    if (options_check && options_check(T, &e2) != OB_OK)
        return ob_fail(err, OB_EINVAL, "%s: bad option table: %s", path, e2.msg);
    ob_hparams_default(T, &h);
    if (ob_hparams_check(T, &h, &e2) != OB_OK)
        return ob_fail(err, OB_EINVAL, "%s: bad option table: its defaults are out of range: "
                       "%s", path, e2.msg);
    return OB_OK;
}

/* dlopen with the problem named: a missing file, or not a shared object */
static void *open_object(const char *path, ob_error *err)
{
    if (access(path, R_OK) != 0) {
        ob_fail(err, OB_EINVAL, "%s: no such plugin file (--optimizer takes a built-in name "
                "or the path of a shared object)", path);
        return NULL;
    }
    char local[1100];
    /* a bare "x.so" means the file here, not a library on the search path */
    snprintf(local, sizeof local, "%s%s", strchr(path, '/') ? "" : "./", path);
    void *so = dlopen(local, RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        const char *why = dlerror();
        const char *colon = why ? strrchr(why, ':') : NULL;
        ob_fail(err, OB_EINVAL, "%s: not a loadable shared object (%s)", path,
                colon ? colon + 2 : "dlopen failed");
    }
    return so;
}

ob_status ob_plugin_load(const char *path, const ob_optimizer_type **T, ob_error *err)
{
    *T = NULL;
    for (size_t i = 0; i < n_loaded; i++)
        if (strcmp(loaded[i].path, path) == 0) return *T = loaded[i].T, OB_OK;
    if (strlen(path) >= sizeof loaded[0].path)
        return ob_fail(err, OB_EINVAL, "%.60s...: plugin path too long", path);
    if (n_loaded == PLUGINS_MAX)
        return ob_fail(err, OB_EINVAL, "%s: at most %d plugins at once", path, PLUGINS_MAX);
    void *so = open_object(path, err);
    if (!so) return OB_EINVAL;
    const unsigned *abi = dlsym(so, OB_PLUGIN_ABI_SYMBOL);
    const ob_optimizer_type *t = dlsym(so, OB_PLUGIN_TYPE_SYMBOL);
    ob_status s = OB_OK;
    if (!abi || !t)
        s = ob_fail(err, OB_EINVAL, "%s: missing symbol %s (a plugin defines `const unsigned "
                    "optbench_abi = OB_PLUGIN_ABI_VERSION;` and `const ob_optimizer_type "
                    "optbench_optimizer`)", path, abi ? OB_PLUGIN_TYPE_SYMBOL : OB_PLUGIN_ABI_SYMBOL);
    else if (*abi < 1 || *abi > OB_PLUGIN_ABI_VERSION)
        s = ob_fail(err, OB_EINVAL, "%s: ABI version %u, this optbench accepts 1 to %u (rebuild "
                    "it against this optbench's include/optbench.h)", path, *abi,
                    OB_PLUGIN_ABI_VERSION);
    else if (*abi < OB_PLUGIN_ABI_VERSION) { /* read no further than its struct: the later
                                                fields stay NULL and 0 */
        loaded[n_loaded].old = (ob_optimizer_type){0};
        memcpy(&loaded[n_loaded].old, t, *abi == 1 ? OB_TYPE_V1_SIZE : OB_TYPE_V2_SIZE);
        t = &loaded[n_loaded].old;
    }
    if (s == OB_OK && (s = check_type(path, t, err)) == OB_OK) {
        ob_error e2;
        if ((s = ob_optimizer_register(t, &e2)) != OB_OK)
            ob_fail(err, s == OB_ENOMEM ? OB_EINVAL : s, "%s: %s", path, e2.msg);
        if (s == OB_ENOMEM) s = OB_EINVAL;
    }
    if (s != OB_OK) {
        dlclose(so);
        return s;
    }
    /* the object stays loaded for the life of the process: the registry points into it */
    snprintf(loaded[n_loaded].path, sizeof loaded[n_loaded].path, "%s", path);
    loaded[n_loaded++].T = t;
    *T = t;
    return OB_OK;
}

ob_status ob_optimizer_resolve(const char *name, const ob_optimizer_type **T, ob_error *err)
{
    if (ob_plugin_is_path(name)) return ob_plugin_load(name, T, err);
    *T = ob_optimizer_find(name);
    return OB_OK;
}
