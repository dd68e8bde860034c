/* test_landscape.c - loss landscapes (nets/landscape.h, `optbench landscape`) on a tiny
 * network and tiny data: the interpolation's end points against an independent training
 * run's own evaluations, filter normalization's block norms, the principal directions on
 * a path built by hand in a known plane, the slice's centre, the command end to end
 * (files, valid PNGs, bad options), and the benchmark's seed-1 interpolation files
 * (bench/interp.h) with their figure in the report. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "common/table.h"
#include "runs/interp.h"
#include "runs/runfile.h"
#include "nets/landscape.h"
#include "runs/runwrite.h"
#include "tests/e2e.h"

static int setup(void **st)
{
    (void)st;
    (void)load; /* e2e.h's numeric reader: these CSVs have text columns (common/table.h) */
    return e2e_setup("landscape");
}

/* a 2-6-2 tanh network on 120 spirals: seconds at most */
static ob_splits data;
static ob_train_config tiny(const char *opt_name, double lr)
{
    ob_train_config c = {.dtype = OB_F32, .epochs = 3, .batch = 20, .seed = 7};
    c.spec = (ob_mlp_spec){.n_layers = 2, .sizes = {2, 6, 2}, .act = OB_ACT_TANH,
                           .loss = OB_LOSS_XENT};
    c.opt = ob_optimizer_find(opt_name);
    ob_hparams_default(c.opt, &c.h);
    c.h.lr = lr;
    c.sched = ob_schedule_default();
    return c;
}

static int data_setup(void **st)
{
    ob_error e = {{0}};
    return setup(st) || ob_make_spirals(120, 40, 40, 0.2, 3, &data, &e) != OB_OK;
}
static int data_teardown(void **st)
{
    ob_splits_free(&data);
    return teardown(st);
}

/* the rows an independent run reports: row 0 (theta_0) and the last (theta_T) */
typedef struct {
    ob_train_row first, last;
} rows_seen;
static ob_status see(void *ctx, const ob_train_row *r, ob_error *e)
{
    (void)e;
    rows_seen *s = ctx;
    if (r->epoch == 0) s->first = *r;
    s->last = *r;
    return OB_OK;
}

/* a = 0 and a = 1 reproduce, bit for bit, the training loop's own evaluation of theta_0
 * (row 0) and theta_T (the last row) on the whole training split, from a run without
 * checkpoints; the checkpoints start at step 0 and end at the run's last step */
static void test_interp_endpoints(void **st)
{
    (void)st;
    for (int o = 0; o < 2; o++) {
        ob_train_config c = tiny(o ? "adam" : "sgd", o ? 0.05 : 0.3);
        ob_error e = {{0}};
        rows_seen seen = {0};
        ob_train_observer obs = {.row = see, .ctx = &seen};
        ob_train_result plain, res;
        assert_int_equal(ob_train(&c, &data, &obs, &plain, &e), OB_OK);
        ob_ckpts ck;
        assert_int_equal(ob_landscape_train(&c, &data, 4, NULL, &ck, &res, &e), OB_OK);
        assert_int_equal(ck.P, 2 * 6 + 6 + 6 * 2 + 2);
        assert_int_equal(ck.step[0], 0);
        assert_int_equal(ck.step[ck.n - 1], plain.steps);
        assert_int_equal(ck.n, (size_t)(plain.steps / 4 + 1 + (plain.steps % 4 != 0)));
        ob_mlp m;
        assert_int_equal(ob_mlp_alloc(&m, &c.spec, c.dtype, 1024, &e), OB_OK);
        const double alpha[2] = {0, 1};
        double loss[2], acc[2];
        ob_landscape_interp(&m, &data.train, ck.theta, ck.theta + (ck.n - 1) * ck.P, alpha, 2,
                            loss, acc);
        assert_true(loss[0] == seen.first.loss[OB_SPLIT_TRAIN]);
        assert_true(acc[0] == seen.first.acc[OB_SPLIT_TRAIN]);
        assert_true(loss[1] == seen.last.loss[OB_SPLIT_TRAIN]);
        assert_true(acc[1] == seen.last.acc[OB_SPLIT_TRAIN]);
        assert_true(loss[1] < loss[0]); /* it trained */
        /* the 2-D slice at the origin is theta_T too: the final loss again */
        double zero = 0, gl, ga;
        ob_landscape_grid(&m, &data.train, ck.theta + (ck.n - 1) * ck.P, ck.theta, ck.theta, &zero,
                          1, &zero, 1, &gl, &ga, NULL, NULL);
        assert_true(gl == seen.last.loss[OB_SPLIT_TRAIN]);
        /* the real path's principal directions: orthonormal; theta_T projects to (0, 0) */
        double *d1 = malloc(ck.P * sizeof *d1), *d2 = malloc(ck.P * sizeof *d2), ex[2];
        double *px = malloc(ck.n * sizeof *px), *py = malloc(ck.n * sizeof *py);
        assert_int_equal(ob_landscape_pca(&ck, d1, d2, ex, &e), OB_OK);
        double n1 = 0, n2 = 0, d12 = 0;
        for (size_t i = 0; i < ck.P; i++)
            n1 += d1[i] * d1[i], n2 += d2[i] * d2[i], d12 += d1[i] * d2[i];
        assert_true(fabs(n1 - 1) < 1e-12 && fabs(n2 - 1) < 1e-12 && fabs(d12) < 1e-12);
        assert_true(ex[0] >= ex[1] && ex[1] > 0 && ex[0] + ex[1] <= 1 + 1e-12);
        ob_landscape_project(&ck, d1, d2, px, py);
        assert_true(px[ck.n - 1] == 0 && py[ck.n - 1] == 0 && px[0] > 0);
        free(d1), free(d2), free(px), free(py);
        ob_mlp_free(&m);
        ob_ckpts_free(&ck);
    }
}

/* every filter (row of W) of the direction has the norm of theta's row; biases are 0; and
 * the direction is not theta itself */
static void test_filter_normalization(void **st)
{
    (void)st;
    ob_mlp_spec s = {.n_layers = 3, .sizes = {5, 7, 4, 3}, .act = OB_ACT_RELU, .loss = OB_LOSS_XENT};
    ob_mlp m;
    ob_error e = {{0}};
    assert_int_equal(ob_mlp_alloc(&m, &s, OB_F64, 8, &e), OB_OK);
    const size_t P = m.n_params;
    double *theta = malloc(P * sizeof *theta), *d1 = malloc(P * sizeof *d1), *d2 = malloc(P * sizeof *d2);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (size_t i = 0; i < P; i++) theta[i] = gsl_ran_gaussian(r, 1) * (double)(1 + i % 3);
    gsl_rng_free(r);
    ob_landscape_random_dirs(&m, theta, 11, d1, d2);
    for (size_t l = 0; l < s.n_layers; l++) {
        const size_t in = s.sizes[l], out = s.sizes[l + 1];
        for (size_t row = 0; row < out; row++) {
            double nd1 = 0, nd2 = 0, nt = 0, dot = 0;
            for (size_t c = 0; c < in; c++) {
                const size_t i = m.w_off[l] + row * in + c;
                nd1 += d1[i] * d1[i], nd2 += d2[i] * d2[i], nt += theta[i] * theta[i];
                dot += d1[i] * theta[i];
            }
            assert_true(fabs(sqrt(nd1) - sqrt(nt)) <= 1e-12 * sqrt(nt));
            assert_true(fabs(sqrt(nd2) - sqrt(nt)) <= 1e-12 * sqrt(nt));
            if (in > 2) assert_true(fabs(dot) < 0.999 * nt); /* not a copy of theta's row */
        }
        for (size_t b = 0; b < out; b++) {
            assert_true(d1[m.b_off[l] + b] == 0);
            assert_true(d2[m.b_off[l] + b] == 0);
        }
    }
    free(theta), free(d1), free(d2);
    ob_mlp_free(&m);
}

/* a path in a known plane: theta_k = theta_T + a_k u + b_k v with u, v orthonormal; the
 * principal directions are orthonormal, span that plane (the path lies on it: reconstructed
 * to 1e-10), the first is u (the larger spread); the last point projects to (0, 0) exactly;
 * the shares add up to 1 */
static void test_pca_known_plane(void **st)
{
    (void)st;
    const size_t P = 40, n = 9;
    ob_ckpts ck = {.n = n, .cap = n, .P = P, .theta = calloc(n * P, sizeof(double)),
                   .step = calloc(n, sizeof(long))};
    double u[40] = {0}, v[40] = {0}, d1[40], d2[40], ex[2], x[9], y[9];
    for (size_t i = 0; i < P; i++) { /* u = (1,...,1,0...)/sqrt(20), v alternating signs */
        u[i] = i < 20 ? 1 / sqrt(20.0) : 0;
        v[i] = (i % 2 ? 1.0 : -1.0) / sqrt(40.0);
    }
    double dot = 0;
    for (size_t i = 0; i < P; i++) dot += u[i] * v[i];
    assert_true(fabs(dot) < 1e-15);
    for (size_t k = 0; k < n; k++) {
        /* a = 64, 56, ..., 8, 0 and b = +-1 with sum a_k b_k = 0: the offsets' Gram matrix in
         * (u, v) is diagonal, so the singular vectors are u (spread 64..8) and v (spread 1) */
        static const double b_of[9] = {1, -1, -1, 1, 1, -1, -1, 1, 0};
        const double a = 8.0 * (double)(n - 1 - k), b = b_of[k];
        for (size_t i = 0; i < P; i++) ck.theta[k * P + i] = 0.5 + 0.01 * (double)i + a * u[i] + b * v[i];
    }
    ob_error e = {{0}};
    assert_int_equal(ob_landscape_pca(&ck, d1, d2, ex, &e), OB_OK);
    double n1 = 0, n2 = 0, d12 = 0, du = 0;
    for (size_t i = 0; i < P; i++) n1 += d1[i] * d1[i], n2 += d2[i] * d2[i], d12 += d1[i] * d2[i],
                                   du += d1[i] * u[i];
    assert_true(fabs(n1 - 1) < 1e-12 && fabs(n2 - 1) < 1e-12 && fabs(d12) < 1e-12);
    assert_true(fabs(fabs(du) - 1) < 1e-12);
    assert_true(fabs(ex[0] + ex[1] - 1) < 1e-12 && ex[0] > ex[1]);
    ob_landscape_project(&ck, d1, d2, x, y);
    assert_true(x[n - 1] == 0 && y[n - 1] == 0);
    assert_true(x[0] > 0); /* the start on the positive side */
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < P; i++) {
            double off = ck.theta[k * P + i] - ck.theta[(n - 1) * P + i];
            assert_true(fabs(off - (x[k] * d1[i] + y[k] * d2[i])) < 1e-10);
        }
    ck.n = 2; /* theta_0 and theta_T only: no plane */
    assert_int_equal(ob_landscape_pca(&ck, d1, d2, ex, &e), OB_EINVAL);
    ob_ckpts_free(&ck);
}

/* ---- end to end ----------------------------------------------------------------------- */

static int png_ok(const char *name)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    char path[256];
    unsigned char h[24], tail[12];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    int ok = fread(h, 1, 24, f) == 24 && memcmp(h, sig, 8) == 0 && memcmp(h + 12, "IHDR", 4) == 0;
    unsigned long w = (unsigned long)h[16] << 24 | h[17] << 16 | h[18] << 8 | h[19];
    ok = ok && w > 100 && fseek(f, -12, SEEK_END) == 0 && fread(tail, 1, 12, f) == 12 &&
         memcmp(tail + 4, "IEND", 4) == 0;
    fclose(f);
    return ok;
}

static double cell(const ob_table *t, size_t r, const char *col)
{
    return ob_table_num(t, r, ob_table_col(t, col));
}

static void test_command(void **st)
{
    (void)st;
    assert_int_equal(run("landscape --net netA --dataset spirals --samples 200 --epochs 2 "
                         "--batch 25 --checkpoint-every 3 --grid 5 --alpha-steps 5 "
                         "--optimizer sgd,adam --lr 0.1,0.01 --eval-subset 100 --out %s/L", dir), 0);
    const char *pngs[] = {"L/interp.png", "L/pca.png", "L/random.png"};
    for (int k = 0; k < 3; k++) assert_true(png_ok(pngs[k]));
    assert_true(exists("L/landscape.md"));
    ob_table in, su, pa, sm;
    char p[256];
    ob_error e = {{0}};
    snprintf(p, sizeof p, "%s/L/interp.csv", dir);
    assert_int_equal(ob_table_read(p, &in, &e), OB_OK);
    snprintf(p, sizeof p, "%s/L/surface.csv", dir);
    assert_int_equal(ob_table_read(p, &su, &e), OB_OK);
    snprintf(p, sizeof p, "%s/L/path.csv", dir);
    assert_int_equal(ob_table_read(p, &pa, &e), OB_OK);
    snprintf(p, sizeof p, "%s/L/summary.csv", dir);
    assert_int_equal(ob_table_read(p, &sm, &e), OB_OK);
    assert_int_equal(in.rows, 2 * 5);      /* a = -0.5, 0, 0.5, 1, 1.5 per optimizer */
    assert_int_equal(su.rows, 2 * 2 * 25); /* two planes of 5 x 5 per optimizer */
    assert_int_equal(sm.rows, 2);
    for (size_t k = 0; k < 2; k++) {
        const char *opt = ob_table_str(&sm, k, ob_table_col(&sm, "optimizer"));
        const double final = cell(&sm, k, "final_loss");
        assert_true(cell(&in, k * 5 + 3, "alpha") == 1 && cell(&in, k * 5 + 3, "train_loss") == final);
        int centre = 0, last = -1;
        for (size_t r = 0; r < su.rows; r++)
            if (strcmp(ob_table_str(&su, r, 0), opt) == 0 && strcmp(ob_table_str(&su, r, 1), "random") == 0 &&
                cell(&su, r, "x") == 0 && cell(&su, r, "y") == 0) {
                assert_true(cell(&su, r, "loss") == final);
                centre++;
            }
        assert_int_equal(centre, 1);
        for (size_t r = 0; r < pa.rows; r++)
            if (strcmp(ob_table_str(&pa, r, 0), opt) == 0) last = (int)r;
        assert_true(last >= 0 && cell(&pa, (size_t)last, "x") == 0 && cell(&pa, (size_t)last, "y") == 0);
        assert_true(cell(&pa, (size_t)last, "step") == 16); /* 2 epochs of 8 batches */
        assert_true(cell(&pa, (size_t)last, "loss") == final);
        assert_true(cell(&sm, k, "pc1") + cell(&sm, k, "pc2") <= 1 + 1e-12);
    }
    ob_table_free(&in), ob_table_free(&su), ob_table_free(&pa), ob_table_free(&sm);
    /* the same command, the same bytes (timing columns aside: compare the slices) */
    assert_int_equal(run("landscape --net netA --dataset spirals --samples 200 --epochs 2 "
                         "--batch 25 --checkpoint-every 3 --grid 5 --alpha-steps 5 "
                         "--optimizer sgd,adam --lr 0.1,0.01 --eval-subset 100 --quiet --out %s/M",
                         dir), 0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cmp -s %s/L/surface.csv %s/M/surface.csv && "
             "cmp -s %s/L/path.csv %s/M/path.csv", dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
}

/* bad options: exit 2, one line on stderr naming the option, no output directory */
static void test_bad_options(void **st)
{
    (void)st;
    const char *bad[][2] = {
        {"--grid 1", "--grid"},
        {"--alpha 1,0", "--alpha"},
        {"--alpha 0", "--alpha"},
        {"--optimizer nope", "nope"},
        {"--optimizer gsl-bfgs", "gsl-bfgs"},
        {"--optimizer sgd,sgd", "twice"},
        {"--lr 0.1,0.2", "--lr"},
        {"--lr -1", "--lr"},
        {"--net nope", "--net"},
        {"--eval-subset 0", "--eval-subset"},
        {"--range 0", "--range"},
        {"--optimizer gd --batch 10", "--batch"},
        {"--bogus", "bogus"},
        {"--dataset nope --epochs 1", "--dataset"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        assert_int_equal(run("landscape %s --out %s/bad", bad[k][0], dir), 2);
        char *err = slurp("stderr");
        assert_non_null(strstr(err, bad[k][1]));
        assert_non_null(strstr(err, "optbench landscape"));
        assert_true(strchr(err, '\n') == err + strlen(err) - 1); /* one line */
        assert_false(exists("bad/interp.csv"));
    }
    assert_int_equal(run("landscape --help"), 0);
    assert_non_null(strstr(slurp("stdout"), "--checkpoint-every"));
}

/* the bench step: a network workload with landscape = true gets landscape/W/ and its three
 * figures in the report; theta_T is the workload's seed-1 run (the same final training loss,
 * bit for bit: the evaluation subset is the whole 200-sample training split here) */
static void test_bench_key(void **st)
{
    (void)st;
    char path[256];
    snprintf(path, sizeof path, "%s/s.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[suite]\nname = ls\nnet-seeds = 1\nnet-lr-from = 0.1\nnet-lr-to = 0.1\n"
          "optimizers = sgd\n\n[workload tiny]\nnetwork = softmax\nbatch = 50\nepochs = 1\n"
          "subset = 200\nlandscape = true\n", f);
    fclose(f);
    setenv("OMP_NUM_THREADS", "1", 1); /* tiny GEMMs: threads only wait on a busy machine */
    assert_int_equal(run("bench --suite %s/s.ini --out %s/B --jobs 1", dir, dir), 0);
    unsetenv("OMP_NUM_THREADS");
    assert_true(png_ok("B/landscape/tiny/interp.png") && png_ok("B/landscape/tiny/pca.png") &&
                png_ok("B/landscape/tiny/random.png"));
    char *md = slurp("B/report.md");
    assert_non_null(strstr(md, "(landscape/tiny/pca.png)"));
    ob_table sm, run1;
    ob_error e = {{0}};
    snprintf(path, sizeof path, "%s/B/landscape/tiny/summary.csv", dir);
    assert_int_equal(ob_table_read(path, &sm, &e), OB_OK);
    snprintf(path, sizeof path, "%s/B/runs/tiny/sgd", dir);
    assert_int_equal(ob_run_summary_read(path, "seed-1", &run1, &e), OB_OK);
    assert_int_equal(sm.rows, 1);
    assert_true(cell(&sm, 0, "lr") == 0.1 && cell(&sm, 0, "steps") == 4);
    assert_true(cell(&sm, 0, "final_loss") == cell(&run1, 0, "final_train_loss"));
    ob_table_free(&sm), ob_table_free(&run1);
    /* the key is a flag, and a network's */
    snprintf(path, sizeof path, "%s/t.ini", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("[suite]\nname = lt\n\n[workload q]\nproblem = rosenbrock\nsteps = 10\nlandscape = true\n", f);
    fclose(f);
    assert_int_equal(run("bench --suite %s/t.ini --out %s/T", dir, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "] landscape: neither a workload key"));
}

/* bench/interp.h: a run through ob_train_files with the observer writes X.interp.csv beside
 * it, whose a = 0 and a = 1 rows are, bit for bit, the training CSV's row 0 and last row on
 * both splits (the spirals' 120 training and 40 test samples lie within the evaluation
 * subset); a = 0 is the same for every optimizer (theta_0 depends on the seed only), and an
 * independent initialization with the seed gives it too */
static void test_bench_interp_file(void **st)
{
    (void)st;
    const char *cols[4] = {"train_loss", "train_acc", "test_loss", "test_acc"};
    double start[2][4];
    for (int o = 0; o < 2; o++) {
        ob_train_config c = tiny(o ? "adam" : "sgd", o ? 0.05 : 0.3);
        char path[256], rel[64];
        snprintf(path, sizeof path, "%s/I%d/seed-1.csv", dir, o);
        ob_bench_interp ip;
        ob_bench_interp_begin(&ip, path, &c, &data);
        ob_train_result res;
        ob_error e = {{0}};
        assert_int_equal(ob_train_files(path, NULL, "tiny", &c, &data, &ip.obs, &res, &e), OB_OK);
        assert_int_equal(ob_bench_interp_end(&ip, &e), OB_OK);
        assert_int_equal(res.status, OB_OK);
        ob_table tr, it;
        assert_int_equal(ob_table_read(path, &tr, &e), OB_OK);
        snprintf(path, sizeof path, "%s/I%d/seed-1.interp.csv", dir, o);
        assert_int_equal(ob_table_read(path, &it, &e), OB_OK);
        assert_int_equal(it.rows, OB_BENCH_INTERP_POINTS);
        assert_true(cell(&it, 0, "alpha") == -0.5 && cell(&it, it.rows - 1, "alpha") == 1.5);
        size_t a0 = 0, a1 = 0;
        for (size_t r = 0; r < it.rows; r++) {
            if (r) assert_true(cell(&it, r, "alpha") > cell(&it, r - 1, "alpha"));
            if (cell(&it, r, "alpha") == 0) a0 = r;
            if (cell(&it, r, "alpha") == 1) a1 = r;
        }
        assert_true(a0 > 0 && a1 > a0);
        for (int k = 0; k < 4; k++) {
            assert_true(cell(&it, a0, cols[k]) == cell(&tr, 0, cols[k]));
            assert_true(cell(&it, a1, cols[k]) == cell(&tr, tr.rows - 1, cols[k]));
            start[o][k] = cell(&it, a0, cols[k]);
        }
        ob_table_free(&tr), ob_table_free(&it);
        snprintf(rel, sizeof rel, "I%d/seed-1.summary.csv", o);
        assert_true(exists(rel));
    }
    for (int k = 0; k < 4; k++) assert_true(start[0][k] == start[1][k]);
    /* theta_0 from the seed alone: mt19937 seeded with it, the network's initialization */
    ob_train_config c = tiny("sgd", 0.3);
    ob_mlp m;
    ob_error e = {{0}};
    assert_int_equal(ob_mlp_alloc(&m, &c.spec, c.dtype, 1024, &e), OB_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, c.seed);
    ob_mlp_init(&m, r);
    gsl_rng_free(r);
    double loss, acc;
    ob_evaluate(&m, &data.test, &loss, &acc);
    assert_true(fabs(loss - start[0][2]) <= 1e-12 * loss && acc == start[0][3]);
    ob_mlp_free(&m);
}

/* the benchmark: every seed-1 network run has its interpolation (no other seed does), its
 * a = 1 training loss is the run's final training loss (200 samples: within the subset),
 * and the report shows net-interp-W among the workload's figures; a run whose file is
 * gone on resume is left without it and the figure is still drawn from the others */
static void test_bench_interp_report(void **st)
{
    (void)st;
    char path[256];
    snprintf(path, sizeof path, "%s/i.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[suite]\nname = li\nnet-seeds = 2\nnet-lr-from = 0.01\nnet-lr-to = 0.01\n"
          "optimizers = sgd adam\n\n[workload tiny]\nnetwork = softmax\nbatch = 50\nepochs = 2\n"
          "tune-epochs = 1\nsubset = 200\n", f);
    fclose(f);
    setenv("OMP_NUM_THREADS", "1", 1);
    assert_int_equal(run("bench --suite %s/i.ini --out %s/BI --quiet", dir, dir), 0);
    const char *opt[2] = {"sgd", "adam"};
    for (int o = 0; o < 2; o++) {
        char rel[128];
        snprintf(rel, sizeof rel, "BI/runs/tiny/%s/seed-2.interp.csv", opt[o]);
        assert_false(exists(rel));
        snprintf(rel, sizeof rel, "BI/runs/tiny/%s/tune-0.01.interp.csv", opt[o]);
        assert_false(exists(rel));
        ob_table it, sm;
        ob_error e = {{0}};
        snprintf(path, sizeof path, "%s/BI/runs/tiny/%s/seed-1.interp.csv", dir, opt[o]);
        assert_int_equal(ob_table_read(path, &it, &e), OB_OK);
        snprintf(path, sizeof path, "%s/BI/runs/tiny/%s", dir, opt[o]);
        assert_int_equal(ob_run_summary_read(path, "seed-1", &sm, &e), OB_OK);
        size_t a1 = 0;
        for (size_t r = 0; r < it.rows; r++)
            if (cell(&it, r, "alpha") == 1) a1 = r;
        assert_true(cell(&it, a1, "train_loss") == cell(&sm, 0, "final_train_loss"));
        ob_table_free(&it), ob_table_free(&sm);
    }
    assert_true(png_ok("BI/figures/net-interp-tiny.png"));
    char *md = slurp("BI/report.md");
    const char *loss = strstr(md, "(figures/net-loss-tiny.png)");
    const char *fig = strstr(md, "(figures/net-interp-tiny.png)");
    assert_true(loss && fig && fig > loss); /* in the workload's section, after its curves */
    assert_non_null(strstr(fig, "Goodfellow"));
    snprintf(path, sizeof path, "%s/BI/runs/tiny/adam/seed-1.interp.csv", dir);
    assert_int_equal(unlink(path), 0);
    snprintf(path, sizeof path, "%s/BI/figures/net-interp-tiny.png", dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(run("bench --suite %s/i.ini --out %s/BI --quiet", dir, dir), 0);
    unsetenv("OMP_NUM_THREADS");
    assert_false(exists("BI/runs/tiny/adam/seed-1.interp.csv"));
    assert_true(png_ok("BI/figures/net-interp-tiny.png"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interp_endpoints),
        cmocka_unit_test(test_filter_normalization),
        cmocka_unit_test(test_pca_known_plane),
        cmocka_unit_test(test_command),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_bench_key),
        cmocka_unit_test(test_bench_interp_file),
        cmocka_unit_test(test_bench_interp_report),
    };
    return ob_run_tests("landscape", tests, data_setup, data_teardown);
}
