/* runfile.c - see runfile.h. */
#include "runs/runfile.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <unistd.h>

#include "common/csvread.h"

static const char *const rc_names[OB_RC_N] = {"step", "loss", "grad_norm", "evals", "lr",
                                              "seconds"};

/* the OB_RC_* columns of a trajectory CSV, from its header line, and the optional
 * sharpness and threshold columns (-1 when absent) */
static ob_status find_columns(const char *path, int *col, int *sharp, int *thresh, ob_error *err)
{
    char found[4096];
    path = ob_csv_resolve(path, found, sizeof found); /* FILE.csv or FILE.csv.gz */
    gzFile f = gzopen(path, "rb");
    if (!f) return ob_fail(err, OB_EIO, "cannot read %s", path);
    char line[8192];
    int ok = gzgets(f, line, sizeof line) != NULL;
    gzclose(f);
    if (!ok) return ob_fail(err, OB_EDATA, "%s: no header", path);
    line[strcspn(line, "\r\n")] = '\0';
    for (int c = 0; c < OB_RC_N; c++) col[c] = -1;
    *sharp = *thresh = -1;
    int k = 0;
    for (char *save = NULL, *tok = strtok_r(line, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save), k++) {
        for (int c = 0; c < OB_RC_N; c++)
            if (strcmp(tok, rc_names[c]) == 0) col[c] = k;
        if (strcmp(tok, "sharpness") == 0) *sharp = k;
        if (strcmp(tok, "threshold") == 0) *thresh = k;
    }
    for (int c = 0; c < OB_RC_N; c++)
        if (col[c] < 0)
            return ob_fail(err, OB_EDATA, "%s: no column '%s'", path, rc_names[c]);
    return OB_OK;
}

ob_status ob_run_data_load(const char *dir, const char *stem, ob_run_data *r, ob_error *err)
{
    char path[4096];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", stem);
    snprintf(path, sizeof path, "%s/%s.summary.csv", dir, stem);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    if (t.rows == 0) {
        ob_table_free(&t);
        return ob_fail(err, OB_EDATA, "%s: line 2: cut short: the header without its row", path);
    }
    r->lr = ob_table_num(&t, 0, ob_table_col(&t, "lr"));
    r->seed = strncmp(stem, "seed-", 5) == 0 ? atoi(stem + 5) : -1;
    snprintf(r->status, sizeof r->status, "%s", ob_table_str(&t, 0, ob_table_col(&t, "status")));
    r->f0 = ob_table_num(&t, 0, ob_table_col(&t, "f0"));
    r->f_star = ob_table_num(&t, 0, ob_table_col(&t, "f_star"));
    if (!isfinite(r->f_star)) r->f_star = 0; /* unknown f*: gaps are losses */
    r->final_gap = ob_table_num(&t, 0, ob_table_col(&t, "final_loss")) - r->f_star;
    r->final_gnorm = ob_table_num(&t, 0, ob_table_col(&t, "final_grad_norm"));
    r->sec_per_step = ob_table_num(&t, 0, ob_table_col(&t, "seconds_per_step"));
    r->diverged_step = (long)ob_table_num(&t, 0, ob_table_col(&t, "diverged_step"));
    r->net = strcmp(ob_table_str(&t, 0, ob_table_col(&t, "kind")), "network") == 0;
    r->best_val_acc = ob_table_num(&t, 0, ob_table_col(&t, "best_val_acc"));
    r->test_acc = ob_table_num(&t, 0, ob_table_col(&t, "test_acc"));
    r->epoch_seconds = ob_table_num(&t, 0, ob_table_col(&t, "epoch_seconds"));
    int sc = ob_table_col(&t, "tune_score");
    if (sc >= 0) {
        double hit = ob_table_num(&t, 0, ob_table_col(&t, "tune_hit_step"));
        r->has_score = 1;
        r->score = ob_table_num(&t, 0, sc);
        r->hit = isfinite(hit) ? (long)hit : LONG_MAX;
    }
    ob_table_free(&t);
    if (r->has_score) return OB_OK; /* the summary is the whole run */
    snprintf(path, sizeof path, "%s/%s.csv", dir, stem);
    if (r->net) {
        if ((s = ob_table_read(path, &r->curve, err)) != OB_OK) return s; /* may hold NaN losses */
        snprintf(path, sizeof path, "%s/%s.steps.csv", dir, stem);
        if (access(path, F_OK) == 0) return ob_table_read(path, &r->steps, err);
        return OB_OK;
    }
    if ((s = find_columns(path, r->col, &r->sharp_col, &r->thresh_col, err)) != OB_OK) return s;
    if (r->sharp_col < 0) return ob_csv_read_matrix(path, &r->v, &r->rows, &r->cols, err);
    /* the sharpness columns are empty between estimates: read as text, empty as NaN */
    if ((s = ob_table_read(path, &t, err)) != OB_OK) return s;
    r->rows = t.rows, r->cols = t.cols;
    r->v = malloc((t.rows * t.cols + 1) * sizeof *r->v);
    for (size_t i = 0; r->v && i < t.rows; i++)
        for (size_t j = 0; j < t.cols; j++) r->v[i * t.cols + j] = ob_table_num(&t, i, (int)j);
    ob_table_free(&t);
    if (!r->v) return ob_fail(err, OB_ENOMEM, "out of memory");
    return r->rows ? OB_OK : ob_fail(err, OB_EDATA, "%s: no rows", path);
}

ob_status ob_run_check(const char *dir, const char *stem, ob_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.summary.csv", dir, stem);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    int summary_only = ob_table_col(&t, "tune_score") >= 0;
    size_t rows = t.rows;
    ob_table_free(&t);
    if (rows == 0)
        return ob_fail(err, OB_EDATA, "%s: line 2: cut short: the header without its row", path);
    if (summary_only) return OB_OK;
    /* the trajectory or training CSV (X.csv or X.csv.gz), and the files beside it */
    static const char *const beside[] = {".csv", ".steps.csv", ".interp.csv"};
    for (int k = 0; k < 3 && s == OB_OK; k++) {
        snprintf(path, sizeof path, "%s/%s%s", dir, stem, beside[k]);
        char found[4096];
        if (k > 0 && access(ob_csv_resolve(path, found, sizeof found), F_OK) != 0) continue;
        s = ob_table_check(path, err);
    }
    return s;
}

void ob_run_data_free(ob_run_data *r)
{
    free(r->v);
    r->v = NULL;
    if (r->net) {
        ob_table_free(&r->curve);
        ob_table_free(&r->steps);
    }
    r->net = 0;
}

/* a plugin's run that crashed, timed out or failed (bench/execute.c) has no result either */
int ob_run_diverged(const ob_run_data *r)
{
    return strcmp(r->status, "diverged") == 0 || strcmp(r->status, "crashed") == 0 ||
           strcmp(r->status, "timeout") == 0 || strcmp(r->status, "failed") == 0;
}

double ob_run_gap_at(const ob_run_data *r, size_t i)
{
    double g = ob_run_at(r, i, OB_RC_LOSS) - r->f_star;
    return g > 0 ? g : 0; /* a computed f* can sit a rounding error above the true min */
}

long ob_run_first_below(const ob_run_data *r, double t)
{
    double target = t * (r->f0 - r->f_star);
    for (size_t i = 0; i < r->rows; i++)
        if (ob_run_gap_at(r, i) <= target) return (long)i;
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **ob_run_stems(const char *dir, const char *prefix, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **v = NULL;
    size_t cap = 0;
    struct dirent *e;
    const char *suf = ".summary.csv";
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || len <= strlen(suf) ||
            strcmp(e->d_name + len - strlen(suf), suf) != 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **nv = realloc(v, cap * sizeof *nv);
            if (!nv) break;
            v = nv;
        }
        v[*n] = strndup(e->d_name, len - strlen(suf));
        if (v[*n]) (*n)++;
    }
    closedir(d);
    if (*n > 1) qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

char **ob_dir_entries(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **v = NULL;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        char **nv = realloc(v, (*n + 1) * sizeof *nv);
        if (!nv) break;
        v = nv;
        if ((v[*n] = strdup(e->d_name)) != NULL) (*n)++;
    }
    closedir(d);
    if (*n > 1) qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

void ob_run_stems_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}
