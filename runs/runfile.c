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

#include "common/csvout.h"
#include "common/csvread.h"
#include "common/path.h"

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
    ob_table t;
    ob_status s = ob_run_summary_read(dir, stem, &t, err);
    if (s != OB_OK) return s;
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
    ob_table t;
    ob_status s = ob_run_summary_read(dir, stem, &t, err);
    if (s != OB_OK) return s;
    int summary_only = ob_table_col(&t, "tune_score") >= 0;
    ob_table_free(&t);
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

/* appends a copy of name to the growing list (*v, *n, *cap); 0 when out of memory */
static int push_name(char ***v, size_t *n, size_t *cap, const char *name, size_t len)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        char **nv = realloc(*v, c * sizeof *nv);
        if (!nv) return 0;
        *v = nv, *cap = c;
    }
    if (((*v)[*n] = strndup(name, len)) == NULL) return 0;
    (*n)++;
    return 1;
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
    size_t lp = strlen(prefix), ls = strlen(suf);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, lp) != 0 || len <= ls || strcmp(e->d_name + len - ls, suf) != 0)
            continue;
        if (!push_name(&v, n, &cap, e->d_name, len - ls)) break;
    }
    closedir(d);
    ob_table pk;
    char path[4096];
    ob_pathf(path, sizeof path, "%s/" OB_RUNS_PACK, dir);
    int whole = ob_table_read(path, &pk, NULL) == OB_OK;
    if (whole && pk.rows == 0) ob_table_free(&pk); /* a pack always has a row */
    if (whole && pk.rows > 0) {
        int rc = ob_table_col(&pk, "run");
        for (size_t i = 0; rc >= 0 && i < pk.rows; i++) {
            const char *name = ob_table_str(&pk, i, rc);
            if (!strncmp(name, prefix, lp) && !push_name(&v, n, &cap, name, strlen(name))) break;
        }
        ob_table_free(&pk);
    } else if (access(path, F_OK) == 0) {
        /* a pack that does not read whole (cut short) hides which runs it held: one stem
         * stands for them, prefix "?", whose summary (the pack's row) then fails to read
         * with the pack's own error, as a cut summary file of its own would */
        char bad[4096];
        int len = snprintf(bad, sizeof bad, "%s?", prefix);
        push_name(&v, n, &cap, bad, (size_t)len);
    }
    if (*n > 1) qsort(v, *n, sizeof *v, cmp_str);
    size_t k = 0; /* a run both packed and in its own file (a pack cut between its rename and
                   * the removals) once */
    for (size_t i = 0; i < *n; i++) {
        if (k && !strcmp(v[k - 1], v[i])) free(v[i]);
        else v[k++] = v[i];
    }
    *n = k;
    return v;
}

/* t's row r alone, without the cells that are empty there, into *one */
static ob_status row_alone(const ob_table *t, size_t r, ob_table *one, ob_error *err)
{
    memset(one, 0, sizeof *one);
    one->rows = 1;
    one->head = calloc(t->cols ? t->cols : 1, sizeof *one->head);
    one->cell = calloc(t->cols ? t->cols : 1, sizeof *one->cell);
    int ok = one->head && one->cell;
    for (size_t j = 0; ok && j < t->cols; j++) {
        const char *c = t->cell[r * t->cols + j];
        if (!c[0]) continue;
        one->head[one->cols] = strdup(t->head[j]);
        one->cell[one->cols] = strdup(c);
        ok = one->head[one->cols] && one->cell[one->cols];
        one->cols++;
    }
    if (ok) return OB_OK;
    ob_table_free(one);
    return ob_fail(err, OB_ENOMEM, "out of memory");
}

ob_status ob_run_summary_read(const char *dir, const char *stem, ob_table *t, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/%s.summary.csv", dir, stem);
    ob_status s;
    if (access(path, F_OK) == 0) {
        if ((s = ob_table_read(path, t, err)) != OB_OK) return s;
        if (t->rows) return OB_OK;
        ob_table_free(t);
        return ob_fail(err, OB_EDATA, "%s: line 2: cut short: the header without its row", path);
    }
    ob_table pk;
    ob_pathf(path, sizeof path, "%s/" OB_RUNS_PACK, dir);
    if (access(path, F_OK) != 0)
        return ob_fail(err, OB_EIO, "%s/%s.summary.csv: no such run", dir, stem);
    if ((s = ob_table_read(path, &pk, err)) != OB_OK) return s;
    if (pk.rows == 0) {
        ob_table_free(&pk);
        return ob_fail(err, OB_EDATA, "%s: line 2: cut short: the header without its rows", path);
    }
    size_t i;
    int rc = ob_table_col(&pk, "run");
    s = rc >= 0 && ob_rows_where(&pk, rc, stem, &i, 1) == 1
            ? row_alone(&pk, i, t, err)
            : ob_fail(err, OB_EIO, "%s/%s.summary.csv: no such run (nor in %s)", dir, stem, path);
    ob_table_free(&pk);
    return s;
}

ob_status ob_run_summary_beside(const char *traj, ob_table *t, ob_error *err)
{
    const char *base = strrchr(traj, '/');
    char dir[4096], stem[4096];
    if (base) snprintf(dir, sizeof dir, "%.*s", (int)(base - traj), traj);
    else snprintf(dir, sizeof dir, ".");
    base = base ? base + 1 : traj;
    size_t len = strlen(base);
    if (len > 7 && !strcmp(base + len - 7, ".csv.gz")) len -= 7;
    else if (len > 4 && !strcmp(base + len - 4, ".csv")) len -= 4;
    snprintf(stem, sizeof stem, "%.*s", (int)len, base);
    return ob_run_summary_read(dir, stem, t, err);
}

int ob_runs_pack_drop_cut(const char *dir)
{
    char path[4096];
    ob_table pk;
    ob_pathf(path, sizeof path, "%s/" OB_RUNS_PACK, dir);
    if (access(path, F_OK) != 0) return 0;
    if (ob_table_read(path, &pk, NULL) == OB_OK) {
        size_t rows = pk.rows;
        ob_table_free(&pk);
        if (rows > 0) return 0;
    }
    return unlink(path) == 0;
}

ob_status ob_runs_pack(const char *dir, ob_error *err)
{
    size_t n, nf = 0;
    char **stems = ob_run_stems(dir, "", &n);
    ob_table *sum = calloc(n ? n : 1, sizeof *sum);
    char **head = NULL; /* the union of the columns, in order of first appearance */
    size_t nh = 0, hcap = 0;
    int *have = calloc(n ? n : 1, sizeof *have);
    ob_status s = sum && have ? OB_OK : ob_fail(err, OB_ENOMEM, "out of memory");
    char path[4200];
    ob_table pk; /* the columns packed before keep their places */
    if (ob_table_read(ob_pathf(path, sizeof path, "%s/" OB_RUNS_PACK, dir), &pk, NULL) == OB_OK) {
        for (size_t j = 0; s == OB_OK && j < pk.cols; j++)
            if (strcmp(pk.head[j], "run") && !push_name(&head, &nh, &hcap, pk.head[j], strlen(pk.head[j])))
                s = ob_fail(err, OB_ENOMEM, "out of memory");
        ob_table_free(&pk);
    }
    for (size_t i = 0; s == OB_OK && i < n; i++) {
        ob_pathf(path, sizeof path, "%s/%s.summary.csv", dir, stems[i]);
        nf += access(path, F_OK) == 0;
        if (ob_run_summary_read(dir, stems[i], &sum[i], NULL) != OB_OK) continue; /* run again */
        have[i] = 1;
        for (size_t j = 0; s == OB_OK && j < sum[i].cols; j++) {
            if (!strcmp(sum[i].head[j], "run")) continue; /* a packed row's own name */
            size_t k = 0;
            while (k < nh && strcmp(head[k], sum[i].head[j])) k++;
            if (k == nh && !push_name(&head, &nh, &hcap, sum[i].head[j], strlen(sum[i].head[j])))
                s = ob_fail(err, OB_ENOMEM, "out of memory");
        }
    }
    size_t nhave = 0;
    for (size_t i = 0; have && i < n; i++) nhave += have[i];
    if (s == OB_OK && nf > 0 && nhave > 0) { /* else: nothing new to pack */
        ob_csv w;
        s = ob_csv_open(&w, ob_pathf(path, sizeof path, "%s/" OB_RUNS_PACK, dir), err);
        if (s == OB_OK) {
            ob_csv_text(&w, "run");
            for (size_t k = 0; k < nh; k++) ob_csv_text(&w, head[k]);
            ob_csv_end_row(&w);
            for (size_t i = 0; i < n; i++) {
                if (!have[i]) continue;
                ob_csv_text(&w, stems[i]);
                for (size_t k = 0; k < nh; k++) {
                    int c = ob_table_col(&sum[i], head[k]);
                    ob_csv_text(&w, c >= 0 ? ob_table_str(&sum[i], 0, c) : "");
                }
                ob_csv_end_row(&w);
            }
            s = ob_csv_commit(&w, err);
        }
        for (size_t i = 0; s == OB_OK && i < n; i++)
            if (have[i]) unlink(ob_pathf(path, sizeof path, "%s/%s.summary.csv", dir, stems[i]));
    }
    for (size_t i = 0; sum && i < n; i++)
        if (have && have[i]) ob_table_free(&sum[i]);
    free(sum);
    free(have);
    ob_run_stems_free(head, nh);
    ob_run_stems_free(stems, n);
    return s;
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
