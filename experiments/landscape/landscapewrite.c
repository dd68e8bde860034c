/* landscapewrite.c - the files of `optbench landscape` (see landscapewrite.h). */
#include "experiments/landscape/landscapewrite.h"

#include <math.h>
#include <string.h>

#include "common/csvout.h"
#include "common/outfile.h"

enum { F_INTERP, F_SURFACE, F_PATH, F_SUMMARY, F_N };
static const char *const file_names[F_N] = {"interp.csv", "surface.csv", "path.csv",
                                            "summary.csv"};
static const char *const headers[F_N] = {
    "optimizer,alpha,train_loss,train_acc,test_loss,test_acc",
    "optimizer,plane,x,y,loss,acc",
    "optimizer,checkpoint,step,x,y,loss,acc",
    ("optimizer,lr,status,epochs,steps,checkpoints,final_loss,final_acc,test_acc,pc1,pc2,"
     "monotone,seconds_train,seconds_landscape"),
};

int ob_landscape_monotone(const ob_landscape_files *f, size_t k)
{
    const double *L = f->res[k]->interp[0];
    double prev = INFINITY;
    for (size_t i = 0; L && i < f->n_alpha; i++) {
        if (f->alpha[i] < 0 || f->alpha[i] > 1) continue;
        if (L[i] > prev) return 0;
        prev = L[i];
    }
    return L != NULL;
}

static void header(ob_csv *w, const char *h)
{
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", h);
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) ob_csv_text(w, t);
    ob_csv_end_row(w);
}

static void plane_rows(ob_csv *w, const char *opt, const char *plane, const double *xs,
                       const double *ys, size_t G, const double *loss, const double *acc)
{
    for (size_t j = 0; j < G; j++)
        for (size_t i = 0; i < G; i++) {
            ob_csv_text(w, opt), ob_csv_text(w, plane);
            ob_csv_num(w, xs[i]), ob_csv_num(w, ys[j]);
            ob_csv_num(w, loss[j * G + i]), ob_csv_num(w, acc[j * G + i]);
            ob_csv_end_row(w);
        }
}

/* a number, or an empty cell where it does not apply (NaN here) */
static void num_or_empty(ob_csv *w, double v)
{
    if (isnan(v)) ob_csv_text(w, "");
    else ob_csv_num(w, v);
}

/* the rows of optimizer k in the four files */
static void rows(ob_csv *w, const ob_landscape_files *f, size_t k)
{
    const ob_landscape_result *r = f->res[k];
    const char *opt = f->T[k]->name;
    const int ok = r->train.status == OB_OK && r->interp[0];
    for (size_t i = 0; ok && i < f->n_alpha; i++) {
        ob_csv_text(&w[F_INTERP], opt), ob_csv_num(&w[F_INTERP], f->alpha[i]);
        for (int c = 0; c < 4; c++) ob_csv_num(&w[F_INTERP], r->interp[c][i]);
        ob_csv_end_row(&w[F_INTERP]);
    }
    if (ok && r->have_pca)
        plane_rows(&w[F_SURFACE], opt, "pca", r->pca_x, r->pca_y, f->grid, r->pca_loss, r->pca_acc);
    if (ok)
        plane_rows(&w[F_SURFACE], opt, "random", r->rnd_x, r->rnd_x, f->grid, r->rnd_loss,
                   r->rnd_acc);
    for (size_t c = 0; ok && r->have_pca && c < r->n_ckpt; c++) {
        ob_csv *p = &w[F_PATH];
        ob_csv_text(p, opt), ob_csv_int(p, (long)c), ob_csv_int(p, r->step[c]);
        ob_csv_num(p, r->path_x[c]), ob_csv_num(p, r->path_y[c]);
        ob_csv_num(p, r->path_loss[c]), ob_csv_num(p, r->path_acc[c]);
        ob_csv_end_row(p);
    }
    ob_csv *s = &w[F_SUMMARY];
    ob_csv_text(s, opt), ob_csv_num(s, f->h[k].lr);
    ob_csv_text(s, r->train.status == OB_OK ? "ok" : "diverged");
    ob_csv_int(s, r->train.epochs_done), ob_csv_int(s, r->train.steps);
    ob_csv_int(s, (long)r->n_ckpt);
    num_or_empty(s, ok ? r->path_loss[r->n_ckpt - 1] : NAN);
    num_or_empty(s, ok ? r->path_acc[r->n_ckpt - 1] : NAN);
    ob_csv_num(s, r->train.last.acc[OB_SPLIT_TEST]);
    num_or_empty(s, ok && r->have_pca ? r->explained[0] : NAN);
    num_or_empty(s, ok && r->have_pca ? r->explained[1] : NAN);
    ob_csv_text(s, ok ? (ob_landscape_monotone(f, k) ? "yes" : "no") : "");
    ob_csv_num(s, r->train.seconds), ob_csv_num(s, r->seconds_eval);
    ob_csv_end_row(s);
}

static void fnum(FILE *o, double v, const char *fmt)
{
    if (isfinite(v)) fprintf(o, fmt, v);
    else fputs("–", o);
}

static ob_status markdown(const ob_landscape_files *f, ob_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/landscape.md", f->dir);
    ob_outfile out;
    ob_status st = ob_outfile_open(&out, path, err);
    if (st != OB_OK) return st;
    FILE *o = out.fp;
    fprintf(o, "# Loss landscapes of %s\n\n", f->net);
    char every[64] = "after every epoch";
    if (f->every) snprintf(every, sizeof every, "every %ld updates", f->every);
    fprintf(o, "Every optimizer trained from the same initialization for %ld epochs on %zu "
               "training samples, checkpoints %s; losses on the first %zu training samples "
               "(test: the first %zu test samples), without dropout or penalty.\n\n",
            f->epochs, f->train_n, every, f->eval, f->eval);
    fputs("| optimizer | lr | steps | checkpoints | final loss | test acc | PC1 | PC2 | "
          "monotone on [0,1] |\n|---|---|---|---|---|---|---|---|---|\n", o);
    for (size_t k = 0; k < f->n_opt; k++) {
        const ob_landscape_result *r = f->res[k];
        const int ok = r->train.status == OB_OK && r->interp[0];
        fprintf(o, "| %s | %g | %ld | %zu | ", f->T[k]->name, f->h[k].lr, r->train.steps, r->n_ckpt);
        fnum(o, ok ? r->path_loss[r->n_ckpt - 1] : NAN, "%.4g");
        fputs(" | ", o);
        fnum(o, r->train.last.acc[OB_SPLIT_TEST], "%.4f");
        fputs(" | ", o);
        fnum(o, ok && r->have_pca ? 100 * r->explained[0] : NAN, "%.1f%%");
        fputs(" | ", o);
        fnum(o, ok && r->have_pca ? 100 * r->explained[1] : NAN, "%.1f%%");
        fprintf(o, " | %s |\n", !ok ? "diverged" : ob_landscape_monotone(f, k) ? "yes" : "no");
    }
    fputs("\n![1-D interpolation](interp.png)\n\n"
          "The loss and accuracy along (1 − a) θ₀ + a θ_T (Goodfellow et al., 2015): a = 0 is "
          "the common initialization, a = 1 each optimizer's final weights.\n\n"
          "![PCA slices](pca.png)\n\n"
          "The loss on the plane through θ_T spanned by the top two principal directions of "
          "θ_t − θ_T over the checkpoints, with the path projected on it (Li et al., 2018, "
          "Section 7); the axes give each direction's share of the squared offsets (PC1, PC2 "
          "above). Where the shares add up to nearly 100%, the path lies on the drawn plane.\n\n"
          "![Random slices](random.png)\n\n", o);
    fprintf(o, "The loss on the plane through θ_T along two filter-normalized random "
               "directions (Li et al., 2018, Section 4; seed %ld): each neuron's incoming weights "
               "are moved in proportion to their own norm, the biases stay.\n", f->dir_seed);
    for (size_t k = 0; k < f->n_opt; k++)
        if (f->res[k]->train.status == OB_OK && !f->res[k]->have_pca)
            fprintf(o, "\n%s has no PCA slice: %s.\n", f->T[k]->name, f->res[k]->pca_why);
    if (ferror(o)) {
        ob_outfile_abort(&out);
        return ob_fail(err, OB_EIO, "%s: write failed", path);
    }
    return ob_outfile_commit(&out, err);
}

ob_status ob_landscape_write(const ob_landscape_files *f, ob_error *err)
{
    ob_csv w[F_N];
    ob_status st = OB_OK;
    int opened = 0;
    for (; opened < F_N && st == OB_OK; opened++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", f->dir, file_names[opened]);
        if ((st = ob_csv_open(&w[opened], path, err)) != OB_OK) break;
        header(&w[opened], headers[opened]);
    }
    if (st == OB_OK)
        for (size_t k = 0; k < f->n_opt; k++) rows(w, f, k);
    for (int i = 0; i < opened; i++) {
        if (st == OB_OK) st = ob_csv_commit(&w[i], err);
        else ob_csv_abort(&w[i]);
    }
    return st == OB_OK ? markdown(f, err) : st;
}

void ob_landscape_print(const ob_landscape_files *f, FILE *out)
{
    for (size_t k = 0; k < f->n_opt; k++) {
        const ob_landscape_result *r = f->res[k];
        if (r->train.status != OB_OK || !r->interp[0]) {
            fprintf(out, "%s %s: diverged after %ld steps\n", f->net, f->T[k]->name, r->train.steps);
            continue;
        }
        fprintf(out, "%s %s (lr %g): %ld steps, %zu checkpoints, final loss %.4g, test acc %.4f; "
                "PC1 %.1f%%, PC2 %.1f%%; interpolation %s; %.3g s training, %.3g s landscape\n",
                f->net, f->T[k]->name, f->h[k].lr, r->train.steps, r->n_ckpt,
                r->path_loss[r->n_ckpt - 1], r->train.last.acc[OB_SPLIT_TEST],
                r->have_pca ? 100 * r->explained[0] : NAN, r->have_pca ? 100 * r->explained[1] : NAN,
                ob_landscape_monotone(f, k) ? "monotone on [0,1]" : "not monotone on [0,1]",
                r->train.seconds, r->seconds_eval);
    }
}
